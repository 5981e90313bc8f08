/**
 * The composition root of the app: one ground floor (store handles, trusted clock, passphrase)
 * and every mission part's service standing on it. Shells build this once per command (the CLI)
 * or once per open core (the api), and reach the app only through it.
 */
import type { WriteDb } from '../store/database.js';
import type { Workspace } from '../workspace/workspace.js';
import { createAgentsService, type AgentsService } from './agents/service.js';
import { createAuditService, type AuditService } from './audit/service.js';
import { createBoundaryService, type BoundaryService } from './boundary/service.js';
import { createAppContext, type AppContext, type ContextOptions } from './context/operation.js';
import { createCotService, type CotService } from './cot/service.js';
import { createCrossingService, type CrossingService } from './crossing/service.js';
import { crossingParts } from './crossing/wiring.js';
import { createCredentialsService, type CredentialsService } from './credentials/service.js';
import { createFederationsService, type FederationsService } from './federations/service.js';
import { createIntegrityService, type IntegrityService } from './integrity/service.js';
import { createLinksService, type LinksService } from './links/service.js';
import { createMeshService, type MeshService } from './mesh/service.js';
import { createObservationsService, type ObservationsService } from './observations/service.js';
import { createProvenanceService, type ProvenanceService } from './provenance/service.js';
import { createReconcileService, type ReconcileService } from './reconcile/service.js';
import { createSyncIndexService, type SyncIndexService } from './sync-index/service.js';
import { createTaxonomyService, type TaxonomyService } from './taxonomy/service.js';
import { createTimeService, type TimeService } from './time/service.js';
import { createWitnessService, type WitnessService } from './witness/service.js';

export interface Services {
  readonly context: AppContext;
  readonly mesh: MeshService;
  readonly credentials: CredentialsService;
  readonly observations: ObservationsService;
  readonly audit: AuditService;
  readonly federations: FederationsService;
  readonly integrity: IntegrityService;
  readonly provenance: ProvenanceService;
  readonly witness: WitnessService;
  readonly agents: AgentsService;
  readonly taxonomy: TaxonomyService;
  readonly crossing: CrossingService;
  readonly syncIndex: SyncIndexService;
  readonly links: LinksService;
  readonly reconcile: ReconcileService;
  readonly boundary: BoundaryService;
  readonly time: TimeService;
  readonly cot: CotService;
}

export type ServicesOptions = ContextOptions;

/** The services over an open workspace (or a store connection opened for writing). */
export function createServices(store: Workspace | WriteDb, options: ServicesOptions = {}): Services {
  const context = createAppContext(isWorkspace(store) ? store.db : store, options);
  return {
    context,
    mesh: createMeshService(context),
    credentials: createCredentialsService(context),
    observations: createObservationsService(context),
    audit: createAuditService(context),
    federations: createFederationsService(context),
    integrity: createIntegrityService(context),
    provenance: createProvenanceService(context),
    witness: createWitnessService(context),
    agents: createAgentsService(context),
    taxonomy: createTaxonomyService(context),
    crossing: createCrossingService(context, crossingParts),
    syncIndex: createSyncIndexService(context, crossingParts),
    links: createLinksService(context, crossingParts),
    reconcile: createReconcileService(context),
    boundary: createBoundaryService(context),
    time: createTimeService(context),
    cot: createCotService(context),
  };
}

function isWorkspace(store: Workspace | WriteDb): store is Workspace {
  // A better-sqlite3 connection has no `home`; a workspace always does.
  return 'home' in store;
}
