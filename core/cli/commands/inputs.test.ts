/**
 * What the commands read from the user — named files, devices, pipes, standard input — is read
 * with a bound and refused by name past it, with memory staying small; and a payload the strict
 * reader refuses (an inexact number, a million arrays) leaves nothing written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-inputs-')));
afterEach(() => dir.remove());

async function run(argv: string[], stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: {},
    untilStopped: () => Promise.resolve(),
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await main([...argv, '--home', dir.file('home')], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const failureOf = async (argv: string[], stdin?: string) => {
  const { code, stdout } = await run([...argv, '--json'], stdin);
  expect(code).toBe(1);
  return (JSON.parse(stdout) as { failures: { reason: string; message: string }[] }).failures[0]!;
};

const LABEL = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'RESTRICTED', categories: [], createdAt: '2026-11-23T08:00:00Z' });
const OBSERVE = ['observe', '--device', 'uav-7', '--class', 'track', '--subject', 'track:1'];

/** Each command and option that reads a file, pointed at `path`. */
const readers = (path: string): [string, string[]][] => [
  ['observe --label', [...OBSERVE, '--label', path]],
  ['mesh init --ca-chain', ['mesh', 'init', '--mesh', 'DEU', '--insecure-keys', '--ca-cert', '/dev/null', '--ca-key', '/dev/null', '--ca-chain', path]],
  ['mesh init --policy', ['mesh', 'init', '--mesh', 'DEU', '--insecure-keys', '--policy', path]],
  ['federation import', ['federation', 'import', path]],
  ['audit verify --bundle', ['audit', 'verify', '--bundle', path]],
  ['lineage --with', ['lineage', 'a'.repeat(64), '--with', path]],
];

function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; grownMb: number }> {
  const before = process.memoryUsage().rss;
  return work().then((result) => ({ result, grownMb: (process.memoryUsage().rss - before) / 1e6 }));
}

describe('input files, devices and pipes', () => {
  it.each(readers('/dev/zero'))('%s /dev/zero is refused at once, in one line, with memory staying small', async (_name, argv) => {
    const { result, grownMb } = await rssGrowth(async () => ({ failure: await failureOf(argv), plain: await run(argv) }));
    expect(result.failure.reason).toBe('not-text');
    expect(result.failure.message).toMatch(/file \/dev\/zero is not text: it holds a NUL byte at offset 0\.$/);
    expect(result.plain.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(grownMb).toBeLessThan(100);
  });

  it('refuses an endless pipe of text at the limit, having read no further', async () => {
    const fifo = dir.file('endless');
    execFileSync('mkfifo', [fifo]);
    // A writer in another process: the read blocks this thread. It ends on SIGPIPE once the reader closes.
    const writer = spawn('sh', ['-c', `yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | tr -d '\\n' > '${fifo}'`], { stdio: 'ignore' });
    try {
      const { result, grownMb } = await rssGrowth(() => failureOf([...OBSERVE, '--label', fifo]));
      expect(result).toMatchObject({ reason: 'file-too-large', message: `The label file ${fifo} is larger than 65536 bytes.` });
      expect(grownMb).toBeLessThan(100);
    } finally {
      writer.kill();
    }
  });

  it('reads a label through a named pipe as it would a file', async () => {
    expect((await run(['mesh', 'init', '--mesh', 'DEU', '--insecure-keys'])).code).toBe(0);
    expect((await run(['device', 'enroll', '--device', 'uav-7'])).code).toBe(0);
    const fifo = dir.file('label.pipe');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(dir.file('label.json'), LABEL);
    const writer = spawn('sh', ['-c', `cat '${dir.file('label.json')}' > '${fifo}'`], { stdio: 'ignore' });
    try {
      const observed = await run([...OBSERVE, '--label', fifo, '--json'], '{"lat":52}');
      expect(observed.code).toBe(0);
      expect(JSON.parse(observed.stdout)).toMatchObject({ ok: true, id: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      writer.kill();
    }
  });

  it('refuses an audit export larger than 256 MiB by its size, unread', async () => {
    const big = dir.file('big.bundle.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024); // sparse: no disk spent, and no byte of it is read
    closeSync(fd);
    const { result, grownMb } = await rssGrowth(async () => [await failureOf(['audit', 'verify', '--bundle', big]), await failureOf(['lineage', 'a'.repeat(64), '--with', big])]);
    expect(result.map((f) => f.reason)).toEqual(['file-too-large', 'file-too-large']);
    expect(result[0]!.message).toBe(`The bundle file ${big} is larger than ${256 * 1024 * 1024} bytes.`);
    expect(grownMb).toBeLessThan(100);
  });
});

describe('payloads the strict reader refuses', () => {
  beforeEach(async () => {
    expect((await run(['mesh', 'init', '--mesh', 'DEU', '--insecure-keys'])).code).toBe(0);
    expect((await run(['device', 'enroll', '--device', 'uav-7'])).code).toBe(0);
    writeFileSync(dir.file('label.json'), LABEL);
  });

  const logEntries = async () => (JSON.parse((await run(['audit', 'verify', '--json'])).stdout) as { entries: number }).entries;
  // The mesh's own entries (init, enrolment) stay; no observation and no entry about one is added.
  const nothingWritten = async (entriesBefore: number) => {
    expect(JSON.parse((await run(['verify', '--json'])).stdout)).toMatchObject({ checked: 0 });
    expect(await logEntries()).toBe(entriesBefore);
  };

  it('refuses a 30-digit integer by name instead of signing a rounded one, and writes nothing', async () => {
    const entries = await logEntries();
    const failure = await failureOf([...OBSERVE, '--label', dir.file('label.json')], '{"count":123456789012345678901234567890}');
    expect(failure.reason).toBe('inexact-number');
    expect(failure.message).toContain('number 123456789012345678901234567890 at line 1, column 10');
    await nothingWritten(entries);
  });

  it('refuses a million small arrays by name, and writes nothing', async () => {
    const entries = await logEntries();
    const payload = `[${'[],'.repeat(1_398_000)}[]]`;
    const { result, grownMb } = await rssGrowth(() => failureOf([...OBSERVE, '--label', dir.file('label.json')], payload));
    expect(result.reason).toBe('too-many-containers');
    expect(grownMb).toBeLessThan(100);
    await nothingWritten(entries);
  });
});
