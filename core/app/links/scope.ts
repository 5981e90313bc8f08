/**
 * The set a link reconciles for scope `<federation>:<partner>` (decision 0006 "Membership"):
 * every observation held here that the declaration in force lets cross to the partner (the
 * export's own selection: scope, ceiling as translated, releasability, onward release), plus
 * every observation admitted from the partner under the federation. Items are (mesh time `hlc.l`,
 * observation id), as both sides read them from the signed record.
 *
 * Built in memory from a query of the store, behind this one function, until the persistent
 * index (core/app/sync-index/) answers it.
 */
import { MemoryStorage, type Item, type NegentropyStorage } from '../../boundary/negentropy/index.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import type { Declaration } from '../../federation/declaration.js';
import type { GovernedObservation } from '../../observation/index.js';
import { iterateExportCandidates, latestObservationRowid } from '../../store/crossing-store.js';
import { crossedFrom } from '../../store/link-store.js';
import type { ReadOperation } from '../context/operation.js';
import { selector } from '../crossing/export.js';
import type { CrossingParts } from '../crossing/parts.js';

export interface ScopeSet {
  readonly storage: NegentropyStorage;
  /** Whether an id is in the set: only those are ever sent. */
  has(id: string): boolean;
}

export function scopeName(federation: string, partner: string): string {
  return `${federation}:${partner}`;
}

export function scopeSet(op: ReadOperation, parts: CrossingParts, scope: { federation: string; declaration: Declaration; partner: string }, now: Date): ScopeSet {
  const own = op.mesh().mesh.code;
  const items = new Map<string, number>();
  const selected = selector(op, parts, { own, to: scope.partner, federation: scope.federation, declaration: scope.declaration, now });
  for (const candidate of iterateExportCandidates(op.read, 0, latestObservationRowid(op.read))) {
    if (selected(candidate)) items.set(candidate.id, (readStrictJson(candidate.record) as GovernedObservation).time.hlc.l);
  }
  for (const { id, hlcL } of crossedFrom(op.read, scope.partner, scope.federation)) items.set(id, hlcL);
  const storage = new MemoryStorage([...items].map(([id, timestamp]): Item => ({ timestamp, id: Buffer.from(id, 'hex') })));
  return { storage, has: (id) => items.has(id) };
}

/** The whole set's fingerprint, hex: the digest a convergence statement signs. */
export function setDigest(storage: NegentropyStorage): string {
  return Buffer.from(storage.fingerprint(0, storage.size())).toString('hex');
}
