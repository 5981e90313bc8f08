/**
 * Migration 9: vocabularies and equivalence attestations (decision 0005, "Taxonomy
 * translation"). `vocabularies` holds the ones this mesh defines itself (its markings follow
 * from its label policy and are never stored); `attestations` holds the signed equivalence
 * attestations of this mesh and of its partners, verified before they are stored, each under
 * its id (SHA-256 of the envelope's canonical JSON), so storing one twice changes nothing.
 */
import type { Migration } from '../migration.js';

export const migration0009: Migration = {
  version: 9,
  name: 'taxonomy',
  up(db) {
    db.exec(`
      CREATE TABLE vocabularies (
        name       TEXT PRIMARY KEY CHECK (name <> 'markings'),
        vocabulary TEXT NOT NULL,
        defined_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE attestations (
        id              TEXT PRIMARY KEY CHECK (length(id) = 64),
        federation      TEXT NOT NULL,
        mesh            TEXT NOT NULL,
        vocabulary      TEXT NOT NULL,
        term            TEXT NOT NULL,
        relation        TEXT NOT NULL CHECK (relation IN ('exact', 'close', 'broader', 'narrower')),
        pivot_vocabulary TEXT NOT NULL,
        pivot_term      TEXT NOT NULL,
        expires         TEXT NOT NULL,
        envelope        TEXT NOT NULL,
        stored_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attestations_by_term ON attestations (federation, mesh, vocabulary, term);
    `);
  },
};
