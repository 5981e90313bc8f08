/** The command line, run in-process: help, version, exit codes, and the --json shape. */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import type { CliIo } from './command.js';
import { main } from './main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: { ENTENTE_HOME: dir.file('default-home') },
    untilStopped: () => Promise.resolve(),
    readStdin: () => Promise.resolve(''),
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), stderrLines: stderr };
}

describe('entente', () => {
  it('--help lists the commands and the shared options', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+status\s/m);
    expect(stdout).toMatch(/^\s+serve\s/m);
    expect(stdout).toContain('--home DIR');
    expect(stdout).toContain('ENTENTE_PASSPHRASE');
  });

  it('--version prints name and version, as JSON with --json', async () => {
    expect((await run('--version')).stdout).toMatch(/^Entente \S+$/);
    expect(JSON.parse((await run('--version', '--json')).stdout)).toMatchObject({ ok: true, name: 'Entente' });
  });

  it('exits 2 with one line on stderr for an unknown command, option or argument', async () => {
    for (const argv of [['launch'], ['status', '--colour'], ['status', 'extra'], ['serve', '--port', 'eighty'], ['status', '--home', '']]) {
      const { code, stderrLines } = await run(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderrLines, argv.join(' ')).toHaveLength(1);
      expect(stderrLines[0]).toMatch(/^entente: /);
    }
  });

  it('names the unknown option, and lists the verbs of a bare group', async () => {
    expect((await run('status', '--colour')).stderr).toContain('--colour');
    const group = await run('mesh');
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/needs one of: .*init/);
  });

  it('--json makes a usage error one JSON object on stdout too', async () => {
    const { code, stdout } = await run('status', '--json', '--home', '');
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({ ok: false, failures: [{ reason: 'usage', message: expect.stringContaining('--home') }] });
  });

  it("a command's --help prints its usage and opens nothing", async () => {
    const { code, stdout } = await run('status', '--help', '--home', dir.file('home'));
    expect(code).toBe(0);
    expect(stdout).toContain('usage: entente status');
    expect(existsSync(dir.file('home'))).toBe(false);
  });

  it('status --json prints exactly one JSON object with the workspace id', async () => {
    const { code, stdout } = await run('status', '--home', dir.file('home'), '--json');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout) as { ok: boolean; workspace: { workspaceId: string; home: string } };
    expect(report.ok).toBe(true);
    expect(report.workspace.workspaceId).toMatch(/^[0-9a-f]{64}$/);
    expect(report.workspace.home).toBe(dir.file('home'));
  });

  it('uses ENTENTE_HOME when --home is not given', async () => {
    const report = JSON.parse((await run('status', '--json')).stdout) as { workspace: { home: string } };
    expect(report.workspace.home).toBe(dir.file('default-home'));
  });

  it('refuses a foreign database with exit 1, a reason code, and the file untouched', async () => {
    const home = dir.file('home');
    await run('status', '--home', home);
    const path = `${home}/entente.db`;
    const foreign = new Database(dir.file('other.db'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    const bytes = readFileSync(dir.file('other.db'));
    writeFileSync(path, bytes);
    for (const suffix of ['-wal', '-shm']) writeFileSync(`${path}${suffix}`, '');

    const { code, stdout } = await run('status', '--home', home, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ ok: false, failures: [{ reason: 'foreign-database', message: expect.stringMatching(/another application/) }] });
    expect(readFileSync(path)).toEqual(bytes);
  });

  it('refuses a database file that is not SQLite, and a home that is a file, with exit 1', async () => {
    const home = dir.file('home');
    await run('status', '--home', home);
    writeFileSync(`${home}/entente.db`, 'field notes\n');
    const damaged = await run('status', '--home', home, '--json');
    expect(damaged.code).toBe(1);
    expect(JSON.parse(damaged.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'not-sqlite' }] });
    expect(readFileSync(`${home}/entente.db`, 'utf8')).toBe('field notes\n');

    writeFileSync(dir.file('plain-file'), 'x');
    const notADirectory = await run('status', '--home', dir.file('plain-file'), '--json');
    expect(notADirectory.code).toBe(1);
    expect(JSON.parse(notADirectory.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'home-unusable', message: expect.any(String) }] });
  });
});
