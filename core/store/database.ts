/**
 * Opening the workspace database: better-sqlite3 in WAL mode with synchronous=FULL (an
 * officer told "imported" must not lose it to a power cut), foreign keys on, and an
 * application id that marks the file as ours. A file that is not an SQLite database, or is
 * another application's, is refused with a clear message and never written to.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StoreOpenError } from './errors.js';
import { migrate } from './migrate.js';

export { StoreOpenError };

/** "ENTE" in ASCII, stored in the SQLite header (PRAGMA application_id). */
export const ENTENTE_APPLICATION_ID = 0x454e5445;
const SQLITE_HEADER = 'SQLite format 3\u0000';

declare const readable: unique symbol;
declare const writable: unique symbol;

/**
 * A connection to read through. Store functions that only read take one; a view given only a
 * ReadDb cannot call a store function that writes. (Branded: a raw Database is neither.)
 */
export type ReadDb = Database.Database & { readonly [readable]: true };

/** A connection that may also write: every store function that writes takes one. A WriteDb is also a ReadDb. */
export type WriteDb = ReadDb & { readonly [writable]: true };

export interface OpenOptions {
  /** Path of a better-sqlite3 addon built for another runtime (Electron's ABI). */
  readonly nativeBinding?: string;
}

export function openDatabase(path: string, options: OpenOptions = {}): WriteDb {
  const existed = existsSync(path) && !isEmptyLeftover(path);
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  if (existed) {
    refuseForeignFile(path);
    refuseForeignDatabase(path, binding);
  }

  const db = new Database(path, binding);
  try {
    if (!existed) db.pragma(`application_id = ${ENTENTE_APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A bundle's block commits a few MB of pages; checkpointing after every 1,000 pages (the default)
    // copied them into the file and synced it on nearly every commit, and rewrote the same index pages
    // each time. Every commit still syncs the log (synchronous = FULL); the file is brought up to it
    // every 16,384 pages (64 MiB), and the log cut back to that size after.
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrate(db, path);
    // The one place a connection gets its type: opened read-write, it may do both.
    return db as WriteDb;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * An empty file with no write-ahead log holding anything: what a first open leaves when it is
 * killed before SQLite writes the header. It holds nothing to protect, so it becomes a new store
 * instead of being refused forever. (An empty file beside a non-empty WAL may be another
 * application's fresh database: that one is refused as usual.)
 */
function isEmptyLeftover(path: string): boolean {
  try {
    const wal = `${path}-wal`;
    return statSync(path).isFile() && statSync(path).size === 0 && (!existsSync(wal) || statSync(wal).size === 0);
  } catch {
    return false;
  }
}

/**
 * Reads the application id through a read-only connection. A read-write connection would,
 * on closing, checkpoint another application's write-ahead log into its database file (or
 * roll back its hot journal): refusing the file must not change it.
 */
function refuseForeignDatabase(path: string, binding: Database.Options): void {
  let appId: number;
  try {
    const probe = new Database(path, { ...binding, readonly: true, fileMustExist: true });
    try {
      appId = probe.pragma('application_id', { simple: true }) as number;
    } finally {
      probe.close();
    }
  } catch (error) {
    throw new StoreOpenError(path, 'unreadable', `${path} cannot be read as an SQLite database: ${(error as Error).message}; it was left untouched.`);
  }
  if (appId !== ENTENTE_APPLICATION_ID) {
    throw new StoreOpenError(path, 'foreign-database', `${path} is an SQLite database of another application (application_id ${appId}); Entente will not touch it.`);
  }
}

/** Reads the 16-byte header before SQLite does, so a foreign file is never opened for writing. */
function refuseForeignFile(path: string): void {
  let header: string;
  try {
    if (!statSync(path).isFile()) throw new StoreOpenError(path, 'unreadable', `${path} is not a regular file.`);
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(16);
      const read = readSync(fd, buffer, 0, 16, 0);
      header = buffer.subarray(0, read).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(path, 'unreadable', `${path} cannot be read: ${(error as Error).message}.`);
  }
  if (header !== SQLITE_HEADER) {
    throw new StoreOpenError(path, 'not-sqlite', `${path} is not an SQLite database (damaged, or not an Entente store); it was left untouched.`);
  }
}
