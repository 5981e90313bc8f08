/**
 * Migration 16: mesh-derived time (docs/decisions/0007-reconciliation.md, "Time"). The one-way
 * clock samples bundles give (`one_way_clock_samples`: the partner's time the bundle was written
 * at, t3 in its clock, and our admission, t4 in ours; one per bundle), beside the two-way samples
 * links keep in `clock_samples` (migration 13); and each contradiction between a partner's samples
 * reported as an integrity event (`clock_contradictions`): one event from the moment its samples
 * stop meeting until they meet again, however often the interval is computed or samples arrive.
 */
import type { Migration } from '../migration.js';

export const migration0016: Migration = {
  version: 16,
  name: 'time',
  up(db) {
    db.exec(`
      CREATE TABLE one_way_clock_samples (
        seq        INTEGER PRIMARY KEY,
        partner    TEXT NOT NULL,
        federation TEXT NOT NULL,
        bundle     TEXT NOT NULL UNIQUE CHECK (length(bundle) = 64),
        t3         INTEGER NOT NULL,
        t4         INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX one_way_clock_samples_by_partner ON one_way_clock_samples (partner, seq);

      CREATE TABLE clock_contradictions (
        seq         INTEGER PRIMARY KEY,
        partner     TEXT NOT NULL,
        -- The two samples first found not to meet, each named 'link:<seq>' or 'bundle:<seq>'.
        first       TEXT NOT NULL,
        second      TEXT NOT NULL,
        event       TEXT NOT NULL CHECK (length(event) = 64),
        -- When the partner's samples met again (samples aged, or the contradicting ones left the newest 64).
        resolved_at TEXT
      ) STRICT;
      CREATE INDEX clock_contradictions_open ON clock_contradictions (partner, resolved_at);
    `);
  },
};
