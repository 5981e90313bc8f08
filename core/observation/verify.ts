/**
 * Verifying a governed observation: its shape, its integrity (the device signature, or the
 * inclusion proof and the batch signature), and the device's credential as the caller's
 * credential check judges it (chain to the mesh's anchor, validity, role, revocation).
 * A batch signature is checked once per batch and device certificate, then remembered.
 */
import type { KeyObject } from 'node:crypto';
import { idOfBytes, signedBytes } from './canonical-form.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { GovernedObservation } from './record.js';
import { batchStatement } from './sign.js';
import { verifyBytes } from './signatures.js';

/** Judges the signing device's credential; `admittedAt` is when the record was (or is being) admitted. */
export type CredentialCheck = (
  record: GovernedObservation,
  admittedAt: Date,
) => { readonly ok: true; readonly publicKey: KeyObject } | { readonly ok: false; readonly reason: string; readonly message: string };

export type VerifyResult =
  | { readonly ok: true; readonly id: string; readonly record: GovernedObservation }
  | { readonly ok: false; readonly id?: string; readonly reason: string; readonly message: string };

export class ObservationVerifier {
  private readonly goodBatches = new Set<string>();

  constructor(private readonly credentialCheck: CredentialCheck) {}

  verify(candidate: unknown, admittedAt: Date = new Date()): VerifyResult {
    const parsed = GovernedObservation.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, reason: 'malformed-record', message: `The record is malformed at ${['record', ...issue.path.map(String)].join('.')}: ${issue.message}.` };
    }
    const record = parsed.data;
    const bytes = signedBytes(record);
    const id = idOfBytes(bytes);

    const credential = this.credentialCheck(record, admittedAt);
    if (!credential.ok) return { ok: false, id, reason: credential.reason, message: credential.message };

    const integrity = record.lineage.integrity;
    if (integrity.type === 'signature') {
      if (!verifyBytes(bytes, integrity.alg, integrity.sig, credential.publicKey)) {
        return { ok: false, id, reason: 'bad-signature', message: 'The device signature does not match the record: payload, label or lineage were changed, or another key signed it.' };
      }
      return { ok: true, id, record };
    }
    const root = Buffer.from(integrity.root, 'hex');
    if (!verifyInclusion(leafHash(bytes), integrity.index, integrity.size, integrity.proof.map((p) => Buffer.from(p, 'hex')), root)) {
      return { ok: false, id, reason: 'bad-inclusion-proof', message: 'The record is not in the batch its proof names: it was changed after the batch was signed.' };
    }
    const batchKey = `${integrity.root}:${integrity.size}:${record.device.certificate}:${integrity.sig}`;
    if (!this.goodBatches.has(batchKey)) {
      const statement = batchStatement(record.mesh, record.device.id, integrity.root, integrity.size);
      if (!verifyBytes(statement, integrity.alg, integrity.sig, credential.publicKey)) {
        return { ok: false, id, reason: 'bad-batch-signature', message: 'The batch signature does not verify with the device key.' };
      }
      this.goodBatches.add(batchKey);
    }
    return { ok: true, id, record };
  }
}
