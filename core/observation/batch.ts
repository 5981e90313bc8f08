/**
 * Batch attestation for machine-cadence publishers (docs/decisions/0002): the records' signed
 * bytes are the leaves of an RFC 6962 Merkle tree (merkle.ts); the device signs once, over
 * the RFC 8785 canonical JSON of {"type":"entente.batch/v1", mesh, device, root, size}; each
 * record carries {type:'batch', alg, root, size, index, proof, sig}. A receiver checks each
 * record's inclusion proof (RFC 9162 §2.1.3.2) and the one batch signature.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalBytes } from '../canonical/jcs.js';
import { signedBytes } from './canonical-form.js';
import { climbsToRoot, leafHash, leafHashOfText, rootAndProofs, type InclusionMemo } from '../crypto/merkle.js';
import { MAX_BATCH_SIZE, ObservationError, type BatchIntegrity, type GovernedObservation, type UnsignedObservation } from './record.js';
import { checkedUnsigned } from './sign.js';
import { signBytes } from '../crypto/signatures.js';

/** What the device signs for a batch: the root, bound to the mesh, the device id and the batch size. */
export function batchStatement(mesh: string, device: string, root: string, size: number): Buffer {
  return canonicalBytes({ type: 'entente.batch/v1', mesh, device, root, size });
}

export interface BatchSigner {
  /** The mesh every record of the batch comes from. */
  readonly mesh: string;
  /** The device id every record of the batch names (device.id). */
  readonly device: string;
}

/**
 * Signs up to MAX_BATCH_SIZE records with one signature. Every record must come from `signer`'s
 * mesh and device (taken from the first record when `signer` is omitted). An empty batch gives [].
 * Throws ObservationError ('malformed-record', 'mixed-batch', 'batch-too-large'), or Refused ('unsupported-key') from the signer.
 *
 * @example const attested = signBatch(drafts, deviceKey, { mesh: 'DEU', device: 'uav-7' });
 */
export function signBatch(records: readonly UnsignedObservation[], privateKey: KeyObject, signer?: BatchSigner): GovernedObservation[] {
  if (records.length === 0) return [];
  if (records.length > MAX_BATCH_SIZE) throw new ObservationError('batch-too-large', `A batch holds at most ${MAX_BATCH_SIZE} records, not ${records.length}.`);
  const { mesh, device } = signer ?? { mesh: records[0]!.mesh, device: records[0]!.device.id };
  const leaves = records.map((unsigned, index) => {
    const record = checkedUnsigned(unsigned);
    if (record.mesh !== mesh || record.device.id !== device) {
      throw new ObservationError('mixed-batch', `Record ${index} of the batch is from ${record.mesh}/${record.device.id}; a batch is signed by ${mesh}/${device} alone.`);
    }
    return leafHash(signedBytes(record));
  });
  const tree = rootAndProofs(leaves);
  const root = tree.root.toString('hex');
  const size = records.length;
  const { alg, sig } = signBytes(batchStatement(mesh, device, root, size), privateKey);
  return records.map((record, index) => {
    const integrity: BatchIntegrity = { type: 'batch', alg, root, size, index, proof: tree.proofs[index]!.map((p) => p.toString('hex')), sig };
    return { ...record, lineage: { ...record.lineage, integrity } };
  });
}

/**
 * Whether `signed` (a record's signed text, see signedText) is leaf `index` of the batch its
 * integrity names. Pass the same memo for the records of one batch (see InclusionMemo) to hash less.
 */
export function inBatch(signed: string, integrity: BatchIntegrity, memo?: InclusionMemo): boolean {
  return climbsToRoot(leafHashOfText(signed), integrity.index, integrity.size, integrity.proof, integrity.root, memo);
}
