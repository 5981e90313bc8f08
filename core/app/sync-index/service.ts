/**
 * The sync index as the links part sees it (decision 0006): the negentropy storage of a scope
 * (built or rebuilt first when it must be), an explicit rebuild (a declaration version came into
 * force), and a scope's count and fingerprint for the convergence proof.
 */
import type { SyncIndexStorage, SyncScopeSummary } from '../../store/sync-index-store.js';
import { listSyncScopes, syncScopeSummary } from '../../store/sync-index-store.js';
import type { AppContext } from '../context/operation.js';
import type { CrossingParts } from '../crossing/parts.js';
import { rebuildScope, syncStorageFor } from './maintain.js';
import { syncScopeOf } from './membership.js';

export interface SyncIndexService {
  /** Scope `federation:partner`'s storage for one negentropy message (make a fresh one per message if the store may change meanwhile). */
  storage(federation: string, partner: string): SyncIndexStorage;
  rebuild(federation: string, partner: string): SyncScopeSummary;
  /** The scope's count, sum and whole-set fingerprint from its one row; undefined until built. */
  summary(federation: string, partner: string): SyncScopeSummary | undefined;
  scopes(): string[];
}

export function createSyncIndexService(context: AppContext, parts: CrossingParts): SyncIndexService {
  return {
    storage: (federation, partner) => syncStorageFor(context.writing(), parts, federation, partner),
    rebuild: (federation, partner) => rebuildScope(context.writing(), parts, federation, partner),
    summary: (federation, partner) => syncScopeSummary(context.reading().read, syncScopeOf(federation, partner)),
    scopes: () => listSyncScopes(context.reading().read),
  };
}
