/**
 * `entente bundle import|verify` given what is not a bundle file (issue 13, "Bad input and
 * faults"): a directory, /dev/zero (endless bytes, no line end), a missing path — each refused
 * by name at once, never read, never a hang, and nothing written to the home.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../test-support/built-cli.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { DATABASE_FILE } from '../../workspace/home.js';

let dir: TempDir;
let home: string;

beforeAll(async () => {
  ensureBuilt();
  dir = makeTempDir('entente-bundle-files-');
  home = dir.file('home');
  const done = await runCli(['mesh', 'init', '--mesh', 'NLD', '--insecure-keys', '--home', home]);
  expect(done.code, done.stderr).toBe(0);
}, 300_000);

afterAll(() => dir?.remove());

const logSize = () => {
  const db = new Database(join(home, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get();
  } finally {
    db.close();
  }
};

describe('bundle commands given what is not a bundle file', () => {
  for (const [what, path, reason] of [
    ['a directory', () => dir.path, 'not-a-file'],
    ['/dev/zero', () => '/dev/zero', 'not-a-file'],
    ['a missing file', () => dir.file('nowhere.bundle'), 'unreadable-file'],
  ] as const) {
    for (const command of ['import', 'verify']) {
      it(`bundle ${command} refuses ${what}: ${reason}`, async () => {
        const before = logSize();
        const started = performance.now();
        const done = await runCli(['bundle', command, path(), '--home', home, '--json']);
        expect(performance.now() - started).toBeLessThan(20_000);
        expect(done.code).not.toBe(0);
        expect(done.stdout + done.stderr).toContain(reason);
        expect(logSize()).toBe(before);
      });
    }
  }
});
