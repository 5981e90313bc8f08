/** Opening the store: durable settings on a fresh file; foreign, damaged and newer files refused untouched. */
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { ENTENTE_APPLICATION_ID, openDatabase, StoreOpenError } from './database.js';
import { LATEST_SCHEMA_VERSION } from './migrate.js';
import { migrations } from './migrations/index.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

function refusalOf(path: string): StoreOpenError {
  try {
    openDatabase(path).close();
  } catch (error) {
    if (error instanceof StoreOpenError) return error;
    throw error;
  }
  throw new Error('the store opened');
}

describe('openDatabase', () => {
  it('makes a fresh store durable, marked as ours and fully migrated', () => {
    const db = openDatabase(dir.file('entente.db'));
    expect(db.pragma('application_id', { simple: true })).toBe(ENTENTE_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('opens its own store again without changing it', () => {
    openDatabase(dir.file('entente.db')).close();
    const db = openDatabase(dir.file('entente.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it as it was', () => {
    const path = dir.file('entente.db');
    writeFileSync(path, 'these are my field notes, not a database\n');
    const before = readFileSync(path);
    expect(refusalOf(path).reason).toBe('not-sqlite');
    expect(readFileSync(path)).toEqual(before);
  });

  it('makes a new store of the empty file a first open left behind when it was killed', () => {
    const path = dir.file('entente.db');
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(db.pragma('application_id', { simple: true })).toBe(ENTENTE_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses an empty file whose write-ahead log holds data, leaving both as they were', () => {
    const path = dir.file('entente.db');
    writeFileSync(path, '');
    writeFileSync(`${path}-wal`, 'frames of another application');
    expect(refusalOf(path).reason).toBe('not-sqlite');
    expect(readFileSync(path).length).toBe(0);
    expect(readFileSync(`${path}-wal`, 'utf8')).toBe('frames of another application');
  });

  it("refuses another application's SQLite database and leaves it as it was", () => {
    const path = dir.file('entente.db');
    const foreign = new Database(path);
    foreign.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('someone');");
    foreign.close();
    const before = readFileSync(path);
    const refusal = refusalOf(path);
    expect(refusal.reason).toBe('foreign-database');
    expect(refusal.message).toMatch(/another application/);
    expect(readFileSync(path)).toEqual(before);
  });

  it('refuses a store whose schema is newer than this code', () => {
    const path = dir.file('entente.db');
    const db = openDatabase(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(refusalOf(path).reason).toBe('newer-schema');
  });

  it('refuses a directory where the file should be', () => {
    expect(refusalOf(dir.path).reason).toBe('unreadable');
  });

  it("leaves another application's write-ahead log unapplied when refusing its database", () => {
    // A copy taken while the other application had the database open: its latest rows are
    // still in the -wal file. A read-write open would checkpoint them into the file on close.
    const live = new Database(dir.file('live.db'));
    live.pragma('journal_mode = WAL');
    live.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('someone');");
    const path = dir.file('entente.db');
    copyFileSync(dir.file('live.db'), path);
    copyFileSync(dir.file('live.db-wal'), `${path}-wal`);
    live.close();
    const before = { db: readFileSync(path), wal: readFileSync(`${path}-wal`) };
    expect(before.wal.length).toBeGreaterThan(0);

    expect(refusalOf(path).reason).toBe('foreign-database');
    expect({ db: readFileSync(path), wal: readFileSync(`${path}-wal`) }).toEqual(before);
  });

  it('refuses a damaged file that starts like SQLite, leaving it as it was', () => {
    const path = dir.file('entente.db');
    writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(4_080, 0xa5)]));
    const before = readFileSync(path);
    expect(refusalOf(path).reason).toBe('unreadable');
    expect(readFileSync(path)).toEqual(before);
  });

  it('brings a store from each earlier schema version up to date, keeping what it holds', () => {
    for (let version = 1; version < LATEST_SCHEMA_VERSION; version++) {
      const path = dir.file(`v${version}.db`);
      const old = new Database(path);
      old.pragma(`application_id = ${ENTENTE_APPLICATION_ID}`);
      for (const migration of migrations.slice(0, version)) migration.up(old);
      old.pragma(`user_version = ${version}`);
      old.prepare('INSERT INTO workspace_meta VALUES (1, ?, ?)').run('d'.repeat(64), '2026-11-23T00:00:00Z');
      old.close();

      const db = openDatabase(path);
      expect(db.pragma('user_version', { simple: true }), `from v${version}`).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT workspace_id AS id FROM workspace_meta').all()).toEqual([{ id: 'd'.repeat(64) }]);
      db.close();
    }
  });
});
