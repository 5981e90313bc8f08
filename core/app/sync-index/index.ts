/** The sync index's app part (decision 0006): scope membership, upkeep on insert, rebuilds. */
export { membershipJudge, scopesInForce, syncScopeOf, type ScopeInForce } from './membership.js';
export { indexStoredObservations, itemOf, rebuildScope, syncStorageFor } from './maintain.js';
export { createSyncIndexService, type SyncIndexService } from './service.js';
