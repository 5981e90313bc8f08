/**
 * Boundaries prepared with the built CLI, as two liaison officers would (the README's live-link
 * walkthrough): DEU (the home the console opens) federates with NLD and with POL; the DEU and
 * NLD agents are cross-certified and the markings attested; NLD's agent serves, DEU syncs once,
 * so NLD's track crosses into DEU with its label translated, and DEU fuses it with its own. The
 * link with NLD is then up; POL's has never been contacted.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { demoMarkingStatements } from '../core/taxonomy/demo-markings.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');
const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };

export interface SeededBoundaries {
  readonly withNld: string;
  readonly withPol: string;
  /** NLD's track as DEU holds it (foreign, translated). */
  readonly crossed: string;
  /** DEU's own track, and the fusion of both. */
  readonly own: string;
  readonly fused: string;
  /** Derived from the fusion in turn: the graph's expansion starts here. */
  readonly assessed: string;
}

export const homeOf = (home: string, code: string) => (code === 'DEU' ? home : join(home, 'partners', code));

/** Runs the built CLI against a mesh's home; its stdout, parsed when --json was asked. */
export function entente(home: string, code: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [CLI, ...args, '--home', homeOf(home, code)], { env, input, encoding: 'utf8' }).trim();
}

const json = (home: string, code: string, args: string[], input?: string) => JSON.parse(entente(home, code, [...args, '--json'], input)) as Record<string, unknown>;

export async function seedBoundaries(home: string): Promise<SeededBoundaries> {
  const partners = join(home, 'partners');
  mkdirSync(partners, { recursive: true });
  const file = (name: string) => join(partners, name);
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const code of ['DEU', 'NLD', 'POL']) {
    entente(home, code, ['mesh', 'init', '--mesh', code]);
    entente(home, code, ['mesh', 'card', '--out', file(`${code}.card.json`)]);
  }
  const federate = (partner: string, purpose: string) => {
    const { id } = json(home, 'DEU', ['federation', 'propose', '--partner', file(`${partner}.card.json`), '--purpose', purpose, '--classes', 'track,incident', '--ceiling', 'SECRET', '--expires', expires, '--exit', 'purge']) as { id: string };
    entente(home, 'DEU', ['federation', 'export', '--id', id, '--out', file(`${id}.json`)]);
    entente(home, partner, ['federation', 'import', file(`${id}.json`)]);
    entente(home, partner, ['federation', 'sign', '--id', id]);
    entente(home, partner, ['federation', 'export', '--id', id, '--out', file(`${id}.json`)]);
    entente(home, 'DEU', ['federation', 'import', file(`${id}.json`)]);
    return id;
  };
  const withNld = federate('NLD', 'Exercise BALTIC SHIELD: shared air picture');
  const withPol = federate('POL', 'Exercise VISTULA: logistics picture');

  for (const code of ['DEU', 'NLD']) entente(home, code, ['device', 'enroll', '--role', 'boundary-agent', '--device', 'gw-1']);
  for (const [code, partner] of [['DEU', 'NLD'], ['NLD', 'DEU']] as const) {
    const name = file(`${code}-gw-1`);
    entente(home, code, ['agent', 'request', '--agent', 'gw-1', '--federation', withNld, '--out', `${name}.csr`]);
    entente(home, partner, ['agent', 'certify', '--request', `${name}.csr`, '--federation', withNld, '--out', `${name}.pem`]);
    entente(home, code, ['agent', 'install', '--certificate', `${name}.pem`]);
  }
  for (const code of ['DEU', 'NLD']) {
    writeFileSync(file(`${code}.markings.json`), JSON.stringify(demoMarkingStatements(code).map(({ term, relation, pivot }) => ({ term, relation, pivot }))));
    entente(home, code, ['taxonomy', 'attest', '--federation', withNld, '--file', file(`${code}.markings.json`)]);
    entente(home, code, ['device', 'enroll', '--device', 'sensor-1']);
  }
  const observe = (code: string, policy: string, classification: string, subject: string, extra: string[] = []) => {
    const label = file(`${subject.replace(/\W+/g, '_')}.label.json`);
    writeFileSync(label, JSON.stringify({ kind: 'originator', policy: { id: policy }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    return entente(home, code, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label, ...extra], '{"lat":54.1,"lon":12.2}');
  };
  const own = observe('DEU', 'DEU', 'VS-VERTRAULICH', 'track:4711');
  const dutch = observe('NLD', 'NLD', 'Stg. GEHEIM', 'track:nl-1');

  await syncOnce(home);
  const fused = observe('DEU', 'DEU', 'GEHEIM', 'track:4711-fused', ['--derived-from', `${own},${dutch}`, '--fn', 'fuse-tracks@1.0']);
  const assessed = observe('DEU', 'DEU', 'GEHEIM', 'track:4711-assessed', ['--derived-from', fused, '--fn', 'threat-assessment@2.1']);
  return { withNld, withPol, crossed: dutch, own, fused, assessed };
}

/** NLD's agent serves on a free loopback port; DEU syncs with it once; the agent stops. */
export async function syncOnce(home: string): Promise<void> {
  const server = spawn(process.execPath, [CLI, 'agent', 'serve', '--port', '0', '--json', '--home', homeOf(home, 'NLD')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: server.stdout });
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event?: string; port?: number };
        if (event.event === 'listening' && event.port) resolve(event.port);
      });
      server.once('exit', (code) => reject(new Error(`agent serve exited with ${code}`)));
    });
    entente(home, 'DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`]);
  } finally {
    server.kill('SIGTERM');
  }
}
