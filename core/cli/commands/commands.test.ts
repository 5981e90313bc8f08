/** The mesh, device and observation commands as a script would run them: exit codes, --json, refusals. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-cli-')));
afterEach(() => dir.remove());

async function run(argv: string[], options: { stdin?: string; passphrase?: string } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env: NodeJS.ProcessEnv = options.passphrase === undefined ? {} : { ENTENTE_PASSPHRASE: options.passphrase };
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env,
    untilStopped: () => Promise.resolve(),
    readStdin: () => Promise.resolve(options.stdin ?? ''),
  };
  const code = await main([...argv, '--home', dir.file('home')], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}

const PASS = { passphrase: 'cli test passphrase' };

describe('mesh, device and observation commands', () => {
  it('run a whole local flow with --json, one object each', async () => {
    expect((await run(['mesh', 'init', '--mesh', 'NLD', '--json'], PASS)).json()).toMatchObject({ ok: true, mesh: 'NLD', keysEncrypted: true });
    expect((await run(['device', 'enroll', '--device', 'radar-2', '--algorithm', 'p256', '--json'], PASS)).json()).toMatchObject({ ok: true, id: 'radar-2' });
    writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'RESTRICTED', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    const observed = await run(['observe', '--device', 'radar-2', '--class', 'track', '--subject', 'track:1', '--label', dir.file('label.json'), '--json'], { ...PASS, stdin: '{"lat":52}' });
    const { id } = observed.json() as { id: string };
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await run(['show', id, '--json'])).json()).toMatchObject({ ok: true, id, record: { subject: 'track:1' } });
    expect((await run(['verify', '--json'])).json()).toEqual({ ok: true, checked: 1, verified: 1, failed: 0 });
    expect((await run(['device', 'list', '--json'])).json()).toMatchObject({ principals: [{ id: 'radar-2', status: 'active' }] });

    await run(['mesh', 'card', '--out', dir.file('card.json')]);
    const card = JSON.parse(readFileSync(dir.file('card.json'), 'utf8')) as { mesh: string; trustAnchor: { pem: string } };
    expect(card.mesh).toBe('NLD');
    expect(card.trustAnchor.pem).toContain('BEGIN CERTIFICATE');
  });

  it('refuse with exit 1 and a reason, or 2 for wrong usage', async () => {
    expect((await run(['device', 'enroll', '--device', 'x', '--json'], PASS)).json()).toMatchObject({ ok: false, failures: [{ reason: 'no-mesh' }] });
    expect((await run(['mesh', 'init', '--mesh', 'nld'])).code).toBe(2);
    expect((await run(['mesh', 'init', '--mesh', 'NLD'])).json).toBeDefined();
    const noPassphrase = await run(['mesh', 'init', '--mesh', 'NLD', '--json']);
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.json()).toMatchObject({ failures: [{ reason: 'passphrase-required' }] });
    expect((await run(['show', 'not-an-id'])).code).toBe(2);
    expect((await run(['mesh'])).stderr).toMatch(/needs one of: init, card/);
  });

  it('keep unencrypted keys only when asked, and say so', async () => {
    const made = await run(['mesh', 'init', '--mesh', 'DEU', '--insecure-keys', '--json']);
    expect(made.json()).toMatchObject({ keysEncrypted: false });
    expect((await run(['status', '--json'])).json()).toMatchObject({ mesh: { code: 'DEU', keysEncrypted: false } });
  });
});
