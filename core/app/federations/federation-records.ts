/**
 * Federations as the store holds them, read back as the lifecycle judges them: every version
 * with its signatures, the withdrawals and the exits already executed.
 */
import { Refused } from '../../common/refused.js';
import type { Declaration } from '../../federation/declaration.js';
import type { FederationRecord } from '../../federation/lifecycle.js';
import type { ReadDb } from '../../store/database.js';
import { listFederationIds, readFederation } from '../../store/federation-store.js';

export function federationRecords(db: ReadDb): FederationRecord[] {
  return listFederationIds(db).map((id) => federationRecord(db, id)!);
}

export function federationRecord(db: ReadDb, id: string): FederationRecord | null {
  const stored = readFederation(db, id);
  if (!stored) return null;
  return {
    id,
    // Stored versions were validated when they arrived; they are read back as they were signed.
    versions: stored.versions.map((v) => ({ declaration: JSON.parse(v.declaration) as Declaration, digest: v.digest, signatures: v.signatures })),
    withdrawals: stored.withdrawals.map(({ partner, at, reason }) => ({ partner, at, reason })),
    exits: stored.exits.map(({ partner, executedAt }) => ({ partner, at: executedAt })),
  };
}

export function requireRecord(db: ReadDb, id: string): FederationRecord {
  const record = federationRecord(db, id);
  if (!record) throw new Refused('unknown-federation', `This workspace holds no federation ${id}.`);
  return record;
}
