/**
 * Migration 11: the crossing (docs/decisions/0005-crossing.md). What each admitted foreign
 * observation crossed with (`crossings`: the agent, the bundle and its line, the federation
 * version, the release authority, the translated alternative label and the attestations that
 * made it); each bundle's import, kept by digest so a killed import resumes and a second one
 * changes nothing (`bundle_imports`, with the refusals it met); what this mesh exported to
 * whom and up to where (`bundle_exports`, `export_cursors`) and what the partner said it admitted
 * (`receipts`); and what waits for an operator (`quarantine`).
 */
import type { Migration } from '../migration.js';

export const migration0011: Migration = {
  version: 11,
  name: 'crossings',
  up(db) {
    db.exec(`
      CREATE TABLE crossings (
        observation_id    TEXT PRIMARY KEY CHECK (length(observation_id) = 64),
        federation        TEXT NOT NULL,
        version           INTEGER NOT NULL,
        origin            TEXT NOT NULL,
        partner           TEXT NOT NULL,
        agent             TEXT NOT NULL,
        agent_certificate TEXT NOT NULL CHECK (length(agent_certificate) = 64),
        bundle            TEXT NOT NULL CHECK (length(bundle) = 64),
        line              INTEGER NOT NULL,
        release_authority TEXT NOT NULL,
        alternative_label TEXT,
        translations      TEXT NOT NULL,
        attestations      TEXT NOT NULL,
        caveats           TEXT NOT NULL,
        onward_release    TEXT NOT NULL,
        outcome           TEXT NOT NULL CHECK (outcome IN ('admitted', 'tainted', 'released')),
        admitted_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX crossings_by_bundle ON crossings (bundle, line);

      CREATE TABLE bundle_imports (
        digest       TEXT PRIMARY KEY CHECK (length(digest) = 64),
        partner      TEXT NOT NULL,
        federation   TEXT NOT NULL,
        version      INTEGER NOT NULL,
        agent        TEXT NOT NULL,
        nonce        TEXT NOT NULL,
        lines        INTEGER NOT NULL,
        observations INTEGER NOT NULL,
        next_block   INTEGER NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('importing', 'done')),
        admitted     INTEGER NOT NULL DEFAULT 0,
        duplicate    INTEGER NOT NULL DEFAULT 0,
        rejected     INTEGER NOT NULL DEFAULT 0,
        quarantined  INTEGER NOT NULL DEFAULT 0,
        tainted      INTEGER NOT NULL DEFAULT 0,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        receipt      TEXT
      ) STRICT;

      CREATE TABLE bundle_refusals (
        digest         TEXT NOT NULL REFERENCES bundle_imports (digest),
        line           INTEGER NOT NULL,
        observation_id TEXT,
        reason         TEXT NOT NULL,
        message        TEXT NOT NULL,
        PRIMARY KEY (digest, line)
      ) STRICT;

      CREATE TABLE bundle_exports (
        digest       TEXT PRIMARY KEY CHECK (length(digest) = 64),
        partner      TEXT NOT NULL,
        federation   TEXT NOT NULL,
        agent        TEXT NOT NULL,
        observations INTEGER NOT NULL,
        cursor_from  INTEGER NOT NULL,
        cursor_to    INTEGER NOT NULL,
        exported_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE export_cursors (
        partner    TEXT NOT NULL,
        federation TEXT NOT NULL,
        last_rowid INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (partner, federation)
      ) STRICT;

      CREATE TABLE receipts (
        bundle      TEXT PRIMARY KEY REFERENCES bundle_exports (digest),
        partner     TEXT NOT NULL,
        envelope    TEXT NOT NULL,
        admitted    INTEGER NOT NULL,
        duplicate   INTEGER NOT NULL,
        rejected    INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        tainted     INTEGER NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE quarantine (
        observation_id   TEXT PRIMARY KEY CHECK (length(observation_id) = 64),
        bundle           TEXT NOT NULL,
        line             INTEGER NOT NULL,
        partner          TEXT NOT NULL,
        federation       TEXT NOT NULL,
        version          INTEGER NOT NULL,
        origin           TEXT NOT NULL,
        subject          TEXT NOT NULL,
        class            TEXT NOT NULL,
        record           TEXT NOT NULL,
        certificate_pem  TEXT NOT NULL,
        reason           TEXT NOT NULL,
        missing          TEXT NOT NULL,
        crossing         TEXT NOT NULL,
        held_at          TEXT NOT NULL,
        decision         TEXT CHECK (decision IN ('released', 'rejected')),
        decided_at       TEXT,
        decided_by       TEXT,
        decision_reason  TEXT,
        -- The operator's signed decision (a DSSE envelope), which the log entry names by digest.
        decision_statement TEXT
      ) STRICT;
      CREATE INDEX quarantine_open ON quarantine (decision, held_at);
    `);
  },
};
