/**
 * Two processes recording observations on one home at once (the built `entente observe`, run as
 * scripts run it): every hybrid logical clock stamp is distinct, and the stamps increase strictly
 * in the order the observations were committed.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli } from '../../test-support/built-cli.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { DATABASE_FILE } from '../../workspace/home.js';

beforeAll(() => ensureBuilt(), 300_000);

let dir: TempDir;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

const PER_WRITER = 50;

async function observe(home: string, labelFile: string, device: string, subject: string): Promise<void> {
  const { child, finished } = startCli(['observe', '--home', home, '--device', device, '--class', 'track', '--subject', subject, '--label', labelFile, '--json']);
  child.stdin.end('{"lat":52}');
  const done = await finished;
  if (done.code !== 0) throw new Error(`observe exited ${done.code}: ${done.stderr}`);
}

describe('entente observe from two processes at once', () => {
  it(`stamps ${2 * PER_WRITER} observations distinct and strictly increasing in commit order`, async () => {
    const home = dir.file('home');
    const labelFile = dir.file('label.json');
    writeFileSync(labelFile, JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    for (const args of [['mesh', 'init', '--mesh', 'DEU', '--insecure-keys'], ['device', 'enroll', '--device', 'uav-7'], ['device', 'enroll', '--device', 'radar-2']]) {
      const done = await runCli([...args, '--home', home]);
      expect(done.code, done.stderr).toBe(0);
    }

    // One writer per device, each running its observations one after another; the two race each other.
    const writer = async (device: string) => {
      for (let i = 0; i < PER_WRITER; i += 1) await observe(home, labelFile, device, `track:${i}`);
    };
    await Promise.all([writer('uav-7'), writer('radar-2')]);

    const db = new Database(join(home, DATABASE_FILE), { readonly: true });
    try {
      // rowid is the commit order: each observe stores its row in its own transaction.
      const stamps = db.prepare('SELECT hlc_l AS l, hlc_c AS c FROM observations ORDER BY rowid').all() as { l: number; c: number }[];
      expect(stamps).toHaveLength(2 * PER_WRITER);
      expect(new Set(stamps.map(({ l, c }) => `${l}.${c}`)).size).toBe(2 * PER_WRITER);
      const backwards = stamps.slice(1).filter((s, i) => !(s.l > stamps[i]!.l || (s.l === stamps[i]!.l && s.c > stamps[i]!.c)));
      expect(backwards).toEqual([]);
    } finally {
      db.close();
    }
  }, 240_000);
});
