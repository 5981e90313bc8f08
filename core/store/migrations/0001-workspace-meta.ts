/** Migration 1: the workspace's own identity (one row, written once when the home is created). */
import type { Migration } from '../migration.js';

export const migration0001: Migration = {
  version: 1,
  name: 'workspace-meta',
  up(db) {
    db.exec(`
      CREATE TABLE workspace_meta (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        workspace_id TEXT NOT NULL CHECK (length(workspace_id) = 64),
        created_at  TEXT NOT NULL
      ) STRICT;
    `);
  },
};
