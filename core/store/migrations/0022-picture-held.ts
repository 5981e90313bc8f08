/**
 * Migration 22: the subjects held for a person, indexed (issue 15: the console's joint picture on a
 * large store; docs/decisions/0007).
 *
 * The picture's summary counts its held subjects on every refresh, and the console lists them
 * on their own ("State: held"): both read every subject's row, about 50 MB at 100,000 subjects,
 * to find the few a person must look at. A partial index holds only those, so SQLite writes it
 * only when a subject becomes held or stops being held, not on each recomputation of a merged one.
 */
import type { Migration } from '../migration.js';

export const migration0022: Migration = {
  version: 22,
  name: 'picture-held',
  up(db) {
    db.exec(`CREATE INDEX picture_subjects_held ON picture_subjects (subject) WHERE state = 'held';`);
  },
};
