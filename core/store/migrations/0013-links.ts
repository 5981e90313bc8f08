/**
 * Migration 13: live links (docs/decisions/0006-live-links.md). Each partner link's state per
 * federation (`links`: up, or an operator's disconnection, last contact, backlog both ways as of
 * the last reconciliation, the last round trip); the NTP-style clock samples every exchange
 * carries (`clock_samples`, for the temporal reconciliation of issue 15); and each sync's end, the
 * two signed convergence statements and whether their digests matched (`convergence_records`).
 */
import type { Migration } from '../migration.js';

export const migration0013: Migration = {
  version: 13,
  name: 'links',
  up(db) {
    db.exec(`
      CREATE TABLE links (
        partner          TEXT NOT NULL,
        federation       TEXT NOT NULL,
        disconnected_at  TEXT,
        disconnected_by  TEXT,
        last_contact     TEXT,
        silent_since     TEXT,
        silence_reported TEXT,
        backlog_out      INTEGER NOT NULL DEFAULT 0 CHECK (backlog_out >= 0),
        backlog_in       INTEGER NOT NULL DEFAULT 0 CHECK (backlog_in >= 0),
        round_trip_ms    REAL,
        last_outcome     TEXT,
        PRIMARY KEY (partner, federation)
      ) STRICT;

      CREATE TABLE clock_samples (
        seq        INTEGER PRIMARY KEY,
        partner    TEXT NOT NULL,
        federation TEXT NOT NULL,
        t1 INTEGER NOT NULL, t2 INTEGER NOT NULL, t3 INTEGER NOT NULL, t4 INTEGER NOT NULL,
        offset_ms  REAL NOT NULL,
        delay_ms   REAL NOT NULL
      ) STRICT;
      CREATE INDEX clock_samples_by_partner ON clock_samples (partner, seq);

      CREATE TABLE convergence_records (
        seq           INTEGER PRIMARY KEY,
        partner       TEXT NOT NULL,
        federation    TEXT NOT NULL,
        version       INTEGER NOT NULL,
        scope         TEXT NOT NULL,
        session       TEXT NOT NULL CHECK (length(session) = 64),
        count         INTEGER NOT NULL,
        digest        TEXT NOT NULL,
        peer_count    INTEGER NOT NULL,
        peer_digest   TEXT NOT NULL,
        converged     INTEGER NOT NULL CHECK (converged IN (0, 1)),
        missing_here  INTEGER NOT NULL,
        missing_there INTEGER NOT NULL,
        ids           TEXT NOT NULL,
        own_proof     TEXT NOT NULL,
        peer_proof    TEXT NOT NULL,
        at            TEXT NOT NULL
      ) STRICT;
      CREATE INDEX convergence_by_partner ON convergence_records (partner, federation, seq);
    `);
  },
};
