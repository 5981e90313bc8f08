/**
 * Exports that prove what they leave out (issue 12, item 11): `entente audit verify --bundle`
 * names each way of making a bundle say less than its authority signed — an edited export time
 * or filter, a stripped cosignature, a dropped checkpoint, a dropped entry, a truncated log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { consistencyProof, leafHash } from '../../audit/tree.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-audit-export-')));
afterEach(() => dir.remove());

async function run(home: string, argv: string[], stdin = '') {
  const stdout: string[] = [];
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: () => undefined,
    env: { ENTENTE_PASSPHRASE: 'export test passphrase' },
    untilStopped: () => Promise.resolve(),
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}

interface Bundle {
  format: string;
  exportedAt: string;
  filter: Record<string, string>;
  statement?: { payload: string };
  entries: { seq: number; text: string; proof?: string[] }[];
  checkpoints: { payload: string }[];
  consistency: { from: number; to: number; proof: string[] }[];
  cosignatures: { payload: string }[];
}
const sizeOf = (envelope: { payload: string }) => (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { size: number }).size;

/** DEU's log with entries on two subjects, witnessed by NLD at one size, then grown past it. */
async function witnessedLog(): Promise<{ whole: Bundle; filtered: Bundle }> {
  await run('deu', ['mesh', 'init', '--mesh', 'DEU']);
  await run('deu', ['device', 'enroll', '--device', 'uav-7']);
  writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
  const observe = (subject: string) => run('deu', ['observe', '--device', 'uav-7', '--class', 'track', '--subject', subject, '--label', dir.file('label.json')], '{"lat":1}');
  await observe('track:1');
  await observe('track:2');
  await run('nld', ['mesh', 'init', '--mesh', 'NLD']);
  expect((await run('nld', ['audit', 'witness', '--peer', dir.file('deu'), '--json'])).code).toBe(0);
  await observe('track:1');
  expect((await run('deu', ['audit', 'export', '--out', dir.file('whole.bundle')])).code).toBe(0);
  expect((await run('deu', ['audit', 'export', '--out', dir.file('filtered.bundle'), '--subject', 'track:2'])).code).toBe(0);
  const read = (name: string) => JSON.parse(readFileSync(dir.file(name), 'utf8')) as Bundle;
  return { whole: read('whole.bundle'), filtered: read('filtered.bundle') };
}

async function verify(name: string, bundle: Bundle, json = true) {
  writeFileSync(dir.file(name), JSON.stringify(bundle));
  return run('x', ['audit', 'verify', '--bundle', dir.file(name), ...(json ? ['--json'] : [])]);
}
const reasons = async (name: string, bundle: Bundle) => {
  const result = await verify(name, bundle);
  expect(result.code, result.stdout).toBe(1);
  return (result.json().failures as { reason: string }[]).map((f) => f.reason);
};

