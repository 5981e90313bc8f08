/**
 * What is signed and what names an observation: the RFC 8785 canonical JSON of the record
 * without `lineage.integrity`, and the lowercase hex SHA-256 of those bytes. Payload, label and
 * lineage are all inside, so one signature binds them (the STANAG 4778 binding idea), and the
 * id does not depend on how the record was attested (one signature, or a batch).
 */
import { hash } from 'node:crypto';
import { canonicalize } from '../canonical/jcs.js';
import type { GovernedObservation, UnsignedObservation } from './record.js';

/**
 * The text whose UTF-8 bytes a device signs (or puts in a batch leaf). Throws
 * CanonicalizationError when the record holds what JSON cannot (a lone surrogate, a non-finite
 * number), so the text is always well-formed and its UTF-8 encoding exact.
 */
export function signedText(record: UnsignedObservation | GovernedObservation): string {
  const { integrity: _integrity, ...lineage } = record.lineage as Partial<GovernedObservation['lineage']> & UnsignedObservation['lineage'];
  return canonicalize({ ...record, lineage });
}

/** The bytes a device signs: UTF-8 of signedText. */
export function signedBytes(record: UnsignedObservation | GovernedObservation): Buffer {
  return Buffer.from(signedText(record), 'utf8');
}

/** The id of signed bytes, or of the signed text (hashed as UTF-8, without a Buffer of its own). */
export function idOfBytes(signed: Buffer | string): string {
  return hash('sha256', signed, 'hex');
}

/** The observation id: lowercase hex SHA-256 of `signedBytes(record)`. */
export function observationId(record: UnsignedObservation | GovernedObservation): string {
  return idOfBytes(signedBytes(record));
}
