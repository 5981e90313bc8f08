/**
 * What is signed and what names an observation: the RFC 8785 canonical JSON of the record
 * without its integrity attestation, and the SHA-256 of those bytes. Payload, label and
 * lineage are all inside, so one signature binds them (the STANAG 4778 binding idea).
 */
import { hash } from 'node:crypto';
import { canonicalBytes } from '../canonical/jcs.js';
import type { GovernedObservation, UnsignedObservation } from './record.js';

export function signedBytes(record: UnsignedObservation | GovernedObservation): Buffer {
  const { integrity: _integrity, ...lineage } = record.lineage as GovernedObservation['lineage'];
  return canonicalBytes({ ...record, lineage });
}

export function idOfBytes(bytes: Buffer): string {
  return hash('sha256', bytes, 'hex');
}

export function observationId(record: UnsignedObservation | GovernedObservation): string {
  return idOfBytes(signedBytes(record));
}
