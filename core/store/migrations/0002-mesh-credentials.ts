/**
 * Migration 2: the mesh's national PKI — its identity, certificates (its own and, later,
 * partners'), private keys (PKCS#8, encrypted unless the home opted out), enrolled principals
 * and the CRLs its authority published.
 */
import type { Migration } from '../migration.js';

export const migration0002: Migration = {
  version: 2,
  name: 'mesh-credentials',
  up(db) {
    db.exec(`
      CREATE TABLE mesh (
        singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
        code           TEXT NOT NULL,
        display_name   TEXT NOT NULL,
        anchor_sha256  TEXT NOT NULL CHECK (length(anchor_sha256) = 64),
        issuer_sha256  TEXT NOT NULL CHECK (length(issuer_sha256) = 64),
        label_policy   TEXT NOT NULL,
        keys_encrypted INTEGER NOT NULL CHECK (keys_encrypted IN (0, 1)),
        created_at     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE certificates (
        sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        mesh        TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('root', 'ca', 'device', 'operator', 'boundary-agent')),
        principal   TEXT,
        serial      TEXT NOT NULL,
        not_before  TEXT NOT NULL,
        not_after   TEXT NOT NULL,
        pem         TEXT NOT NULL,
        added_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX certificates_by_principal ON certificates (mesh, role, principal);

      CREATE TABLE private_keys (
        certificate_sha256 TEXT PRIMARY KEY REFERENCES certificates (sha256),
        pkcs8_pem          TEXT NOT NULL,
        encrypted          INTEGER NOT NULL CHECK (encrypted IN (0, 1))
      ) STRICT;

      CREATE TABLE principals (
        role               TEXT NOT NULL CHECK (role IN ('device', 'operator', 'boundary-agent')),
        id                 TEXT NOT NULL,
        certificate_sha256 TEXT NOT NULL REFERENCES certificates (sha256),
        enrolled_at        TEXT NOT NULL,
        revoked_at         TEXT,
        PRIMARY KEY (role, id)
      ) STRICT;

      CREATE TABLE crls (
        issuer_sha256 TEXT NOT NULL REFERENCES certificates (sha256),
        number        INTEGER NOT NULL,
        this_update   TEXT NOT NULL,
        pem           TEXT NOT NULL,
        PRIMARY KEY (issuer_sha256, number)
      ) STRICT;
    `);
  },
};
