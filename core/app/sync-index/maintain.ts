/**
 * Keeping the sync index (core/store/sync-index-store.ts) true to what the store holds: every
 * stored observation is added, in the transaction that stores it, to each built scope it belongs
 * to; a scope is (re)built whole when first asked for and whenever the federation version in
 * force is not the one it was built under (a new declaration can widen or narrow what crosses).
 */
import { Refused } from '../../common/refused.js';
import type { Item } from '../../boundary/negentropy/index.js';
import {
  addSyncItem,
  iterateSyncCandidates,
  listSyncScopes,
  openSyncIndex,
  replaceSyncScope,
  syncCandidatesOf,
  syncScopeSummary,
  type SyncCandidate,
  type SyncIndexStorage,
  type SyncScopeSummary,
} from '../../store/sync-index-store.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import type { CrossingParts } from '../crossing/parts.js';
import { membershipJudge, scopesInForce, type ScopeInForce } from './membership.js';

export function itemOf(candidate: Pick<SyncCandidate, 'id' | 'hlcL'>): Item {
  return { timestamp: candidate.hlcL, id: Uint8Array.from(Buffer.from(candidate.id, 'hex')) };
}

/**
 * The store paths' one call (local publish, admission): adds the observations `ids`, just stored
 * in the caller's transaction, to every built scope they belong to. Scopes never built are left
 * to their first build, which reads everything; so a mesh without links pays one query.
 */
export function indexStoredObservations(op: Operation, parts: CrossingParts, ids: readonly string[], now: Date): void {
  if (ids.length === 0) return;
  const built = new Set(listSyncScopes(op.write));
  if (built.size === 0) return;
  const own = op.mesh().mesh.code;
  const scopes = scopesInForce(op, own, now).filter((s) => built.has(s.scope));
  if (scopes.length === 0) return;
  const judge = membershipJudge(op, parts, own, scopes, now);
  const at = now.toISOString();
  for (const candidate of syncCandidatesOf(op.write, ids)) {
    for (const scope of judge(candidate)) addSyncItem(op.write, scope, itemOf(candidate), at);
  }
}

/** Rebuilds scope `federation:partner` from everything stored, under the version in force, in one transaction. */
export function rebuildScope(op: Operation, parts: CrossingParts, federation: string, partner: string, now: Date = op.clock.now()): SyncScopeSummary {
  const target = scopeInForce(op, federation, partner, now);
  const own = op.mesh().mesh.code;
  const judge = membershipJudge(op, parts, own, [target], now);
  const items: Item[] = [];
  for (const candidate of iterateSyncCandidates(op.write)) if (judge(candidate).length > 0) items.push(itemOf(candidate));
  op.write.transaction(() => replaceSyncScope(op.write, target.scope, items, { version: target.version, at: now.toISOString() })).immediate();
  return syncScopeSummary(op.write, target.scope)!;
}

/**
 * The negentropy storage a link's session reconciles scope `federation:partner` over: built
 * first if it never was, or was built under another version than the one in force.
 */
export function syncStorageFor(op: Operation, parts: CrossingParts, federation: string, partner: string, now: Date = op.clock.now()): SyncIndexStorage {
  const target = scopeInForce(op, federation, partner, now);
  const summary = syncScopeSummary(op.read, target.scope);
  if (!summary || summary.version !== target.version) rebuildScope(op, parts, federation, partner, now);
  return openSyncIndex(op.read, target.scope);
}

function scopeInForce(op: ReadOperation, federation: string, partner: string, now: Date): ScopeInForce {
  const own = op.mesh().mesh.code;
  const target = scopesInForce(op, own, now).find((s) => s.federation === federation && s.partner === partner);
  if (!target) {
    throw new Refused('no-federation', `No active federation ${federation} in force joins ${own} and ${partner}: there is no scope to index.`);
  }
  return target;
}
