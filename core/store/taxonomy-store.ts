/**
 * Vocabularies and equivalence attestations in the store (migration 9): the vocabularies this
 * mesh defines (markings excepted: they follow from the label policy), and the attestations of
 * this mesh and its partners, each verified before it is inserted and kept as signed.
 */
import type { ReadDb, WriteDb } from './database.js';

export interface StoredVocabulary {
  readonly name: string;
  /** Canonical JSON of the vocabulary. */
  readonly vocabulary: string;
  readonly definedAt: string;
}

/** Adds a vocabulary or replaces the one of that name; true when it changed anything. */
export function upsertVocabulary(db: WriteDb, row: StoredVocabulary): boolean {
  return (
    db
      .prepare(
        'INSERT INTO vocabularies (name, vocabulary, defined_at) VALUES (@name, @vocabulary, @definedAt) ON CONFLICT (name) DO UPDATE SET vocabulary = excluded.vocabulary, defined_at = excluded.defined_at WHERE vocabulary <> excluded.vocabulary',
      )
      .run(row).changes > 0
  );
}

export function listVocabularies(db: ReadDb): StoredVocabulary[] {
  return db.prepare('SELECT name, vocabulary, defined_at AS definedAt FROM vocabularies ORDER BY name').all() as StoredVocabulary[];
}

export interface StoredAttestation {
  readonly id: string;
  readonly federation: string;
  readonly mesh: string;
  readonly vocabulary: string;
  readonly term: string;
  readonly relation: string;
  readonly pivotVocabulary: string;
  readonly pivotTerm: string;
  readonly expires: string;
  /** Canonical JSON of the DSSE envelope, as signed. */
  readonly envelope: string;
  readonly storedAt: string;
}

const COLUMNS = 'id, federation, mesh, vocabulary, term, relation, pivot_vocabulary AS pivotVocabulary, pivot_term AS pivotTerm, expires, envelope, stored_at AS storedAt';

/** Stores an attestation once; false when it was already held (the same id is the same envelope). */
export function insertAttestation(db: WriteDb, row: StoredAttestation): boolean {
  return (
    db
      .prepare(
        `INSERT INTO attestations (id, federation, mesh, vocabulary, term, relation, pivot_vocabulary, pivot_term, expires, envelope, stored_at)
         VALUES (@id, @federation, @mesh, @vocabulary, @term, @relation, @pivotVocabulary, @pivotTerm, @expires, @envelope, @storedAt) ON CONFLICT (id) DO NOTHING`,
      )
      .run(row).changes > 0
  );
}

/** Attestations, optionally of one federation and one mesh, oldest first. */
export function listAttestations(db: ReadDb, filter: { federation?: string; mesh?: string } = {}): StoredAttestation[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM attestations WHERE (@federation IS NULL OR federation = @federation) AND (@mesh IS NULL OR mesh = @mesh) ORDER BY stored_at, rowid`)
    .all({ federation: filter.federation ?? null, mesh: filter.mesh ?? null }) as StoredAttestation[];
}
