/** Governed observations: the record, its canonical bytes and id, attestation and verification, lineage. */
export { idOfBytes, observationId, signedBytes } from './canonical-form.js';
export { walkLineage, type LineageWalk } from './lineage.js';
export { GovernedObservation, MeshCode, PrincipalId, UnsignedObservation, type Integrity } from './record.js';
export { batchStatement, signBatch, signObservation } from './sign.js';
export { ObservationVerifier, type CredentialCheck, type VerifyResult } from './verify.js';
