/**
 * From the command line: `show --json` gives a derived observation's standing, which turns to
 * source-failed when its source's record is edited in the SQLite file while its own signature
 * still verifies; `integrity list` prints the events recorded (a partner CRL refused), and the
 * log they are in verifies.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-integrity-cli-')));
afterEach(() => dir.remove());

async function run(argv: string[], stdin = '', home = 'home') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: {}, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve(stdin) };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const json = async (argv: string[], stdin = '') => JSON.parse((await run([...argv, '--json'], stdin)).stdout) as Record<string, unknown>;

describe('entente show and integrity list', () => {
  it('shows a derived observation as source-failed once its source row is edited in the file', async () => {
    writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'RESTRICTED', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    expect((await run(['mesh', 'init', '--mesh', 'DEU', '--insecure-keys'])).code).toBe(0);
    expect((await run(['device', 'enroll', '--device', 'uav-7'])).code).toBe(0);
    const observe = ['observe', '--device', 'uav-7', '--class', 'track', '--subject', 'track:1', '--label', dir.file('label.json')];
    const source = (await json(observe, '{"lat":52.1}')).id as string;
    const derived = (await json([...observe, '--derived-from', source, '--fn', 'fuse@1'], '{"fused":true}')).id as string;
    expect(await json(['show', derived])).toMatchObject({ ok: true, verification: { ok: true }, standing: { standing: 'verified', cause: null, source: null } });

    const raw = new Database(dir.file('home/entente.db'));
    raw.exec('DROP TRIGGER observations_are_immutable');
    const record = raw.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(source) as string;
    raw.prepare('UPDATE observations SET record = ? WHERE id = ?').run(record.replace('52.1', '48.9'), source);
    raw.close();

    const shown = await json(['show', derived]);
    expect(shown).toMatchObject({ ok: true, verification: { ok: true }, standing: { standing: 'source-failed', source } });
    const text = await run(['show', derived]);
    expect(text.stdout.split('\n')[3]).toMatch(/^standing: source-failed \(bad-signature\): Source [0-9a-f]{16}… does not verify/);

    // No events yet; a CRL from a mesh this home holds no federation with is refused by name, writing nothing.
    expect(await json(['integrity', 'list'])).toEqual({ ok: true, total: 0, events: [] });
    expect((await run(['integrity', 'list'])).stdout).toBe('No integrity events recorded.');
    writeFileSync(dir.file('x.crl'), 'not a CRL');
    const refused = await run(['integrity', 'apply-crl', '--partner', 'NLD', dir.file('x.crl'), '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'no-federation' }] });
    expect((await run(['integrity', 'list', '--kind', 'Not A Kind'])).code).toBe(2);
    expect((await run(['integrity', 'list', '--partner', 'nld'])).code).toBe(2);
    expect((await run(['integrity', 'list', '--limit', '0'])).code).toBe(2);
  });
});
