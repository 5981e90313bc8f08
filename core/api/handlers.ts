/**
 * The core's side of the contract: one handler per method, over an open workspace. The
 * mapped type makes the compiler refuse a contract method without a handler.
 */
import type { z } from 'zod';
import { appInfo } from '../app/identity.js';
import { auditLogState, auditPage, verificationView } from '../app/audit-views.js';
import { verifyAuditLog } from '../app/audit-service.js';
import { federationDetail, federationSummaries } from '../app/federation-views.js';
import { meshIdentity, principals } from '../app/mesh-views.js';
import { observationPresenter } from '../app/observation-service.js';
import { observationDetail, observationPage } from '../app/observation-views.js';
import { readMesh } from '../store/mesh-store.js';
import type { Workspace } from '../workspace/workspace.js';
import type { MethodName, MethodResult, methods } from './contract/index.js';
import { Refused } from '../common/refused.js';

export type CoreHandlers = {
  readonly [M in MethodName]: (args: z.output<(typeof methods)[M]['args']>) => MethodResult<M> | Promise<MethodResult<M>>;
};

export function createCoreHandlers(workspace: Workspace): CoreHandlers {
  const { db } = workspace;
  // The last verification of the log in this session: shown until the officer asks for another.
  let lastVerification: MethodResult<'verifyAuditLog'> | null = null;
  return {
    getAppInfo: () => appInfo(),
    getMeshIdentity: () => meshIdentity(db),
    getWorkspaceInfo: () => workspace.info(),
    listPrincipals: ({ role }) => ({ principals: principals(db, role ? [role] : ['device', 'operator', 'boundary-agent']) }),
    // The presenter reads the mesh's credentials as they stand now (a revocation shows at once).
    listObservations: async (filter) =>
      readMesh(db) ? observationPage(db, await observationPresenter(db), filter) : { total: 0, observations: [] },
    getObservation: async ({ id }) => {
      const detail = observationDetail(db, await observationPresenter(db), id);
      if (!detail) throw new Refused('not-found', `No observation ${id} is stored in this workspace.`);
      return detail;
    },
    listAuditEntries: (filter) => (readMesh(db) ? auditPage(db, filter) : { total: 0, entries: [] }),
    getAuditLogState: () => (readMesh(db) ? auditLogState(db, lastVerification) : { entries: 0, lastCheckpoint: null, verification: null }),
    verifyAuditLog: () => {
      // A workspace without a mesh has an empty log, which verifies trivially.
      lastVerification = readMesh(db)
        ? verificationView(verifyAuditLog(db), new Date())
        : { verifiedAt: new Date().toISOString(), ok: true, entries: 0, checkpoints: 0, failures: [] };
      return lastVerification;
    },
    listFederations: () => ({ federations: readMesh(db) ? federationSummaries(db) : [] }),
    getFederation: ({ federation }) => {
      const detail = readMesh(db) ? federationDetail(db, federation) : null;
      if (!detail) throw new Refused('not-found', `This workspace holds no federation ${federation}.`);
      return detail;
    },
  };
}
