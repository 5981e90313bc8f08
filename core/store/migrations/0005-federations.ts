/**
 * Migration 5: federations. Each version of a declaration is kept as the canonical JSON its
 * partners signed, with the signatures received for it; withdrawals and executed exits are
 * kept beside them. The lifecycle state is never stored: it is computed from these rows and
 * the trusted time floor (a moment this workspace has already seen, so setting the clock back
 * does not bring an expired federation back).
 *
 * Foreign observations are admitted under a federation (`foreign_admissions`) and are the only
 * rows the store may ever delete: an exit's purge first lists their ids in
 * `purge_authorizations`, in the same transaction, and the append-only triggers let exactly
 * those rows go.
 */
import type { Migration } from '../migration.js';

export const migration0005: Migration = {
  version: 5,
  name: 'federations',
  up(db) {
    db.exec(`
      CREATE TABLE federation_versions (
        id          TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        digest      TEXT NOT NULL CHECK (length(digest) = 64),
        declaration TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;

      CREATE TABLE federation_signatures (
        id       TEXT NOT NULL,
        version  INTEGER NOT NULL,
        keyid    TEXT NOT NULL,
        alg      TEXT NOT NULL,
        sig      TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (id, version, keyid, sig),
        FOREIGN KEY (id, version) REFERENCES federation_versions (id, version)
      ) STRICT;

      CREATE TABLE federation_withdrawals (
        id       TEXT NOT NULL,
        partner  TEXT NOT NULL,
        reason   TEXT NOT NULL,
        at       TEXT NOT NULL,
        envelope TEXT NOT NULL,
        PRIMARY KEY (id, partner)
      ) STRICT;

      CREATE TABLE federation_exits (
        id          TEXT NOT NULL,
        partner     TEXT NOT NULL,
        executed_at TEXT NOT NULL,
        summary     TEXT NOT NULL,
        PRIMARY KEY (id, partner)
      ) STRICT;

      CREATE TABLE trusted_time (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        floor     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE foreign_admissions (
        observation_id TEXT PRIMARY KEY,
        federation     TEXT NOT NULL,
        partner        TEXT NOT NULL,
        admitted_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX foreign_admissions_by_partner ON foreign_admissions (federation, partner);

      CREATE TABLE purge_authorizations (observation_id TEXT PRIMARY KEY) STRICT;

      DROP TRIGGER observations_are_append_only;
      CREATE TRIGGER observations_are_append_only BEFORE DELETE ON observations
        WHEN NOT EXISTS (SELECT 1 FROM purge_authorizations WHERE observation_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
      DROP TRIGGER observation_sources_are_append_only;
      CREATE TRIGGER observation_sources_are_append_only BEFORE DELETE ON observation_sources
        WHEN NOT EXISTS (SELECT 1 FROM purge_authorizations WHERE observation_id = OLD.observation_id)
        BEGIN SELECT RAISE(ABORT, 'observation sources are append-only'); END;
    `);
  },
};
