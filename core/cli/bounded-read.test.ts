/** Bounded reads: exactly the limit is read, one byte more is refused, and an endless stream stops. */
import { createReadStream, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { InputNotText, InputTooLarge, readFileBounded, readStreamBounded } from './bounded-read.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-bounded-')));
afterEach(() => dir.remove());

describe('readFileBounded', () => {
  it('reads a file of exactly the limit, and refuses one byte more', () => {
    writeFileSync(dir.file('at'), 'x'.repeat(100_000));
    writeFileSync(dir.file('over'), 'x'.repeat(100_001));
    expect(readFileBounded(dir.file('at'), 100_000).toString()).toBe('x'.repeat(100_000));
    expect(() => readFileBounded(dir.file('over'), 100_000)).toThrow(InputTooLarge);
  });

  it('reads a device only up to the limit', () => {
    expect(() => readFileBounded('/dev/zero', 300_000)).toThrow(InputTooLarge);
    expect(readFileBounded('/dev/null', 10).length).toBe(0);
  });

  it('stops a text read at the first NUL byte, naming where', () => {
    writeFileSync(dir.file('nul'), Buffer.from('{"a":\u0000}'));
    expect(() => readFileBounded(dir.file('nul'), 1_000, { text: true })).toThrow(new InputNotText(5));
    expect(readFileBounded(dir.file('nul'), 1_000).length).toBe(7);
  });
});

describe('readStreamBounded', () => {
  it('stops reading endless standard input past the limit, memory staying small', async () => {
    const before = process.memoryUsage().rss;
    await expect(readStreamBounded(createReadStream('/dev/zero'), 4 * 1024 * 1024)).rejects.toThrow(InputTooLarge);
    expect((process.memoryUsage().rss - before) / 1e6).toBeLessThan(100);
  });

  it('returns everything when within the limit', async () => {
    writeFileSync(dir.file('payload'), '{"lat":52}');
    expect((await readStreamBounded(createReadStream(dir.file('payload')), 10)).toString()).toBe('{"lat":52}');
  });
});
