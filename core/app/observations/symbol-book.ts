/**
 * The APP-6 symbol a payload's own words stand for (issue 16: "APP-6 symbols for tracks and unit
 * types"). A platform says what it is in its mesh's vocabulary (`platform: "Drone MALE"`), and
 * that mesh's unit-type vocabulary gives each term its SIDC (decision 0005, "Taxonomy
 * translation"): ours from this mesh's vocabularies, a partner's from the card it signed into a
 * federation. The symbol is read in the writer's vocabulary, so nothing is translated or guessed.
 */
import { cardVocabularies } from '../../taxonomy/attestation.js';
import type { Vocabulary } from '../../taxonomy/vocabulary.js';
import type { ReadOperation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { ownVocabularies } from '../mesh/mesh-vocabularies.js';

/** (mesh, payload) → the SIDC its vocabulary gives the first field it recognises, or null. */
export type SymbolBook = (mesh: string, payload: unknown) => string | null;

export function symbolBook(op: ReadOperation): SymbolBook {
  const own = op.mesh().mesh.code;
  const byMesh = new Map<string, Map<string, Map<string, string>>>([[own, symbolsOf(ownVocabularies(op))]]);
  // The newest card each partner signed into a federation on record.
  const cards = new Map<string, Map<string, Map<string, string>>>();
  for (const record of federationRecords(op.read)) {
    for (const partner of record.versions.at(-1)!.declaration.partners) if (partner.mesh !== own) cards.set(partner.mesh, symbolsOf(cardVocabularies(partner.card)));
  }
  for (const [mesh, symbols] of cards) byMesh.set(mesh, symbols);
  return (mesh, payload) => {
    const fields = byMesh.get(mesh);
    if (!fields || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
    for (const [field, terms] of fields) {
      const term = (payload as Record<string, unknown>)[field];
      if (typeof term === 'string') {
        const sidc = terms.get(term);
        if (sidc !== undefined) return sidc;
      }
    }
    return null;
  };
}

/** field → term → SIDC, for the vocabularies whose terms carry symbols. */
function symbolsOf(vocabularies: readonly Vocabulary[]): Map<string, Map<string, string>> {
  const fields = new Map<string, Map<string, string>>();
  for (const vocabulary of vocabularies) {
    if (vocabulary.field === undefined) continue;
    for (const term of vocabulary.terms) {
      if (term.sidc === undefined) continue;
      const terms = fields.get(vocabulary.field) ?? new Map<string, string>();
      fields.set(vocabulary.field, terms);
      if (!terms.has(term.term)) terms.set(term.term, term.sidc);
    }
  }
  return fields;
}
