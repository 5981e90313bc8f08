/**
 * A workspace: one home directory holding one mesh's store. Opening creates the home on
 * first use (owner-only permissions) and gives it a stable identity.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type OpenOptions, type WriteDb } from '../store/database.js';
import { ensureWorkspaceMeta, schemaVersion } from '../store/workspace-meta.js';
import { DATABASE_FILE } from './home.js';

export interface WorkspaceInfo {
  readonly home: string;
  readonly databasePath: string;
  readonly workspaceId: string;
  readonly createdAt: string;
  readonly schemaVersion: number;
}

export interface Workspace {
  readonly home: string;
  readonly db: WriteDb;
  info(): WorkspaceInfo;
  close(): void;
}

export function openWorkspace(home: string, options: OpenOptions = {}): Workspace {
  const absoluteHome = resolve(home);
  mkdirSync(absoluteHome, { recursive: true, mode: 0o700 });
  const databasePath = join(absoluteHome, DATABASE_FILE);
  const db = openDatabase(databasePath, options);
  keepOwnerOnly(databasePath);
  const meta = ensureWorkspaceMeta(db, {
    workspaceId: createHash('sha256').update(randomBytes(32)).digest('hex'),
    createdAt: new Date().toISOString(),
  });
  return {
    home: absoluteHome,
    db,
    info: () => ({ home: absoluteHome, databasePath, ...meta, schemaVersion: schemaVersion(db) }),
    close: () => db.close(),
  };
}

/**
 * The store holds classified observations and the mesh's (encrypted) keys: owner-only, even in a
 * home that existed before with wider permissions (`mkdir` gives 0755). SQLite gives the WAL and
 * shared-memory files the database file's permissions, so tightening it covers those from now on.
 */
function keepOwnerOnly(databasePath: string): void {
  for (const path of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
    try {
      if (existsSync(path)) chmodSync(path, 0o600);
    } catch {
      // Not ours to change (another owner, a read-only mount): the store still opens as it is.
    }
  }
}
