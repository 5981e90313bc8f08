/**
 * Migration 20: the subjects whose picture rows wait for the end of a bundle import (issue 13,
 * Speed; docs/decisions/0007-reconciliation.md, "Keeping the picture, and what it costs").
 *
 * An import admits its blocks one transaction each, and a bundle written after a disconnection
 * carries many reports of the same tracks: recomputing a subject in every block it appears in
 * repeated the same work once per block. The import now recomputes its subjects every so many
 * blocks and at its end, and names each subject it left behind here, in the block's own
 * transaction, so that an import killed in between leaves a list of exactly the subjects whose
 * rows lag the store: the next import recomputes them from their history before it admits
 * anything. One row per subject, not per observation: the list costs a subject once per block.
 */
import type { Migration } from '../migration.js';

export const migration0020: Migration = {
  version: 20,
  name: 'picture-pending',
  up(db) {
    db.exec(`
      CREATE TABLE picture_pending (
        subject TEXT PRIMARY KEY
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
