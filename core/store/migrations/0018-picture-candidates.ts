/**
 * Migration 18: what the joint picture reads of each observation, kept beside it, and an index
 * for the queue's burst check (issue 14 and 15, "Speed"; docs/decisions/0007, "Keeping the
 * picture").
 *
 * `picture_candidates` holds, per observation, the signed fields a subject's recomputation uses
 * (mesh, class, stated time, clock, device and certificate, authority, payload, lineage
 * sources), clustered by subject. Recomputing a subject used to read and parse each whole
 * record — label, proofs and all — about 20 µs per observation the subject holds; this range is
 * a small fraction of that. SQLite fills it from the record itself in the inserting statement
 * (a trigger), and empties it with the purge, so it can never lag the store; `entente verify`
 * checks each copy against its signed record, as it checks the other indexed copies.
 *
 * `observations_by_device` serves the burst check (core/app/reconcile/cause.ts: more than 20
 * observations from one device within ten seconds), which otherwise filtered the mesh's or the
 * time index for every competing observation of a new queue item.
 */
import type { Migration } from '../migration.js';

/** The copy's columns from an observation row (`row` is NEW in the trigger, the table in the backfill). */
const copyOf = (row: string) =>
  `${row}.subject, ${row}.id, ${row}.mesh, ${row}.class, ${row}.record ->> '$.time.wall', ${row}.hlc_l, ${row}.hlc_c, ${row}.device, ${row}.device_certificate,
   ${row}.record ->> '$.authority.issuer', ${row}.record -> '$.payload', ${row}.record -> '$.lineage.sources'`;

/**
 * Only a record that is JSON with every copied field gets a copy: the store files whatever text
 * it is given (a verified record always has them), and a malformed one must not fail the insert.
 */
const copyable = (row: string) =>
  `json_valid(${row}.record) AND json_type(${row}.record, '$.time.wall') = 'text' AND json_type(${row}.record, '$.authority.issuer') = 'text'
   AND json_type(${row}.record, '$.payload') IS NOT NULL AND json_type(${row}.record, '$.lineage.sources') = 'array'`;

/** The copy's columns and key (also the table migration 21 makes again). */
export const CANDIDATE_COLUMNS = `
        subject     TEXT NOT NULL,
        id          TEXT NOT NULL,
        mesh        TEXT NOT NULL,
        class       TEXT NOT NULL,
        wall        TEXT NOT NULL,
        hlc_l       INTEGER NOT NULL,
        hlc_c       INTEGER NOT NULL,
        device      TEXT NOT NULL,
        certificate TEXT NOT NULL,
        authority   TEXT NOT NULL,
        payload     TEXT NOT NULL,
        sources     TEXT NOT NULL,
        PRIMARY KEY (subject, id)`;

/** The triggers that keep the copy: one per stored observation, gone with it (also made again by migration 21). */
export const CANDIDATE_TRIGGERS = `
      CREATE TRIGGER picture_candidates_follow_inserts AFTER INSERT ON observations WHEN ${copyable('NEW')}
        BEGIN INSERT INTO picture_candidates VALUES (${copyOf('NEW')}); END;
      CREATE TRIGGER picture_candidates_follow_purges AFTER DELETE ON observations
        BEGIN DELETE FROM picture_candidates WHERE subject = OLD.subject AND id = OLD.id; END;`;

export const migration0018: Migration = {
  version: 18,
  name: 'picture-candidates',
  up(db) {
    db.exec(`
      CREATE TABLE picture_candidates (${CANDIDATE_COLUMNS}
      ) STRICT, WITHOUT ROWID;
      INSERT INTO picture_candidates SELECT ${copyOf('observations')} FROM observations WHERE ${copyable('observations')};

      ${CANDIDATE_TRIGGERS}

      CREATE INDEX observations_by_device ON observations (device, mesh, observed_at);
    `);
  },
};
