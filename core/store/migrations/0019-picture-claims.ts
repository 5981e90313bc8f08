/**
 * Migration 19: each mesh's current claim on each field of a subject, kept as observations
 * arrive (issue 15, "Updating it costs what was admitted, not the store"; docs/decisions/0007,
 * "A mesh's current claims").
 *
 * A mesh's own observations of a subject are ordered by its hybrid logical clock, so of its
 * assertions of one field the one with the greatest (HLC, id) is what it claims now; the picture
 * arbitrates and scores divergence over these claims alone, at most one per mesh and field.
 * `picture_claims` is kept by SQLite from `picture_candidates` (migration 18) in the inserting
 * statement, so it can never lag the store: an insert replaces a claim only with a later one,
 * and a purge (an exit's) takes the claim back to the mesh's latest remaining assertion.
 * Decisions (class `decision`) make no claim: they are read by the partial index below.
 *
 * Per subject, the picture row now also holds the observation that first reported it (the
 * earliest root of its lineage, by stated time then id: whose mesh `originator-wins` favours),
 * kept by the app (core/app/reconcile/evidence.ts) since stated times carry offsets SQLite's
 * text order does not compare, and the subject's fields as one JSON column instead of a row
 * each in `picture_fields`. A recomputed subject is then one row rewritten, not a row plus one
 * per field plus an origin, in a store where each is a random place in a large tree.
 *
 * A field is a payload's top-level member; a payload that is not an object is the one field `.`
 * (core/reconcile/divergence.ts's WHOLE_PAYLOAD_FIELD).
 */
import type { Migration } from '../migration.js';

/** The claims `row` (a picture_candidates row: NEW, or the table in the backfill) makes, one per field. */
const claimsOf = (row: string, where: string) => `
  SELECT ${row}.subject, f.key, ${row}.mesh, ${row}.id, ${row}.hlc_l, ${row}.hlc_c FROM ${row === 'c' ? 'picture_candidates c, ' : ''}json_each(${row}.payload) f
    WHERE json_type(${row}.payload) = 'object' AND ${where}
  UNION ALL
  SELECT ${row}.subject, '.', ${row}.mesh, ${row}.id, ${row}.hlc_l, ${row}.hlc_c ${row === 'c' ? 'FROM picture_candidates c ' : ''}
    WHERE json_type(${row}.payload) <> 'object' AND ${where}`;

/** Of two claims on one (subject, field, mesh), the one with the greater (HLC, id) stays. */
const keepLatest = `
  ON CONFLICT (subject, field, mesh) DO UPDATE SET observation = excluded.observation, hlc_l = excluded.hlc_l, hlc_c = excluded.hlc_c
    WHERE (excluded.hlc_l, excluded.hlc_c, excluded.observation) > (picture_claims.hlc_l, picture_claims.hlc_c, picture_claims.observation)`;

/** The triggers that keep the claims from the copies (also made again by migration 21). */
export const CLAIM_TRIGGERS = `
      CREATE TRIGGER picture_claims_follow_inserts AFTER INSERT ON picture_candidates WHEN NEW.class <> 'decision'
        BEGIN INSERT INTO picture_claims (subject, field, mesh, observation, hlc_l, hlc_c) ${claimsOf('NEW', 'true')} ${keepLatest}; END;
      CREATE TRIGGER picture_claims_follow_purges AFTER DELETE ON picture_candidates WHEN OLD.class <> 'decision'
        BEGIN
          DELETE FROM picture_claims WHERE subject = OLD.subject AND mesh = OLD.mesh AND observation = OLD.id;
          INSERT INTO picture_claims (subject, field, mesh, observation, hlc_l, hlc_c)
            ${claimsOf('c', "c.subject = OLD.subject AND c.mesh = OLD.mesh AND c.class <> 'decision'")} ${keepLatest};
        END;`;

export const migration0019: Migration = {
  version: 19,
  name: 'picture-claims',
  up(db) {
    db.exec(`
      CREATE TABLE picture_claims (
        subject     TEXT NOT NULL,
        field       TEXT NOT NULL,
        mesh        TEXT NOT NULL,
        observation TEXT NOT NULL,
        hlc_l       INTEGER NOT NULL,
        hlc_c       INTEGER NOT NULL,
        PRIMARY KEY (subject, field, mesh)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO picture_claims (subject, field, mesh, observation, hlc_l, hlc_c) ${claimsOf('c', "c.class <> 'decision'")} ${keepLatest};

      ${CLAIM_TRIGGERS}

      CREATE INDEX picture_decisions ON picture_candidates (subject) WHERE class = 'decision';

      -- JSON: [{ field, value (canonical JSON text), observation, mesh }], sorted by field.
      ALTER TABLE picture_subjects ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
      UPDATE picture_subjects SET fields = (
        SELECT json_group_array(json_object('field', f.field, 'value', f.value, 'observation', f.observation, 'mesh', f.mesh))
          FROM (SELECT * FROM picture_fields WHERE subject = picture_subjects.subject ORDER BY field) f);
      DROP TABLE picture_fields;
      -- Unknown for the subjects kept before: found from their history when next recomputed.
      ALTER TABLE picture_subjects ADD COLUMN origin TEXT;
      ALTER TABLE picture_subjects ADD COLUMN origin_mesh TEXT;
      ALTER TABLE picture_subjects ADD COLUMN origin_stated_ms INTEGER;
    `);
  },
};
