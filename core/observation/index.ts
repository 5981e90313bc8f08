/** Governed observations: the record, its canonical bytes and id, attestation and verification, lineage. */
export { batchStatement, inBatch, signBatch, type BatchSigner } from './batch.js';
export { buildObservation, type ObservationDraft } from './build.js';
export { idOfBytes, observationId, signedBytes } from './canonical-form.js';
export { indexedCopies, misindexedField, type IndexedCopies } from './indexed.js';
export { DEFAULT_LINEAGE_LIMITS, walkLineage, type LineageLimits, type LineageNode, type LineageOptions, type LineageWalk } from './lineage.js';
export {
  BatchIntegrity,
  Derivation,
  GovernedObservation,
  Integrity,
  MAX_BATCH_SIZE,
  MAX_SOURCES,
  ObservationClass,
  ObservationError,
  ObservationLabel,
  ObservationTime,
  SignatureIntegrity,
  UnsignedObservation,
} from './record.js';
export { signObservation } from './sign.js';
export {
  ObservationVerifier,
  type CredentialCheck,
  type CredentialQuery,
  type CredentialResult,
  type LabelCheck,
  type VerifierOptions,
  type VerifierStats,
  type VerifyReason,
  type VerifyResult,
} from './verify.js';
