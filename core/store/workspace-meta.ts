/** Reading and writing the workspace identity row (SQL stays in core/store). */
import type { ReadDb, WriteDb } from './database.js';

export interface WorkspaceMetaRow {
  readonly workspaceId: string;
  readonly createdAt: string;
}

export function readWorkspaceMeta(db: ReadDb): WorkspaceMetaRow | undefined {
  return db
    .prepare('SELECT workspace_id AS workspaceId, created_at AS createdAt FROM workspace_meta WHERE singleton = 1')
    .get() as WorkspaceMetaRow | undefined;
}

/** Writes the identity only if none exists yet; returns the identity that is stored. */
export function ensureWorkspaceMeta(db: WriteDb, candidate: WorkspaceMetaRow): WorkspaceMetaRow {
  db.prepare('INSERT INTO workspace_meta (singleton, workspace_id, created_at) VALUES (1, ?, ?) ON CONFLICT (singleton) DO NOTHING').run(
    candidate.workspaceId,
    candidate.createdAt,
  );
  return readWorkspaceMeta(db)!;
}

export function schemaVersion(db: ReadDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}
