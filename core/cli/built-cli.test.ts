/** The built command run as a child process, as a user or a script runs it. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildObservationStore } from '../../bench/observation-store-fixture.js';
import { openDatabase } from '../store/database.js';
import { ensureBuilt, firstLine, runCli, startCli } from '../test-support/built-cli.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';

beforeAll(() => ensureBuilt(), 300_000);

let dir: TempDir;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

describe('bin/entente.mjs', () => {
  it('--help exits 0 listing the commands', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+status\s/m);
    expect(stdout).toMatch(/^\s+serve\s/m);
    expect(stderr).toBe('');
  });

  it('status --json prints one JSON object; a wrong command exits 2', async () => {
    const status = await runCli(['status', '--home', dir.file('home'), '--json']);
    expect(status.code).toBe(0);
    expect(status.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, workspace: { workspaceId: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    const wrong = await runCli(['launch']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('serve prints its URL, guards it with the token, and stops cleanly on SIGTERM', async () => {
    const { child, finished } = startCli(['serve', '--home', dir.file('home'), '--port', '0', '--json']);
    try {
      const announced = JSON.parse(await firstLine(child)) as { ok: boolean; url: string; address: string; port: number };
      expect(announced.ok).toBe(true);
      // A loopback address of its own (Linux routes all of 127/8), never the shared 127.0.0.1.
      expect(announced.address).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(announced.address).not.toBe('127.0.0.1');
      expect(announced.url).toBe(`http://${announced.address}:${announced.port}${new URL(announced.url).pathname}${new URL(announced.url).search}`);
      expect(announced.url).toMatch(/^http:\/\/127\.\d+\.\d+\.\d+:\d+\/\?token=[\w-]{43,}$/);
      const origin = `http://${announced.address}:${announced.port}`;

      expect((await fetch(`${origin}/`)).status).toBe(401);
      const traded = await fetch(announced.url, { redirect: 'manual' });
      expect(traded.status).toBe(303);
      const cookie = traded.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(`${origin}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<script src="/entente-bridge.js"></script>');
      // The page is the built console, not a placeholder.
      const built = readFileSync(new URL('../../dist/renderer/index.html', import.meta.url), 'utf8');
      expect(html).toContain(built.match(/<script[^>]+src="([^"]+)"/)![1]);
    } finally {
      child.kill('SIGTERM');
    }
    const exit = await finished;
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
  });

  it('verify runs on worker threads for a large store, and names a tampered row as one thread does', async () => {
    const home = dir.file('large');
    mkdirSync(home);
    await buildObservationStore(join(home, 'entente.db'), 2_400, 'signature');
    const db = openDatabase(join(home, 'entente.db'));
    db.exec('DROP TRIGGER observations_are_immutable');
    db.prepare(`UPDATE observations SET record = replace(record, '"alt":1200', '"alt":1300') WHERE rowid = 2000`).run();
    db.close();
    const [one, all] = await Promise.all([runCli(['verify', '--home', home, '--json', '--threads', '1']), runCli(['verify', '--home', home, '--json', '--threads', '2'])]);
    expect(one.code).toBe(1);
    expect(all).toEqual(one);
    expect(JSON.parse(all.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'bad-signature' }, { reason: 'verification-summary', message: expect.stringContaining('2399 of 2400') }] });

    const wrong = await runCli(['verify', '--home', home, '--threads', '0']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--threads is a number of threads from 1 to 256/);
  }, 60_000);
});
