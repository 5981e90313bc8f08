/**
 * Migration 8: boundary agents' cross-certificates (decision 0005). The certificates partners
 * issued to this mesh's own agents, kept beside the agent's key; the ones this mesh issued to
 * partners' agents (what its CRL revokes); and the hello nonces seen, so a hello is never
 * accepted twice for different bundles. Rows are added; only `revoked_at` is ever set.
 */
import type { Migration } from '../migration.js';

export const migration0008: Migration = {
  version: 8,
  name: 'agent-credentials',
  up(db) {
    db.exec(`
      CREATE TABLE agent_partner_certificates (
        sha256        TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        agent         TEXT NOT NULL,
        partner       TEXT NOT NULL,
        federation    TEXT NOT NULL,
        pem           TEXT NOT NULL,
        intermediates TEXT NOT NULL CHECK (json_valid(intermediates)),
        not_after     TEXT NOT NULL,
        installed_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX agent_partner_certificates_by_agent ON agent_partner_certificates (agent, partner, federation);

      CREATE TABLE agent_issued_certificates (
        sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        partner     TEXT NOT NULL,
        agent       TEXT NOT NULL,
        federation  TEXT NOT NULL,
        serial      TEXT NOT NULL,
        pem         TEXT NOT NULL,
        not_after   TEXT NOT NULL,
        issued_at   TEXT NOT NULL,
        revoked_at  TEXT
      ) STRICT;
      CREATE INDEX agent_issued_certificates_by_agent ON agent_issued_certificates (partner, agent, federation);

      CREATE TABLE hello_nonces (
        nonce    TEXT PRIMARY KEY CHECK (length(nonce) = 64),
        bundle   TEXT NOT NULL CHECK (length(bundle) = 64),
        seen_at  TEXT NOT NULL
      ) STRICT;
    `);
  },
};
