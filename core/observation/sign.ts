/**
 * Attesting observations: one device signature per record, or, for machine-cadence publishers,
 * one signature per batch over a Merkle root with each record carrying its inclusion proof.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalBytes } from '../canonical/jcs.js';
import { signedBytes } from './canonical-form.js';
import { leafHash, rootAndProofs } from './merkle.js';
import type { GovernedObservation, UnsignedObservation } from './record.js';
import { signBytes } from './signatures.js';

export function signObservation(record: UnsignedObservation, privateKey: KeyObject): GovernedObservation {
  const { alg, sig } = signBytes(signedBytes(record), privateKey);
  return { ...record, lineage: { ...record.lineage, integrity: { type: 'signature', alg, sig } } };
}

/** What the device signs for a batch: the root, bound to the mesh, device and batch size. */
export function batchStatement(mesh: string, device: string, root: string, size: number): Buffer {
  return canonicalBytes({ type: 'entente.batch/v1', mesh, device, root, size });
}

export function signBatch(records: readonly UnsignedObservation[], privateKey: KeyObject): GovernedObservation[] {
  if (records.length === 0) return [];
  const first = records[0]!;
  if (records.some((r) => r.mesh !== first.mesh || r.device.id !== first.device.id)) {
    throw new Error('A batch is signed by one device of one mesh.');
  }
  const leaves = records.map((r) => leafHash(signedBytes(r)));
  const tree = rootAndProofs(leaves);
  const root = tree.root.toString('hex');
  const { alg, sig } = signBytes(batchStatement(first.mesh, first.device.id, root, records.length), privateKey);
  return records.map((record, index) => ({
    ...record,
    lineage: {
      ...record.lineage,
      integrity: { type: 'batch', alg, root, size: records.length, index, proof: tree.proofs[index]!.map((p) => p.toString('hex')), sig },
    },
  }));
}
