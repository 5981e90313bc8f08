/**
 * Migration 15: smaller crossing rows (issue 13, "Speed"). What a crossing row said in JSON —
 * its alternative label, translations, attestations used, the scope rule's caveats and onward
 * release — is the same for most items of a bundle, yet 0011 wrote it again on every row. It is
 * now kept once in `crossing_terms`, keyed by the SHA-256 of those five texts
 * (crossing-store.ts `crossingTermsKey`), and the crossings row holds the key.
 *
 * `foreign_admissions` (0005) said nothing a crossing row does not: the observation, the
 * federation, the originating mesh (its `partner` column), the time. The crossing no longer
 * writes it; its rows that a crossing row covers are removed here, and federation-store.ts
 * `admittedFrom` reads the crossings (indexed by federation and origin) and what remains of
 * the old table: admissions made before crossings existed, which have no crossing row to fold into.
 */
import { crossingTermsKey } from '../crossing-terms.js';
import type { Migration } from '../migration.js';

export const migration0015: Migration = {
  version: 15,
  name: 'crossing-rows',
  up(db) {
    db.exec(`
      CREATE TABLE crossing_terms (
        sha256            BLOB PRIMARY KEY CHECK (length(sha256) = 32),
        alternative_label TEXT,
        translations      TEXT NOT NULL,
        attestations      TEXT NOT NULL,
        caveats           TEXT NOT NULL,
        onward_release    TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE crossings_rows (
        observation_id    TEXT PRIMARY KEY CHECK (length(observation_id) = 64),
        federation        TEXT NOT NULL,
        version           INTEGER NOT NULL,
        origin            TEXT NOT NULL,
        partner           TEXT NOT NULL,
        agent             TEXT NOT NULL,
        agent_certificate TEXT NOT NULL CHECK (length(agent_certificate) = 64),
        bundle            TEXT NOT NULL CHECK (length(bundle) = 64),
        line              INTEGER NOT NULL,
        release_authority TEXT NOT NULL,
        terms             BLOB NOT NULL REFERENCES crossing_terms (sha256),
        outcome           TEXT NOT NULL CHECK (outcome IN ('admitted', 'tainted', 'released')),
        admitted_at       TEXT NOT NULL
      ) STRICT;
    `);
    const insertTerms = db.prepare(
      `INSERT INTO crossing_terms (sha256, alternative_label, translations, attestations, caveats, onward_release)
       VALUES (@sha256, @alternativeLabel, @translations, @attestations, @caveats, @onwardRelease) ON CONFLICT (sha256) DO NOTHING`,
    );
    const insertRow = db.prepare(
      `INSERT INTO crossings_rows (observation_id, federation, version, origin, partner, agent, agent_certificate, bundle, line, release_authority, terms, outcome, admitted_at)
       VALUES (@observation_id, @federation, @version, @origin, @partner, @agent, @agent_certificate, @bundle, @line, @release_authority, @terms, @outcome, @admitted_at)`,
    );
    type Old = Record<string, string | number | null> & { alternative_label: string | null; translations: string; attestations: string; caveats: string; onward_release: string };
    // In storage order, so the new table's rowids keep the old order; a page at a time, since
    // no statement may write while another still reads, and a large store is not held whole.
    const page = db.prepare('SELECT rowid AS old_rowid, * FROM crossings WHERE rowid > ? ORDER BY rowid LIMIT 1000');
    for (let after = 0; ; ) {
      const rows = page.all(after) as (Old & { old_rowid: number })[];
      for (const { old_rowid: rowid, alternative_label: alternativeLabel, translations, attestations, caveats, onward_release: onwardRelease, ...rest } of rows) {
        const sha256 = crossingTermsKey({ alternativeLabel, translations, attestations, caveats, onwardRelease });
        insertTerms.run({ sha256, alternativeLabel, translations, attestations, caveats, onwardRelease });
        insertRow.run({ ...rest, terms: sha256 });
        after = rowid;
      }
      if (rows.length < 1000) break;
    }
    db.exec(`
      DROP TABLE crossings;
      ALTER TABLE crossings_rows RENAME TO crossings;
      CREATE INDEX crossings_by_bundle ON crossings (bundle, line);
      CREATE INDEX crossings_by_origin ON crossings (federation, origin);
      DELETE FROM foreign_admissions WHERE EXISTS (
        SELECT 1 FROM crossings c WHERE c.observation_id = foreign_admissions.observation_id
          AND c.federation = foreign_admissions.federation AND c.origin = foreign_admissions.partner);
    `);
  },
};
