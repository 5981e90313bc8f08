/**
 * Issue 12, item 3: a national CA imported from an openssl-made PKI 1 to 8 levels below its
 * root keeps the home usable end to end — enrolment, the log, its bundle, and a partner who
 * federates with it and witnesses its log (and is witnessed by it). Run as an officer would.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { makeOpensslPki, type OpensslPki } from '../../test-support/openssl-pki.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

const PASS = 'national ca depth test';
let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-ca-depth-')));
afterEach(() => dir.remove());

async function run(home: string, argv: string[], stdin = '') {
  const stdout: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: () => {}, env: { ENTENTE_PASSPHRASE: PASS }, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve(stdin) };
  const code = await main([...argv, '--home', dir.file(home), '--json'], io);
  return { code, json: JSON.parse(stdout.join('\n')) as { ok: boolean; failures?: { reason: string; message: string }[] } & Record<string, unknown> };
}
/** A command that must succeed: its JSON, or the failures it printed in the assertion message. */
async function ok(home: string, argv: string[], stdin = '') {
  const result = await run(home, argv, stdin);
  expect(result.json, `${argv.slice(0, 2).join(' ')} in ${home}`).toMatchObject({ ok: true });
  expect(result.code).toBe(0);
  return result.json;
}

const init = (pki: OpensslPki, chain: string) => ['mesh', 'init', '--mesh', 'POL', '--ca-cert', dir.file(pki.issuerPem), '--ca-key', dir.file(pki.issuerKey), '--ca-chain', dir.file(chain)];
const pkiOf = (depth: number, pathLength?: Record<number, number>) => makeOpensslPki(dir.path, { depth, passphrase: PASS, pathLength });
/** The CAs above the issuing CA of a PKI `depth` deep, root included, in no particular order. */
const above = (depth: number) => [0, ...Array.from({ length: depth - 1 }, (_, i) => depth - 1 - i)];

describe('a mesh under a national issuing CA several levels below its root', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('works end to end %i level(s) down, and a partner federates with it and witnesses its log', async (depth) => {
    const pki = pkiOf(depth);
    expect(await ok('pol', init(pki, pki.chain('chain.pem', above(depth))))).toMatchObject({ mesh: 'POL', trustAnchor: pki.rootSha256 });
    await ok('pol', ['device', 'enroll', '--device', 'uav-1']);
    writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'CONFIDENTIAL', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    await ok('pol', ['observe', '--device', 'uav-1', '--class', 'track', '--subject', 'track:1', '--label', dir.file('label.json')], '{"lat":50.1}');
    await ok('pol', ['audit', 'checkpoint']);
    expect(await ok('pol', ['audit', 'verify'])).toMatchObject({ log: 'POL', entries: 3 });
    expect(await ok('pol', ['verify'])).toMatchObject({ checked: 1, verified: 1 });
    await ok('pol', ['audit', 'export', '--out', dir.file('pol.bundle')]);
    expect(await ok('x', ['audit', 'verify', '--bundle', dir.file('pol.bundle'), '--anchor', pki.rootSha256])).toMatchObject({ anchor: pki.rootSha256, complete: true });

    // NLD takes POL's card (its intermediates included), federates, and each side checks the other's signature.
    await ok('nld', ['mesh', 'init', '--mesh', 'NLD']);
    await ok('pol', ['mesh', 'card', '--out', dir.file('pol.card.json')]);
    expect((JSON.parse(readFileSync(dir.file('pol.card.json'), 'utf8')) as { intermediates: unknown[] }).intermediates).toHaveLength(depth);
    const { id } = (await ok('nld', ['federation', 'propose', '--partner', dir.file('pol.card.json'), '--purpose', 'Exercise', '--classes', 'track', '--ceiling', 'SECRET',
      '--expires', '2099-01-31T00:00:00Z', '--exit', 'retain'])) as unknown as { id: string };
    const carry = async (from: string, to: string) => {
      await ok(from, ['federation', 'export', '--id', id, '--out', dir.file(`${from}.federation.json`)]);
      return ok(to, ['federation', 'import', dir.file(`${from}.federation.json`)]);
    };
    await carry('nld', 'pol');
    expect(await ok('pol', ['federation', 'sign', '--id', id])).toMatchObject({ state: 'active' });
    expect(await carry('pol', 'nld')).toMatchObject({ state: 'active' });

    // Each witnesses the other: NLD judges POL's checkpoints, POL judges NLD's and signs with its deep issuing CA.
    expect(await ok('nld', ['audit', 'witness', '--peer', dir.file('pol')])).toMatchObject({ peer: 'POL', witness: 'NLD' });
    expect(await ok('pol', ['audit', 'witness', '--peer', dir.file('nld')])).toMatchObject({ peer: 'NLD', witness: 'POL' });
    await ok('pol', ['audit', 'export', '--out', dir.file('pol.bundle')]);
    expect(await ok('x', ['audit', 'verify', '--bundle', dir.file('pol.bundle'), '--anchor', pki.rootSha256])).toMatchObject({ witnesses: [{ mesh: 'NLD', cosignatures: 1 }] });
    await ok('nld', ['audit', 'export', '--out', dir.file('nld.bundle')]);
    expect(await ok('x', ['audit', 'verify', '--bundle', dir.file('nld.bundle')])).toMatchObject({ witnesses: [{ mesh: 'POL', anchor: pki.rootSha256, cosignatures: 1 }] });
    for (const home of ['pol', 'nld']) await ok(home, ['audit', 'verify']);
  });

  it('refuses by name, writing nothing, a PKI whose pathLenConstraint leaves the issuing CA no room to issue', async () => {
    // Level 1 allows depth - 2 CAs below it: the issuing CA itself would fit, the devices under it would not.
    const depth = 4;
    const pki = pkiOf(depth, { 1: depth - 2 });
    const refused = await run('pol', init(pki, pki.chain('chain.pem', above(depth))));
    expect(refused.code).toBe(1);
    expect(refused.json.failures).toEqual([{ reason: 'chain-too-long', message: expect.stringContaining('POL Level 1 CA') }]);
    expectNoMesh('pol');
  });

  it('refuses by name a PKI deeper than the 8 CAs below a root that a principal’s path may hold', async () => {
    const pki = pkiOf(9);
    const refused = await run('pol', init(pki, pki.chain('chain.pem', above(9))));
    expect(refused.json.failures).toEqual([{ reason: 'chain-too-long', message: 'The chain has more than 8 intermediate CAs.' }]);
    expectNoMesh('pol');
  });

  it('refuses by name, writing nothing, a chain file that lacks a middle intermediate', async () => {
    const depth = 5;
    const pki = pkiOf(depth);
    const refused = await run('pol', init(pki, pki.chain('gap.pem', above(depth).filter((level) => level !== 2))));
    expect(refused.code).toBe(1);
    // The certificate whose issuer is missing, and the issuer it names.
    expect(refused.json.failures).toEqual([{ reason: 'unknown-issuer', message: expect.stringMatching(/POL Level 3 CA.*POL Level 2 CA/) }]);
    expectNoMesh('pol');
  });
});

function expectNoMesh(home: string): void {
  const db = openDatabase(dir.file(`${home}/entente.db`));
  try {
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM mesh) + (SELECT COUNT(*) FROM certificates) + (SELECT COUNT(*) FROM audit_entries) AS n').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}
