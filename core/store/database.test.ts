/** Opening the store: durable settings on a fresh file; foreign, damaged and newer files refused untouched. */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { ENTENTE_APPLICATION_ID, openDatabase, StoreOpenError } from './database.js';
import { LATEST_SCHEMA_VERSION } from './migrate.js';

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
});
