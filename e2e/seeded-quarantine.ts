/**
 * A quarantine prepared with the built CLI (docs/decisions/0005-crossing.md, translation loss):
 * FRA (the home the console opens) federates with DEU; DEU's tracks marked VS-VERTRAULICH have
 * no French level (France has no CONFIDENTIAL), so FRA holds them in quarantine with a
 * translation-loss integrity event each, and admits DEU's GEHEIM track. A second bundle from
 * DEU is left on disk for the console to import by drag and drop. FRA has an operator to decide.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoMarkingStatements } from '../core/taxonomy/demo-markings.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');
const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };

export interface SeededQuarantine {
  readonly federation: string;
  /** DEU's two CONFIDENTIAL tracks, held at FRA. */
  readonly held: readonly [string, string];
  /** DEU's SECRET track, admitted at FRA. */
  readonly admitted: string;
  /** A second bundle from DEU (one new track, the rest duplicates), for drag and drop. */
  readonly secondBundle: string;
  readonly operator: string;
}

const fra = 'FRA';
const deu = 'DEU';

export function seedQuarantine(home: string): SeededQuarantine {
  const partners = join(home, 'partners');
  mkdirSync(partners, { recursive: true });
  const file = (name: string) => join(partners, name);
  // The console's home is FRA's; DEU's is beside the files it exchanges.
  const run = (who: string, args: string[], input?: string) =>
    execFileSync(process.execPath, [CLI, ...args, '--home', who === fra ? home : join(partners, who)], { env, input, encoding: 'utf8' }).trim();
  const json = (who: string, args: string[], input?: string) => JSON.parse(run(who, [...args, '--json'], input)) as Record<string, unknown>;
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

  run(fra, ['mesh', 'init', '--mesh', 'FRA']);
  run(deu, ['mesh', 'init', '--mesh', 'DEU']);
  run(fra, ['mesh', 'card', '--out', file('FRA.card.json')]);
  run(deu, ['mesh', 'card', '--out', file('DEU.card.json')]);
  const { id } = json(fra, ['federation', 'propose', '--partner', file('DEU.card.json'), '--purpose', 'Exercise RHIN: shared ground picture', '--classes', 'track,incident', '--ceiling', 'SECRET', '--expires', expires, '--exit', 'purge']) as { id: string };
  run(fra, ['federation', 'export', '--id', id, '--out', file('fed.json')]);
  run(deu, ['federation', 'import', file('fed.json')]);
  run(deu, ['federation', 'sign', '--id', id]);
  run(deu, ['federation', 'export', '--id', id, '--out', file('fed.json')]);
  run(fra, ['federation', 'import', file('fed.json')]);

  for (const who of [fra, deu]) run(who, ['device', 'enroll', '--role', 'boundary-agent', '--device', 'gw-1']);
  for (const [who, partner, name] of [[fra, deu, 'fra-gw-1'], [deu, fra, 'deu-gw-1']] as const) {
    run(who, ['agent', 'request', '--agent', 'gw-1', '--federation', id, '--out', file(`${name}.csr`)]);
    run(partner, ['agent', 'certify', '--request', file(`${name}.csr`), '--federation', id, '--out', file(`${name}.pem`)]);
    run(who, ['agent', 'install', '--certificate', file(`${name}.pem`)]);
  }
  for (const [who, code] of [[fra, 'FRA'], [deu, 'DEU']] as const) {
    writeFileSync(file(`${code}.markings.json`), JSON.stringify(demoMarkingStatements(code).map(({ term, relation, pivot }) => ({ term, relation, pivot }))));
    run(who, ['taxonomy', 'attest', '--federation', id, '--file', file(`${code}.markings.json`)]);
  }
  run(deu, ['device', 'enroll', '--device', 'sensor-1']);
  const observe = (classification: string, subject: string, payload: object) => {
    const label = file(`${subject.replace(/\W+/g, '_')}.label.json`);
    writeFileSync(label, JSON.stringify({ kind: 'originator', policy: { id: 'DEU' }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    return run(deu, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label], JSON.stringify(payload));
  };
  // APP-6 codes in the payloads: a friendly armoured unit, a hostile infantry unit, and one without a code.
  const held: [string, string] = [
    observe('VS-VERTRAULICH', 'track:rhein-7', { lat: 48.58, lon: 7.75, sidc: 'SFGPUCA----K' }),
    observe('VS-VERTRAULICH', 'track:rhein-8', { lat: 48.61, lon: 7.8 }),
  ];
  const admitted = observe('GEHEIM', 'track:rhein-9', { lat: 48.6, lon: 7.71, sidc: 'SHGPUCI----K' });
  run(deu, ['bundle', 'export', '--to', 'FRA', '--out', file('deu-fra-1.bundle')]);
  run(fra, ['bundle', 'import', file('deu-fra-1.bundle')]);
  observe('GEHEIM', 'track:rhein-10', { lat: 48.62, lon: 7.72, sidc: 'SFGPUCR----K' });
  run(deu, ['bundle', 'export', '--to', 'FRA', '--out', file('deu-fra-2.bundle')]);
  run(fra, ['device', 'enroll', '--role', 'operator', '--device', 'lt-dupont']);
  return { federation: id, held, admitted, secondBundle: file('deu-fra-2.bundle'), operator: 'lt-dupont' };
}