describe('an audit export proves what it leaves out', () => {
  it('verifies honest whole and filtered exports and prints what they are complete up to', async () => {
    const { whole, filtered } = await witnessedLog();
    const head = Math.max(...whole.checkpoints.map(sizeOf));
    const text = (await verify('whole.bundle', whole, false)).stdout;
    expect(text).toMatch(new RegExp(`complete up to signed checkpoint size ${head}, root [0-9a-f]{64}`));
    expect(text).toMatch(/filter \(signed by DEU's authority, exported .*\): none \(the whole log\)/);
    expect(text).toMatch(/selection proven whole: 5 entries, every one up to that checkpoint/);
    expect((await verify('whole.bundle', whole)).json()).toMatchObject({ ok: true, complete: true, completeUpTo: { size: head }, filter: {}, exportedAt: whole.exportedAt, selection: { entries: 5, proven: true } });

    const part = await verify('filtered.bundle', filtered, false);
    expect(part.stdout).toMatch(new RegExp(`complete up to signed checkpoint size ${head},`));
    expect(part.stdout).toMatch(/\): --subject track:2\n/);
    expect(part.stdout).toMatch(/selection proven whole: 1 entries, each proven in that checkpoint/);
  });

  it('names an edited export time or filter, in the readable copy or in the statement itself', async () => {
    const { whole, filtered } = await witnessedLog();
    expect(await reasons('at.bundle', { ...whole, exportedAt: '2020-01-01T00:00:00.000Z' })).toEqual(['export-mismatch']);
    expect(await reasons('filter.bundle', { ...filtered, filter: { subject: 'track:1' } })).toEqual(['export-mismatch']);
    // Re-encoding the signed payload with another time breaks the authority's signature.
    const payload = JSON.parse(Buffer.from(whole.statement!.payload, 'base64').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, exportedAt: '2020-01-01T00:00:00.000Z' })).toString('base64');
    expect(await reasons('forged-at.bundle', { ...whole, exportedAt: '2020-01-01T00:00:00.000Z', statement: { ...whole.statement!, payload: forged } })).toContain('unsigned-export');
  });

  it('names a stripped cosignature the statement lists', async () => {
    const { whole } = await witnessedLog();
    expect(whole.cosignatures).toHaveLength(1);
    expect(await reasons('stripped.bundle', { ...whole, cosignatures: [] })).toEqual(['stripped-cosignature']);
  });

  it('names a dropped intermediate checkpoint, even with a consistency proof recomputed over the gap', async () => {
    const { whole } = await witnessedLog();
    const sizes = [...new Set(whole.checkpoints.map(sizeOf))].sort((a, b) => a - b);
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    // A checkpoint no cosignature names, with checkpoints on both sides.
    const cosigned = new Set(whole.cosignatures.map(sizeOf));
    const dropped = sizes.slice(1, -1).find((size) => !cosigned.has(size))!;
    const before = sizes[sizes.indexOf(dropped) - 1]!;
    const after = sizes[sizes.indexOf(dropped) + 1]!;
    const leaves = whole.entries.map((e) => leafHash(Buffer.from(e.text, 'utf8')));
    const bridged: Bundle = {
      ...whole,
      checkpoints: whole.checkpoints.filter((c) => sizeOf(c) !== dropped),
      consistency: [
        ...whole.consistency.filter((step) => step.from !== dropped && step.to !== dropped),
        { from: before, to: after, proof: consistencyProof((i) => leaves[i]!, before, after).map((h) => h.toString('hex')) },
      ],
    };
    expect(await reasons('dropped.bundle', bridged)).toEqual(['dropped-checkpoint']);
  });

  it('names a filtered export that lost its only matching entry', async () => {
    const { filtered } = await witnessedLog();
    expect(filtered.entries).toHaveLength(1);
    expect(await reasons('emptied.bundle', { ...filtered, entries: [] })).toEqual(['incomplete-selection']);
  });

  it('names a whole export truncated to an earlier checkpoint', async () => {
    const { whole } = await witnessedLog();
    const sizes = [...new Set(whole.checkpoints.map(sizeOf))].sort((a, b) => a - b);
    const cut = sizes.at(-2)!;
    const truncated: Bundle = {
      ...whole,
      entries: whole.entries.filter((e) => e.seq < cut),
      checkpoints: whole.checkpoints.filter((c) => sizeOf(c) <= cut),
      consistency: whole.consistency.filter((step) => step.to <= cut),
      cosignatures: whole.cosignatures.filter((c) => sizeOf(c) <= cut),
    };
    expect(await reasons('truncated.bundle', truncated)).toEqual(['truncated-bundle', 'incomplete-selection', 'dropped-checkpoint']);
  });

  it('refuses an old-format bundle as unsigned: what it leaves out cannot be proven', async () => {
    const { whole } = await witnessedLog();
    const { statement: _statement, ...old } = whole;
    const result = await verify('old.bundle', { ...old, format: 'entente.audit-bundle/v1' });
    expect(result.code).toBe(1);
    expect(result.json().failures).toEqual([{ reason: 'unsigned-export', message: expect.stringMatching(/carries no signed export statement: its filter, export time and what it leaves out cannot be proven/) }]);
  });
});
