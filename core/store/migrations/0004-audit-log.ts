/**
 * Migration 4: the reconciliation log (core/audit). A home keeps one mesh's log, so an entry's
 * position is the table's rowid: appends go to the end of the B-tree. Entries are kept whole
 * as canonical JSON, with indexed copies of what the console filters on (partial indices: most
 * entries name no federation); there is no index on time because wall times never run
 * backwards within the log, so a time window is found by binary search over positions.
 * `audit_entry_refs` finds every entry about an id (provenance). Checkpoints are the mesh authority's signed envelopes. Peer heads
 * are the latest checkpoint seen from each partner (what a split view or a rewind is caught
 * against); cosignatures are partners' signatures over our checkpoints.
 */
import type { Migration } from '../migration.js';

export const migration0004: Migration = {
  version: 4,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_entries (
        seq        INTEGER PRIMARY KEY CHECK (seq >= 0),
        log        TEXT NOT NULL,
        id         TEXT NOT NULL CHECK (length(id) = 64),
        type       TEXT NOT NULL,
        subject    TEXT,
        federation TEXT,
        wall       TEXT NOT NULL,
        hlc_l      INTEGER NOT NULL,
        hlc_c      INTEGER NOT NULL,
        entry      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_entries_by_type ON audit_entries (type, seq);
      CREATE INDEX audit_entries_by_subject ON audit_entries (subject, seq) WHERE subject IS NOT NULL;
      CREATE INDEX audit_entries_by_federation ON audit_entries (federation, seq) WHERE federation IS NOT NULL;

      CREATE TABLE audit_entry_refs (
        ref TEXT NOT NULL CHECK (length(ref) = 64),
        seq INTEGER NOT NULL,
        PRIMARY KEY (ref, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_checkpoints (
        log      TEXT NOT NULL,
        size     INTEGER NOT NULL CHECK (size >= 0),
        root     TEXT NOT NULL CHECK (length(root) = 64),
        time     TEXT NOT NULL,
        id       TEXT NOT NULL CHECK (length(id) = 64),
        envelope TEXT NOT NULL,
        -- The tree's right edge at this size: lets the writer append without reading the log back.
        frontier BLOB NOT NULL,
        PRIMARY KEY (log, size, id)
      ) STRICT;

      CREATE TABLE audit_peer_heads (
        peer       TEXT PRIMARY KEY,
        anchor     TEXT NOT NULL CHECK (length(anchor) = 64),
        size       INTEGER NOT NULL,
        root       TEXT NOT NULL CHECK (length(root) = 64),
        envelope   TEXT NOT NULL,
        seen_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_cosignatures (
        log        TEXT NOT NULL,
        size       INTEGER NOT NULL,
        witness    TEXT NOT NULL,
        envelope   TEXT NOT NULL,
        stored_at  TEXT NOT NULL,
        PRIMARY KEY (log, size, witness)
      ) STRICT;

      -- The log is evidence: the store never changes or drops an entry or a checkpoint.
      CREATE TRIGGER audit_entries_are_immutable BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'log entries are immutable'); END;
      CREATE TRIGGER audit_entries_are_append_only BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'log entries are append-only'); END;
      CREATE TRIGGER audit_checkpoints_are_immutable BEFORE UPDATE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are immutable'); END;
      CREATE TRIGGER audit_checkpoints_are_append_only BEFORE DELETE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
    `);
  },
};
