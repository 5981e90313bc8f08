/**
 * A fresh store per test: a real SQLite file in its own temporary folder, fully migrated, closed
 * and removed after the test. A test file calls it once at the top and reads `db` (and `dir`, for
 * the file's folder) inside its tests; vitest runs the file's own `beforeEach` after this one's.
 */
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type WriteDb } from '../store/database.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export interface TempDatabase {
  /** This test's store. */
  readonly db: WriteDb;
  /** The folder it lives in (`dir.file('entente.db')` is the store's file). */
  readonly dir: TempDir;
}

export function useTempDatabase(prefix = 'entente-test-'): TempDatabase {
  let current: TempDatabase | undefined;
  beforeEach(() => {
    const dir = makeTempDir(prefix);
    current = { dir, db: openDatabase(dir.file('entente.db')) };
  });
  afterEach(() => {
    if (current?.db.open) current.db.close();
    current?.dir.remove();
    current = undefined;
  });
  const now = (): TempDatabase => {
    if (!current) throw new Error('useTempDatabase: the store exists only inside a test');
    return current;
  };
  return {
    get db() {
      return now().db;
    },
    get dir() {
      return now().dir;
    },
  };
}
