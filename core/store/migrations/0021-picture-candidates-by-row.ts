/**
 * Migration 21: the picture's copy of each observation (migration 18) moves from a WITHOUT ROWID
 * table to an ordinary one, found by subject and id through its primary key's index (issue 15,
 * "Speed": admitting into a large store; docs/decisions/0007, "Keeping the picture").
 *
 * A WITHOUT ROWID table is an index b-tree, whose interior pages hold whole rows: SQLite's own
 * guidance is to keep such rows under about a twentieth of a page, and a copy is about 300 bytes
 * (an id, a certificate and an authority digest in hex, the payload). On a store of 1,000,000
 * observations its interior pages held about 12 rows each, the tree was five levels deep, and
 * each new copy wrote 2.5 pages on average (its leaf, and the splits that climbed the tree):
 * 2,476 of the 7,159 pages a batch of 1,000 wrote, the largest share. Here the row goes to the
 * end of the table, with the other rows stored in that transaction, and only the key (subject
 * and id, about 80 bytes) goes into the subject's place in the index.
 *
 * Reading a subject's copies is then one range of the index and a lookup of each row, which the
 * picture does for the few claims it rests on (migration 19), not for the subject's history.
 */
import { CANDIDATE_COLUMNS, CANDIDATE_TRIGGERS } from './0018-picture-candidates.js';
import { CLAIM_TRIGGERS } from './0019-picture-claims.js';
import type { Migration } from '../migration.js';

export const migration0021: Migration = {
  version: 21,
  name: 'picture-candidates-by-row',
  up(db) {
    db.exec(`
      CREATE TABLE picture_candidates_by_row (${CANDIDATE_COLUMNS}
      ) STRICT;
      INSERT INTO picture_candidates_by_row SELECT * FROM picture_candidates ORDER BY subject, id;

      -- The old table goes with its index and the claims' triggers on it; the observations'
      -- triggers name it, so they go first and are made again on the new one.
      DROP TRIGGER picture_candidates_follow_inserts;
      DROP TRIGGER picture_candidates_follow_purges;
      DROP TABLE picture_candidates;
      ALTER TABLE picture_candidates_by_row RENAME TO picture_candidates;

      ${CANDIDATE_TRIGGERS}
      ${CLAIM_TRIGGERS}
      CREATE INDEX picture_decisions ON picture_candidates (subject) WHERE class = 'decision';
    `);
  },
};
