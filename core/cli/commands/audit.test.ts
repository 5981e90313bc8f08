/**
 * `entente audit …` and `entente lineage` as a reviewer and a liaison officer would run them:
 * on real homes, with exports carried between them and damaged on the way.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../app/services.js';
import { openDatabase } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-audit-cli-')));
afterEach(() => dir.remove());

const PASS = 'audit test passphrase';

async function run(home: string, argv: string[], stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: { ENTENTE_PASSPHRASE: PASS },
    untilStopped: () => Promise.resolve(),
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}
const reasonsOf = (result: { stdout: string; json: () => Record<string, unknown> }) => {
  const failures = result.json().failures as { reason: string }[] | undefined;
  if (!failures) throw new Error(`expected a refusal, got ${result.stdout}`);
  return failures.map((f) => f.reason);
};

/** A mesh with a device and two observations, the second derived from the first. */
async function meshWithObservations(home: string, code: string): Promise<{ first: string; derived: string }> {
  await run(home, ['mesh', 'init', '--mesh', code]);
  await run(home, ['device', 'enroll', '--device', 'uav-7']);
  writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
  const observe = (subject: string, extra: string[] = []) => ['observe', '--device', 'uav-7', '--class', 'track', '--subject', subject, '--label', dir.file('label.json'), ...extra];
  const first = (await run(home, observe('track:1'), '{"lat":1}')).stdout;
  const derived = (await run(home, observe('track:1', ['--derived-from', first, '--fn', 'fuse@1']), '{"lat":2}')).stdout;
  await run(home, observe('track:2'), '{"lat":3}');
  return { first, derived };
}

