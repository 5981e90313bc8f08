/**
 * Migration 12: the persistent range-fingerprint index of live links (decision 0006, "The
 * persistent index"). Per scope (`<federation id>:<partner mesh>`), the negentropy items
 * (`sync_items`: mesh time in ms, observation id), summaries over consecutive runs of them
 * (`sync_runs`: first item, count, 256-bit sum of the ids, little-endian), and the whole scope's
 * count and sum (`sync_scopes`), so a fingerprint reads a few runs rather than every item.
 * Scopes are filled by the app (core/app/sync-index) on every insert, or rebuilt there.
 */
import type { Migration } from '../migration.js';

export const migration0012: Migration = {
  version: 12,
  name: 'sync-index',
  up(db) {
    db.exec(`
      CREATE TABLE sync_items (
        scope TEXT NOT NULL,
        ts    INTEGER NOT NULL CHECK (ts >= 0),
        id    BLOB NOT NULL CHECK (length(id) = 32),
        PRIMARY KEY (scope, ts, id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_runs (
        scope TEXT NOT NULL,
        ts    INTEGER NOT NULL,
        id    BLOB NOT NULL CHECK (length(id) = 32),
        count INTEGER NOT NULL CHECK (count > 0),
        sum   BLOB NOT NULL CHECK (length(sum) = 32),
        PRIMARY KEY (scope, ts, id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_scopes (
        scope      TEXT PRIMARY KEY,
        count      INTEGER NOT NULL,
        sum        BLOB NOT NULL CHECK (length(sum) = 32),
        built_at   TEXT NOT NULL
      ) STRICT;
    `);
  },
};
