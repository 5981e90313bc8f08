/** Governed observations: the record, its canonical bytes and id, attestation and verification, lineage. */
export { batchStatement, inBatch, signBatch, type BatchSigner } from './batch.js';
export { buildObservation, type ObservationDraft } from './build.js';
export { idOfBytes, observationId, signedBytes } from './canonical-form.js';
export { DEFAULT_LINEAGE_LIMITS, walkLineage, type LineageLimits, type LineageNode, type LineageOptions, type LineageWalk } from './lineage.js';
export { inclusionProof, leafHash, nodeHash, rootAndProofs, rootOf, verifyInclusion } from './merkle.js';
export {
  BatchIntegrity,
  Derivation,
  describeIssues,
  GovernedObservation,
  Integrity,
  MAX_BATCH_SIZE,
  MAX_SOURCES,
  MeshCode,
  ObservationClass,
  ObservationError,
  ObservationLabel,
  ObservationTime,
  PrincipalId,
  Sha256Hex,
  SignatureAlgorithm,
  SignatureIntegrity,
  UnsignedObservation,
} from './record.js';
export { signObservation } from './sign.js';
export { algorithmOf, signBytes, verifyBytes } from './signatures.js';
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