describe('entente audit', () => {
  it('verifies the log, signs a checkpoint on demand, and exports bundles a reviewer verifies offline', async () => {
    await meshWithObservations('deu', 'DEU');
    expect((await run('deu', ['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true, log: 'DEU', entries: 5, head: { size: 5 } });
    expect((await run('deu', ['audit', 'checkpoint', '--json'])).json()).toMatchObject({ ok: true, size: 5 });

    expect((await run('deu', ['audit', 'export', '--out', dir.file('all.bundle')])).code).toBe(0);
    const whole = await run('x', ['audit', 'verify', '--bundle', dir.file('all.bundle'), '--json']);
    expect(whole.json()).toMatchObject({ ok: true, log: 'DEU', complete: true, entries: 5 });

    await run('deu', ['audit', 'export', '--out', dir.file('track1.bundle'), '--subject', 'track:1']);
    const anchor = whole.json().anchor as string;
    expect((await run('x', ['audit', 'verify', '--bundle', dir.file('track1.bundle'), '--anchor', anchor, '--json'])).json()).toMatchObject({ ok: true, complete: false, entries: 2 });
    const wrongAnchor = await run('x', ['audit', 'verify', '--bundle', dir.file('track1.bundle'), '--anchor', 'a'.repeat(64), '--json']);
    expect(wrongAnchor.code).toBe(1);
    expect(reasonsOf(wrongAnchor)).toEqual(['anchor-mismatch']);
  });

  it('names a truncated export, an edited entry in either kind of export, and certificates that do not chain', async () => {
    await meshWithObservations('deu', 'DEU');
    await run('nld', ['mesh', 'init', '--mesh', 'NLD']);
    await run('deu', ['audit', 'export', '--out', dir.file('all.bundle')]);
    await run('deu', ['audit', 'export', '--out', dir.file('part.bundle'), '--subject', 'track:2']);
    await run('nld', ['audit', 'export', '--out', dir.file('nld.bundle')]);
    const text = readFileSync(dir.file('all.bundle'), 'utf8');
    const verify = async (name: string, content: string) => {
      writeFileSync(dir.file(name), content);
      return run('x', ['audit', 'verify', '--bundle', dir.file(name), '--json']);
    };

    const truncated = await verify('truncated.bundle', text.slice(0, Math.floor(text.length * 0.7)));
    expect(truncated.code).toBe(1);
    expect(reasonsOf(truncated)).toEqual(['malformed-bundle']);

    // A repeated key: JSON.parse keeps the last "log", so the bundle verified as DEU's while a
    // tool reading the first value would take it for NLD's.
    const ambiguous = await verify('ambiguous.bundle', text.replace(/^\{/, '{"log":"NLD",'));
    expect(reasonsOf(ambiguous)).toEqual(['malformed-bundle']);
    expect((ambiguous.json() as { failures: { message: string }[] }).failures[0]!.message).toMatch(/repeats the key "log"/);

    // The edited entry breaks the signed root, and is no longer the entry the export statement selected.
    expect(reasonsOf(await verify('edited.bundle', text.replace('track:2', 'track:9')))).toEqual(['root-mismatch', 'incomplete-selection']);
    const part = readFileSync(dir.file('part.bundle'), 'utf8');
    const editedPart = await verify('edited-part.bundle', part.replaceAll('track:2', 'track:9'));
    // Every "track:2" changed: the filter no longer is the signed one, and the entry not the selected one.
    expect(reasonsOf(editedPart)).toEqual(['export-mismatch', 'incomplete-selection', 'not-in-log']);
    // Named once, as the reviewer reads it: "Entry 3 is not in the log …", not "Entry 3: Entry 3 …".
    expect((editedPart.json() as { failures: { message: string }[] }).failures[2]!.message).toMatch(/^Entry \d+ is not in the log the head checkpoint signs/);

    const bundle = JSON.parse(text) as { certificates: string[]; anchor: string };
    const nldAnchor = (JSON.parse(readFileSync(dir.file('nld.bundle'), 'utf8')) as { anchor: string }).anchor;
    const foreignCa = await verify('foreign-ca.bundle', JSON.stringify({ ...bundle, certificates: [nldAnchor] }));
    expect(reasonsOf(foreignCa)).toContain('certificate-does-not-chain');
    const foreignAnchor = await verify('foreign-anchor.bundle', JSON.stringify({ ...bundle, anchor: nldAnchor }));
    // Nothing the log's own authority signed verifies under another anchor: its checkpoints, nor its export statement.
    expect(new Set(reasonsOf(foreignAnchor))).toEqual(new Set(['unknown-signer', 'unsigned-entries', 'unsigned-export']));
  });

  it('witnesses a partner’s log, and catches a rewind and a split view', async () => {
    await meshWithObservations('deu', 'DEU');
    await run('nld', ['mesh', 'init', '--mesh', 'NLD']);
    // What DEU's file looked like before its last observation: the history to rewind to, or fork from.
    copyFileSync(dir.file('deu/entente.db'), dir.file('deu-before.db'));
    await run('deu', ['observe', '--device', 'uav-7', '--class', 'track', '--subject', 'track:3', '--label', dir.file('label.json')], '{"lat":4}');

    const witnessed = await run('nld', ['audit', 'witness', '--peer', dir.file('deu'), '--json']);
    expect(witnessed.json()).toMatchObject({ ok: true, peer: 'DEU', size: 6, witness: 'NLD' });
    // DEU keeps the cosignature beside its checkpoint.
    const deu = openDatabase(dir.file('deu/entente.db'));
    expect(deu.prepare('SELECT log, size, witness FROM audit_cosignatures').all()).toEqual([{ log: 'DEU', size: 6, witness: 'NLD' }]);
    deu.close();
    // DEU's report names its witness.
    await run('deu', ['audit', 'export', '--format', 'html', '--out', dir.file('deu.html')]);
    expect(readFileSync(dir.file('deu.html'), 'utf8')).toMatch(/Witnessed by partners[\s\S]*<td>NLD<\/td><td>6<\/td>/);

    // DEU's bundle carries NLD's certificates: a reviewer checks the cosignature offline, against NLD's anchor.
    await run('deu', ['audit', 'export', '--out', dir.file('deu.bundle')]);
    const nldStatus = (await run('nld', ['status', '--json'])).json() as { mesh: { trustAnchorSha256: string } };
    const cosigned = await run('x', ['audit', 'verify', '--bundle', dir.file('deu.bundle'), '--json']);
    expect(cosigned.json()).toMatchObject({ ok: true, witnesses: [{ mesh: 'NLD', anchor: nldStatus.mesh.trustAnchorSha256, cosignatures: 1 }] });
    const bundle = JSON.parse(readFileSync(dir.file('deu.bundle'), 'utf8')) as { cosignatures: { signatures: { sig: string }[] }[]; witnesses: unknown[] };
    const verifyEdited = async (name: string, edit: (b: typeof bundle) => void) => {
      const copy = structuredClone(bundle);
      edit(copy);
      writeFileSync(dir.file(name), JSON.stringify(copy));
      return reasonsOf(await run('x', ['audit', 'verify', '--bundle', dir.file(name), '--json']));
    };
    expect(await verifyEdited('forged.bundle', (b) => (b.cosignatures[0]!.signatures[0]!.sig = bundle.cosignatures[0]!.signatures[0]!.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))))).toEqual(['bad-cosignature']);
    expect(await verifyEdited('no-witness.bundle', (b) => (b.witnesses = []))).toEqual(['unverifiable-cosignature']);

    // Rewound: DEU shows NLD its older, shorter history.
    copyFileSync(dir.file('deu-before.db'), dir.file('deu/entente.db'));
    for (const suffix of ['-wal', '-shm']) writeFileSync(dir.file(`deu/entente.db${suffix}`), '');
    const rewound = await run('nld', ['audit', 'witness', '--peer', dir.file('deu'), '--json']);
    expect(rewound.code).toBe(1);
    expect(reasonsOf(rewound)).toEqual(['rewound-log']);

    // Split view: from the older history, DEU grows a different one past the size NLD saw.
    for (const subject of ['track:7', 'track:8']) {
      await run('deu', ['observe', '--device', 'uav-7', '--class', 'track', '--subject', subject, '--label', dir.file('label.json')], '{"lat":5}');
    }
    const split = await run('nld', ['audit', 'witness', '--peer', dir.file('deu'), '--json']);
    expect(reasonsOf(split)).toEqual(['split-view']);

    // NLD's own log recorded the cosigned head and both integrity events, and still verifies.
    const nld = openDatabase(dir.file('nld/entente.db'));
    expect(nld.prepare("SELECT type, json_extract(entry, '$.why.reasons[0]') AS reason FROM audit_entries WHERE seq > 0 ORDER BY seq").all()).toEqual([
      { type: 'witness', reason: 'consistent' },
      { type: 'integrity', reason: 'rewound-log' },
      { type: 'integrity', reason: 'split-view' },
    ]);
    expect(createServices(nld).audit.verify().failures).toEqual([]);
    nld.close();
  });

  it('exports a readable HTML report and a JSON listing, filtered by time', async () => {
    await meshWithObservations('deu', 'DEU');
    await run('deu', ['audit', 'export', '--out', dir.file('report.html'), '--format', 'html']);
    const html = readFileSync(dir.file('report.html'), 'utf8');
    expect(html).toContain('Reconciliation log of mesh DEU');
    expect(html).toContain('Verified: all 5 entries recomputed');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);

    await run('deu', ['audit', 'export', '--out', dir.file('future.json'), '--format', 'json', '--from', '2999-01-01T00:00:00Z']);
    expect(JSON.parse(readFileSync(dir.file('future.json'), 'utf8'))).toMatchObject({ log: 'DEU', entries: [], verification: { failures: [] } });
    expect((await run('deu', ['audit', 'export', '--out', dir.file('x.json'), '--from', 'yesterday'])).code).toBe(2);
  });
});

describe('entente lineage', () => {
  it('walks derivations with their log entries, across meshes through a partner’s export', async () => {
    const { first, derived } = await meshWithObservations('deu', 'DEU');
    const local = (await run('deu', ['lineage', derived, '--json'])).json() as { nodes: { id: string; found: string; events: { type: string }[] }[] };
    expect(local.nodes.map((n) => [n.id, n.found])).toEqual([
      [derived, 'held'],
      [first, 'held'],
    ]);
    expect(local.nodes[1]!.events.map((e) => e.type)).toEqual(['observation', 'observation']);

    await run('nld', ['mesh', 'init', '--mesh', 'NLD']);
    expect((await run('nld', ['lineage', derived, '--json'])).json()).toMatchObject({ unresolved: [derived] });
    await run('deu', ['audit', 'export', '--out', dir.file('deu.bundle')]);
    const across = (await run('nld', ['lineage', derived, '--with', dir.file('deu.bundle'), '--json'])).json();
    expect(across).toMatchObject({ unresolved: [], nodes: [{ id: derived, found: 'exported', derivation: 'fuse@1' }, { id: first, found: 'exported' }] });

    writeFileSync(dir.file('forged.bundle'), readFileSync(dir.file('deu.bundle'), 'utf8').replace('fuse@1', 'fuse@2'));
    const forged = (await run('nld', ['lineage', derived, '--with', dir.file('forged.bundle'), '--json'])).json();
    expect(forged).toMatchObject({ unresolved: [derived], exports: [{ verified: false }] });
  });
});
