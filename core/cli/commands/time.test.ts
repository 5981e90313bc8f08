/** `entente time confirm` from the command line: nothing to confirm while the clock is within the bound. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-time-cli-')));
afterEach(() => dir.remove());

async function run(argv: string[]) {
  const stdout: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: () => undefined, env: { ENTENTE_PASSPHRASE: 'time cli test' }, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve('') };
  const code = await main([...argv, '--home', dir.file('home')], io);
  return { code, stdout: stdout.join('\n') };
}

describe('entente time confirm', () => {
  it('says there is nothing to confirm, and federation status reports no jump', async () => {
    await run(['mesh', 'init', '--mesh', 'DEU']);
    const confirm = await run(['time', 'confirm', '--json']);
    expect(confirm.code).toBe(0);
    expect(JSON.parse(confirm.stdout)).toMatchObject({ confirmed: false, exited: [] });
    expect((await run(['time', 'confirm'])).stdout).toBe('The clock is within the bound of the last trusted time: nothing to confirm.');
    expect(JSON.parse((await run(['federation', 'status', '--json'])).stdout)).toEqual({ ok: true, federations: [], clockJump: null });
  });

  it('refuses before the mesh exists', async () => {
    expect((await run(['time', 'confirm', '--json'])).code).not.toBe(0);
  });
});
