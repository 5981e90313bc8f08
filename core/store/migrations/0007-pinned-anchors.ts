/**
 * Migration 7: pinned trust anchors. Each partner mesh code this home has seen in a federation
 * is pinned to the trust anchor it came with; only a rotation that completed (signed by the old
 * and the new key) moves a pin. Existing homes pin what their newest versions name.
 */
import type { Migration } from '../migration.js';

export const migration0007: Migration = {
  version: 7,
  name: 'pinned-anchors',
  up(db) {
    db.exec(`
      CREATE TABLE pinned_anchors (
        mesh       TEXT PRIMARY KEY,
        anchor     TEXT NOT NULL CHECK (length(anchor) = 64),
        federation TEXT NOT NULL,
        pinned_at  TEXT NOT NULL
      ) STRICT;

      INSERT INTO pinned_anchors (mesh, anchor, federation, pinned_at)
        SELECT json_extract(p.value, '$.mesh'), json_extract(p.value, '$.card.trustAnchor.sha256'), v.id, v.received_at
        FROM federation_versions v, json_each(v.declaration, '$.partners') p
        ORDER BY v.received_at DESC, v.version DESC
        ON CONFLICT (mesh) DO NOTHING;
    `);
  },
};
