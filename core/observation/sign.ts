/**
 * Attesting one observation with the device's own signature over its signed bytes
 * (docs/decisions/0002: `{type: 'signature', alg, sig}`). Machine-cadence publishers sign
 * batches instead (batch.ts).
 */
import type { KeyObject } from 'node:crypto';
import { signedBytes } from './canonical-form.js';
import { describeIssues } from '../common/atoms.js';
import { ObservationError, UnsignedObservation, type GovernedObservation } from './record.js';
import { signBytes } from '../crypto/signatures.js';

/**
 * Signs a record with the device's private key; `alg` follows from the key (Ed25519 or P-256 → ES256).
 * The record is checked first: a device never signs what a receiver would refuse.
 * Throws ObservationError ('malformed-record'), or Refused ('unsupported-key') from the signer.
 *
 * @example const signed = signObservation(buildObservation({...}), devicePrivateKey);
 */
export function signObservation(unsigned: UnsignedObservation, privateKey: KeyObject): GovernedObservation {
  const record = checkedUnsigned(unsigned);
  const { alg, sig } = signBytes(signedBytes(record), privateKey);
  return { ...record, lineage: { ...record.lineage, integrity: { type: 'signature', alg, sig } } };
}

/** The record as given, once it is known to be a valid unsigned observation. */
export function checkedUnsigned(unsigned: UnsignedObservation): UnsignedObservation {
  const parsed = UnsignedObservation.safeParse(unsigned);
  if (!parsed.success) throw new ObservationError('malformed-record', `Refusing to sign: ${describeIssues(parsed.error)}.`);
  // The input, not zod's copy, is what gets signed: the copy could differ (e.g. a `__proto__` member is not copied).
  return unsigned;
}
