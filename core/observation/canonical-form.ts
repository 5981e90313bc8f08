/**
 * What is signed and what names an observation: the RFC 8785 canonical JSON of the record
 * without `lineage.integrity`, and the lowercase hex SHA-256 of those bytes. Payload, label and
 * lineage are all inside, so one signature binds them (the STANAG 4778 binding idea), and the
 * id does not depend on how the record was attested (one signature, or a batch).
 */
import { hash } from 'node:crypto';
import { canonicalBytes } from '../canonical/jcs.js';
import type { GovernedObservation, UnsignedObservation } from './record.js';

/**
 * The bytes a device signs (or puts in a batch leaf). Throws CanonicalizationError when the
 * record holds what JSON cannot (a lone surrogate, a non-finite number).
 */
export function signedBytes(record: UnsignedObservation | GovernedObservation): Buffer {
  const { integrity: _integrity, ...lineage } = record.lineage as Partial<GovernedObservation['lineage']> & UnsignedObservation['lineage'];
  return canonicalBytes({ ...record, lineage });
}

export function idOfBytes(bytes: Buffer): string {
  return hash('sha256', bytes, 'hex');
}

/** The observation id: lowercase hex SHA-256 of `signedBytes(record)`. */
export function observationId(record: UnsignedObservation | GovernedObservation): string {
  return idOfBytes(signedBytes(record));
}
