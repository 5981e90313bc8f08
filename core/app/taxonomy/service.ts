/**
 * The taxonomy part as the shells and the crossing see it: this mesh's vocabularies, defining
 * one, attesting a term's equivalence for a federation, listing attestations, admitting
 * partners' ones, and the translator the admission pipeline asks per record.
 */
import type { Relation } from '../../taxonomy/grades.js';
import type { Attestation } from '../../taxonomy/attestation.js';
import type { Vocabulary } from '../../taxonomy/vocabulary.js';
import type { AppContext, ReadOperation } from '../context/operation.js';
import { ownVocabularies } from '../mesh/mesh-vocabularies.js';
import { admitPartnerAttestations, attest, attestAll, defineVocabulary, listOwnAndPartnerAttestations, translatorFor, type AdmissionOutcome, type AttestationView, type RecordTranslation, type TranslatableRecord } from './taxonomy-service.js';

export type { AdmissionOutcome, AttestationView, RecordTranslation, TranslatableRecord };

export interface TaxonomyService {
  /** This mesh's vocabularies, markings (from the label policy) first. */
  vocabularies(): Vocabulary[];
  /** Adds or replaces a vocabulary other than markings; it is on the card `mesh card` writes from then on. */
  define(vocabulary: unknown): Promise<{ vocabulary: Vocabulary; changed: boolean }>;
  /** Signs an equivalence attestation for one of this mesh's terms, logged as a `translation` entry. */
  attest(request: { federation: string; vocabulary: string; term: string; relation: Relation; pivotTerm: string }): Promise<Attestation>;
  /** Attests several statements at once (a mesh's whole markings table): all of them, in one transaction and one log entry, or none. */
  attestAll(requests: readonly { federation: string; vocabulary: string; term: string; relation: Relation; pivotTerm: string }[]): Promise<Attestation[]>;
  list(filter?: { federation?: string }): AttestationView[];
  /** Verifies partners' attestations against their cards in the active federation and stores the good ones. */
  admitPartnerAttestations(envelopes: readonly unknown[]): Promise<AdmissionOutcome[]>;
  /** The translator for records from `from` under `federation`, judged at the trusted now. */
  translatorFor(options: { from: string; federation: string }): (record: TranslatableRecord) => RecordTranslation;
}

export function createTaxonomyService(context: AppContext): TaxonomyService {
  return {
    vocabularies: () => ownVocabularies(context.reading()),
    define: (vocabulary) => defineVocabulary(context.writing(), vocabulary),
    attest: (request) => attest(context.writing(), request),
    attestAll: (requests) => attestAll(context.writing(), requests),
    list: (filter = {}) => listOwnAndPartnerAttestations(context.reading(), filter),
    admitPartnerAttestations: (envelopes) => {
      const op = context.writing();
      return admitPartnerAttestations(op, envelopes, op.clock.advance(op.write));
    },
    translatorFor: (options) => {
      const op: ReadOperation = context.reading();
      return translatorFor(op, { ...options, now: op.clock.now() });
    },
  };
}
