/**
 * The set a link reconciles for scope `<federation>:<partner>` (decision 0006 "Membership"):
 * every observation held here that the declaration in force lets cross to the partner, plus
 * every observation admitted from the partner under the federation. It is the persistent index
 * (core/app/sync-index/), kept on every insert, so a sync costs about the difference times log N
 * and never reads the whole store: what makes an idle sync of a million items a few milliseconds.
 */
import type { Bound, Item, NegentropyStorage } from '../../boundary/negentropy/index.js';
import { addSyncItem, openSyncIndex, syncCandidatesOf, syncScopeHolds, type SyncIndexStorage } from '../../store/sync-index-store.js';
import type { Operation } from '../context/operation.js';
import type { CrossingParts } from '../crossing/parts.js';
import { itemOf, syncStorageFor } from '../sync-index/maintain.js';
import { syncScopeOf } from '../sync-index/membership.js';

export interface ScopeSet {
  /** The scope's items as of the last `refresh()`. */
  readonly storage: NegentropyStorage;
  /**
   * Reads the index afresh: call before each negentropy message, since the index's storage
   * snapshots its run rows when opened and admissions during a session move them.
   */
  refresh(): void;
  /** Whether an id is in the set now: only those are ever sent. */
  has(id: string): boolean;
}

export function scopeName(federation: string, partner: string): string {
  return syncScopeOf(federation, partner);
}

/** Scope `federation:partner` over the index (built, or rebuilt under the version in force, first when it must be). */
export function scopeSet(op: Operation, parts: CrossingParts, scope: { federation: string; partner: string }, now: Date): ScopeSet {
  const name = scopeName(scope.federation, scope.partner);
  // The first open checks the scope against the version in force (verifying the declaration) and
  // rebuilds it if it must; a session's moment is fixed, so later opens only re-read the index.
  const storage = new RefreshedStorage(syncStorageFor(op, parts, scope.federation, scope.partner, now));
  return { storage, refresh: () => storage.replace(openSyncIndex(op.read, name, storage.index)), has: (id) => syncScopeHolds(op.read, name, id) };
}

/**
 * Ids the partner sent us over the link that we held already (duplicates): the partner holds
 * them and so do we, so they join the scope, though membership alone would leave them out (an
 * item that reached us by another partner, under a rule that forbids passing it on). Without
 * this the two sets never agree: the partner offers the item on every sync and our digest
 * never counts it. A rebuild of the scope forgets them; the next sync's duplicate brings each back.
 */
export function joinHeldByPartner(op: Operation, scope: string, ids: readonly string[], now: Date): void {
  if (ids.length === 0) return;
  const at = now.toISOString();
  op.write.transaction(() => {
    for (const candidate of syncCandidatesOf(op.write, ids)) addSyncItem(op.write, scope, itemOf(candidate), at);
  })();
}

/** One negentropy storage whose index snapshot can be replaced between messages (the reconciler keeps its storage for the session). */
class RefreshedStorage implements NegentropyStorage {
  constructor(private current: SyncIndexStorage) {}
  /** The snapshot in use: the next one is opened from it, keeping the runs it read that did not change. */
  get index(): SyncIndexStorage {
    return this.current;
  }
  replace(next: SyncIndexStorage): void {
    this.current = next;
  }
  size(): number {
    return this.current.size();
  }
  getItem(i: number): Item {
    return this.current.getItem(i);
  }
  iterate(begin: number, end: number, visit: (item: Item, i: number) => boolean): void {
    this.current.iterate(begin, end, visit);
  }
  findLowerBound(begin: number, end: number, bound: Bound): number {
    return this.current.findLowerBound(begin, end, bound);
  }
  fingerprint(begin: number, end: number): Uint8Array {
    return this.current.fingerprint(begin, end);
  }
}

/** The whole set's fingerprint, hex: the digest a convergence statement signs. */
export function setDigest(storage: NegentropyStorage): string {
  return Buffer.from(storage.fingerprint(0, storage.size())).toString('hex');
}
