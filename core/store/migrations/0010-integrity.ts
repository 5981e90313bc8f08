/**
 * Migration 10: integrity (docs/decisions/0005-crossing.md, "Integrity, taint, tombstones").
 *
 * - `integrity_events`: every integrity event (an unknown agent, a replayed hello, a tampered
 *   bundle, an over-release, a taint…) with its evidence; each is also a log entry of type
 *   `integrity`, whose id is the event's id and whose position is `log_seq`.
 * - `taints`: observations marked after admission — their credential was compromised before they
 *   were made (a partner CRL's invalidity date, RFC 5280 §5.3.2), or a source they derive from is
 *   tainted, failed or purged, or a partner's notice said so. One row per observation, the first
 *   cause found; never changed or removed (a taint is a finding, not a state to toggle).
 * - `tombstones`: the ids an exit purged, so a re-delivery is refused `purged` (ids only, never content).
 * - `partner_crls`: partners' CRLs, apart from `crls` (which holds only this mesh's own, referencing
 *   its certificates, and feeds this mesh's own verifier): kept per issuer and CRL number (§5.2.3),
 *   the CRL number as decimal text because it may be up to 20 octets.
 *
 * Observations gain an index on their device certificate: a CRL entry names a certificate, and
 * applying it finds that certificate's observations without a scan.
 */
import type { Migration } from '../migration.js';

export const migration0010: Migration = {
  version: 10,
  name: 'integrity',
  up(db) {
    db.exec(`
      CREATE TABLE integrity_events (
        id         TEXT PRIMARY KEY CHECK (length(id) = 64),
        kind       TEXT NOT NULL,
        partner    TEXT,
        federation TEXT,
        at         TEXT NOT NULL,
        evidence   TEXT NOT NULL,
        message    TEXT NOT NULL,
        log_seq    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX integrity_events_by_kind ON integrity_events (kind, at);
      CREATE INDEX integrity_events_by_partner ON integrity_events (partner, at);

      CREATE TABLE taints (
        observation_id TEXT PRIMARY KEY CHECK (length(observation_id) = 64),
        cause          TEXT NOT NULL CHECK (cause IN ('compromised-credential', 'tainted-source', 'failed-source', 'purged-source', 'partner-notice')),
        evidence       TEXT NOT NULL,
        since          TEXT NOT NULL,
        marked_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX taints_by_marked_at ON taints (marked_at);

      CREATE TABLE tombstones (
        observation_id TEXT PRIMARY KEY CHECK (length(observation_id) = 64),
        federation     TEXT NOT NULL,
        purged_at      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE partner_crls (
        mesh          TEXT NOT NULL,
        issuer_sha256 TEXT NOT NULL CHECK (length(issuer_sha256) = 64),
        number        TEXT NOT NULL CHECK (number GLOB '[0-9]*'),
        this_update   TEXT NOT NULL,
        pem           TEXT NOT NULL,
        stored_at     TEXT NOT NULL,
        PRIMARY KEY (issuer_sha256, number)
      ) STRICT;
      CREATE INDEX partner_crls_by_mesh ON partner_crls (mesh);

      CREATE INDEX observations_by_device_certificate ON observations (device_certificate);

      -- Findings and evidence: what was recorded stays as it was recorded.
      CREATE TRIGGER integrity_events_are_immutable BEFORE UPDATE ON integrity_events
        BEGIN SELECT RAISE(ABORT, 'integrity events are immutable'); END;
      CREATE TRIGGER integrity_events_are_append_only BEFORE DELETE ON integrity_events
        BEGIN SELECT RAISE(ABORT, 'integrity events are append-only'); END;
      CREATE TRIGGER taints_are_immutable BEFORE UPDATE ON taints
        BEGIN SELECT RAISE(ABORT, 'taints are immutable'); END;
      CREATE TRIGGER taints_are_append_only BEFORE DELETE ON taints
        BEGIN SELECT RAISE(ABORT, 'taints are append-only'); END;
      CREATE TRIGGER tombstones_are_immutable BEFORE UPDATE ON tombstones
        BEGIN SELECT RAISE(ABORT, 'tombstones are immutable'); END;
      CREATE TRIGGER tombstones_are_append_only BEFORE DELETE ON tombstones
        BEGIN SELECT RAISE(ABORT, 'tombstones are append-only'); END;
      CREATE TRIGGER partner_crls_are_immutable BEFORE UPDATE ON partner_crls
        BEGIN SELECT RAISE(ABORT, 'partner CRLs are immutable'); END;
      CREATE TRIGGER partner_crls_are_append_only BEFORE DELETE ON partner_crls
        BEGIN SELECT RAISE(ABORT, 'partner CRLs are append-only'); END;
    `);
  },
};
