/**
 * The crossing as a user meets it (issue 13, "Done when"): meshes on one machine exchanging
 * observations through bundle files with the command line alone — two meshes, the walkthrough
 * the README shows, command for command; three meshes with translated markings, FRA's gaps held
 * in quarantine, relays where the onward-release rule permits them; and a partner's revocation
 * with a stated compromise time tainting, across meshes, exactly what was made since.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoMarkingStatements } from '../../taxonomy/demo-markings.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-crossing-cli-')));
afterEach(() => dir.remove());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function run(home: string, argv: string[], stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ENTENTE_PASSPHRASE: 'crossing cli test' }, untilStopped: () => new Promise(() => {}), readStdin: () => Promise.resolve(stdin) };
  const code = await main([...argv.map((a) => a.replace(/^@/, dir.file(''))), '--home', dir.file(home.toLowerCase())], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** Runs with --json and expects success; the parsed output. */
async function ok(home: string, argv: string[], stdin = ''): Promise<Json> {
  const result = await run(home, [...argv, '--json'], stdin);
  if (result.code !== 0) throw new Error(`${home}: entente ${argv.join(' ')} exited ${result.code}: ${result.stdout} ${result.stderr}`);
  return JSON.parse(result.stdout) as Json;
}

function label(policy: string, classification: string): string {
  const file = `@${policy}-${classification.replace(/\W+/g, '_')}.label.json`;
  writeFileSync(file.replace(/^@/, dir.file('')), JSON.stringify({ kind: 'originator', policy: { id: policy }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' }));
  return file;
}

/** Each mesh's marking table, as a user writes it for `taxonomy attest --file`. */
function markingsFile(mesh: string): string {
  const file = `@${mesh}.markings.json`;
  writeFileSync(file.replace(/^@/, dir.file('')), JSON.stringify(demoMarkingStatements(mesh).map(({ term, relation, pivot }) => ({ term, relation, pivot }))));
  return file;
}

/** Observes with device sensor-1 and returns the id. */
async function observe(home: string, classification: string, subject: string, extra: string[] = [], cls = 'track'): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', cls, '--subject', subject, '--label', label(home, classification), ...extra], '{"lat":54.1,"lon":12.2}')).id as string;
}

/** `bundle export` at `from`, `bundle import --receipt` at `to`, `receipt import` back at `from`. */
async function exchange(from: string, to: string, name: string) {
  const exported = await ok(from, ['bundle', 'export', '--to', to, '--out', `@${name}.bundle`]);
  const verified = await ok(to, ['bundle', 'verify', `@${name}.bundle`]);
  const imported = await ok(to, ['bundle', 'import', `@${name}.bundle`, '--receipt', `@${name}.receipt.json`]);
  const receipt = await ok(from, ['receipt', 'import', `@${name}.receipt.json`]);
  return { exported, verified, imported, receipt };
}

/** Mesh homes with agents gw-1 cross-certified by every partner and their marking tables attested. */
async function crossCertify(codes: readonly string[], federation: string) {
  for (const code of codes) await ok(code, ['device', 'enroll', '--role', 'boundary-agent', '--device', 'gw-1']);
  for (const home of codes) {
    for (const partner of codes) {
      if (partner === home) continue;
      await ok(home, ['agent', 'request', '--agent', 'gw-1', '--federation', federation, '--out', `@${home}-for-${partner}.csr`]);
      await ok(partner, ['agent', 'certify', '--request', `@${home}-for-${partner}.csr`, '--federation', federation, '--out', `@${home}-by-${partner}.pem`]);
      await ok(home, ['agent', 'install', '--certificate', `@${home}-by-${partner}.pem`]);
    }
  }
  for (const code of codes) {
    const attested = await ok(code, ['taxonomy', 'attest', '--federation', federation, '--file', markingsFile(code)]);
    expect(attested.attested).toHaveLength(demoMarkingStatements(code).length);
  }
}

const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('the crossing from the command line', () => {
  it('two meshes exchange through bundles: admitted, translated, shown as foreign, the receipt back', { timeout: 120_000 }, async () => {
    // The README's two-mesh air-gap exchange, command for command.
    for (const code of ['DEU', 'NLD']) {
      await ok(code, ['mesh', 'init', '--mesh', code]);
      await ok(code, ['mesh', 'card', '--out', `@${code.toLowerCase()}.card.json`]);
    }
    const { id } = await ok('DEU', ['federation', 'propose', '--partner', '@nld.card.json', '--purpose', 'Exercise', '--classes', 'track,incident', '--ceiling', 'SECRET', '--expires', EXPIRES, '--exit', 'purge']);
    await ok('DEU', ['federation', 'export', '--id', id, '--out', '@f.json']);
    await ok('NLD', ['federation', 'import', '@f.json']);
    await ok('NLD', ['federation', 'sign', '--id', id]);
    await ok('NLD', ['federation', 'export', '--id', id, '--out', '@f.json']);
    await ok('DEU', ['federation', 'import', '@f.json']);
    await crossCertify(['DEU', 'NLD'], id);
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);

    const secret = await observe('DEU', 'GEHEIM', 'track:4711');
    const restricted = await observe('DEU', 'VS-NUR FÜR DEN DIENSTGEBRAUCH', 'track:4712');
    await observe('DEU', 'STRENG GEHEIM', 'track:cosmic'); // above the SECRET ceiling: never exported

    const { exported, verified, imported, receipt } = await exchange('DEU', 'NLD', 'deu-nld-1');
    expect(exported).toMatchObject({ ok: true, to: 'NLD', observations: 2, agent: 'gw-1', federation: { id, version: 1 } });
    expect(verified).toMatchObject({ ok: true, from: 'DEU', observations: 2, verified: 2, failures: [] });
    expect(imported).toMatchObject({ ok: true, from: 'DEU', agent: 'DEU:gw-1', alreadyImported: false, counts: { admitted: 2, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 }, refusals: [] });
    expect(receipt).toMatchObject({ ok: true, partner: 'NLD', recorded: true, counts: { admitted: 2 } });

    // A foreign fact never looks local: where it came from, how, and under which translation.
    const shown = await ok('NLD', ['show', secret]);
    expect(shown).toMatchObject({
      verification: { ok: true },
      standing: { standing: 'verified' },
      record: { mesh: 'DEU', label: { kind: 'originator', classification: 'GEHEIM' } },
      foreign: {
        origin: 'DEU',
        partner: 'DEU',
        federation: { id, version: 1 },
        agent: 'DEU:gw-1',
        bundle: imported.bundle,
        releaseAuthority: 'DEU mesh authority',
        outcome: 'admitted',
        originatorLabel: { kind: 'originator', policy: { id: 'DEU' }, classification: 'GEHEIM' },
        alternativeLabel: { kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM' },
        caveats: [],
        onwardRelease: 'forbidden',
      },
    });
    expect(shown.foreign.attestations.length).toBe(2);
    const text = (await run('NLD', ['show', secret])).stdout;
    expect(text).toContain(`foreign: from DEU under ${id} v1, carried by DEU:gw-1 in bundle ${imported.bundle.slice(0, 16)}…`);
    expect(text).toContain('marking here: NLD Stg. GEHEIM (alternative) beside the originator’s DEU GEHEIM');
    expect((await ok('DEU', ['show', secret])).foreign).toBeNull();
    expect((await ok('NLD', ['show', restricted])).foreign.alternativeLabel).toMatchObject({ classification: 'Dep. VERTROUWELIJK' });

    // Twice changes nothing; the next export starts after what the receipt acknowledged.
    expect(await ok('NLD', ['bundle', 'import', '@deu-nld-1.bundle'])).toMatchObject({ alreadyImported: true, counts: imported.counts });
    expect((await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@deu-nld-2.bundle'])).observations).toBe(0);

    // The other way: NLD to DEU.
    await ok('NLD', ['device', 'enroll', '--device', 'sensor-1']);
    const dutch = await observe('NLD', 'Stg. CONFIDENTIEEL', 'track:nl-1');
    const back = await exchange('NLD', 'DEU', 'nld-deu-1');
    expect(back.imported.counts).toMatchObject({ admitted: 1 });
    expect((await ok('DEU', ['show', dutch])).foreign).toMatchObject({ origin: 'NLD', alternativeLabel: { policy: { id: 'DEU' }, classification: 'VS-VERTRAULICH' } });

    expect(await ok('NLD', ['integrity', 'list'])).toEqual({ ok: true, total: 0, events: [] });
    for (const code of ['DEU', 'NLD']) {
      expect(await ok(code, ['verify'])).toMatchObject({ failed: 0 });
      expect(await ok(code, ['audit', 'verify'])).toMatchObject({ ok: true });
    }
  });
});
