/**
 * Migration 6: the certificates that vouch for partners' cosignatures. A cosignature is checked
 * against its witness's trust anchor when it arrives; keeping that anchor, and the CA
 * certificates between it and the signer, lets an after-action export carry them, so a reviewer
 * can check every cosignature offline too. Grouped by the anchor they chain to (a witness whose
 * anchor changed keeps both groups); rows are only ever added.
 */
import type { Migration } from '../migration.js';

export const migration0006: Migration = {
  version: 6,
  name: 'witness-certificates',
  up(db) {
    db.exec(`
      CREATE TABLE audit_witness_certificates (
        witness    TEXT NOT NULL,
        anchor     TEXT NOT NULL CHECK (length(anchor) = 64),
        sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
        pem        TEXT NOT NULL,
        PRIMARY KEY (witness, anchor, sha256)
      ) STRICT;
    `);
  },
};
