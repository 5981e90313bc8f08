/**
 * `entente simulate` and `entente demo` from the command line: simulate's counts and achieved
 * rate (enrolling devices in a home with none, saying so), its usage errors; demo's refusal of a
 * home that holds data, and `--first-run` leaving such a home as it is (what `npm start` runs).
 * The exercise itself is built and read back in core/exercise/demo.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-demo-cli-')));
afterEach(() => dir.remove());

async function run(argv: string[], home = dir.file('home')) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ENTENTE_PASSPHRASE: 'demo cli test' }, untilStopped: () => new Promise(() => undefined), readStdin: () => Promise.resolve('') };
  const code = await main([...argv, '--home', home], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('entente simulate', () => {
  it('stores generated observations and reports counts and rate, enrolling devices when there are none', async () => {
    await run(['mesh', 'init', '--mesh', 'GBR']);
    const text = await run(['simulate', '--rate', '40', '--duration', '0.5', '--seed', 'cli']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('The home had no active device: enrolled sim-uas-1, sim-usv-1, sim-sensor-1');
    expect(text.stdout).toMatch(/^\d+ observations stored in mesh GBR/m);
    const json = await run(['simulate', '--rate', '40', '--duration', '0.5', '--json']);
    const report = JSON.parse(json.stdout) as { ok: boolean; enrolled: string[]; counts: { total: number; track: number }; achievedRate: number };
    expect(report).toMatchObject({ ok: true, enrolled: [] });
    expect(report.counts.total).toBeGreaterThan(0);
    expect(report.counts.track).toBeGreaterThan(0);
    expect(report.achievedRate).toBeGreaterThan(0);
    const listed = JSON.parse((await run(['device', 'list', '--json'])).stdout) as { devices?: unknown[] };
    expect(JSON.stringify(listed)).toContain('sim-usv-1');
  });

  it('refuses a rate or duration that is not a positive number, and a home without a mesh', async () => {
    expect((await run(['simulate', '--rate', 'fast', '--duration', '1'])).code).not.toBe(0);
    expect((await run(['simulate', '--rate', '10'])).code).not.toBe(0);
    const noMesh = await run(['simulate', '--rate', '10', '--duration', '1', '--json']);
    expect(noMesh.code).not.toBe(0);
    expect(noMesh.stdout + noMesh.stderr).toContain('no-mesh');
  });
});

describe('entente demo', () => {
  it('refuses a home that holds data, changing nothing; --first-run leaves it as it is', async () => {
    await run(['mesh', 'init', '--mesh', 'DEU']);
    const before = readdirSync(dir.file('home')).sort();
    const db = readFileSync(dir.file('home/entente.db'));
    const refused = await run(['demo', '--json']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('home-not-empty');
    const first = await run(['demo', '--first-run', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, built: false });
    expect(readdirSync(dir.file('home')).sort()).toEqual(before);
    expect(readFileSync(dir.file('home/entente.db')).equals(db)).toBe(true);
    expect(readdirSync(dir.path)).toEqual(['home']);
  });
});
