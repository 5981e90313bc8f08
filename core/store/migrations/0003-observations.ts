/**
 * Migration 3: governed observations — immutable and append-only. The signed record is kept
 * whole as canonical JSON; the columns beside it are indexed copies for finding it by subject,
 * class, mesh and time. Sources are kept as edges even when the source is not (yet) held here:
 * an unresolved reference is information, not an error.
 */
import type { Migration } from '../migration.js';

export const migration0003: Migration = {
  version: 3,
  name: 'observations',
  up(db) {
    db.exec(`
      CREATE TABLE observations (
        id                 TEXT PRIMARY KEY CHECK (length(id) = 64),
        mesh               TEXT NOT NULL,
        subject            TEXT NOT NULL,
        class              TEXT NOT NULL,
        observed_at        TEXT NOT NULL,
        hlc_l              INTEGER NOT NULL,
        hlc_c              INTEGER NOT NULL,
        device             TEXT NOT NULL,
        device_certificate TEXT NOT NULL CHECK (length(device_certificate) = 64),
        record             TEXT NOT NULL,
        stored_at          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX observations_by_subject ON observations (subject, hlc_l, hlc_c);
      CREATE INDEX observations_by_class ON observations (class, hlc_l, hlc_c);
      CREATE INDEX observations_by_mesh ON observations (mesh, hlc_l, hlc_c);
      CREATE INDEX observations_by_time ON observations (observed_at);

      CREATE TABLE observation_sources (
        observation_id TEXT NOT NULL REFERENCES observations (id),
        source_id      TEXT NOT NULL CHECK (length(source_id) = 64),
        PRIMARY KEY (observation_id, source_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX observation_sources_by_source ON observation_sources (source_id);

      -- Observations are facts someone signed: the store never changes or drops one.
      CREATE TRIGGER observations_are_immutable BEFORE UPDATE ON observations
        BEGIN SELECT RAISE(ABORT, 'observations are immutable'); END;
      CREATE TRIGGER observations_are_append_only BEFORE DELETE ON observations
        BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
      CREATE TRIGGER observation_sources_are_immutable BEFORE UPDATE ON observation_sources
        BEGIN SELECT RAISE(ABORT, 'observation sources are immutable'); END;
      CREATE TRIGGER observation_sources_are_append_only BEFORE DELETE ON observation_sources
        BEGIN SELECT RAISE(ABORT, 'observation sources are append-only'); END;
    `);
  },
};
