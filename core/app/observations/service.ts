/** The observations part as the shells see it: recording, re-verifying, showing and listing observations. */
import type { GovernedObservation } from '../../observation/index.js';
import type { ObservationFilter, ObservationRow } from '../../store/observation-store.js';
import type { AppContext } from '../context/operation.js';
import type { StandingView } from '../integrity/standing.js';
import type { ForeignOriginView } from './foreign-origin.js';
import { observationPresenter, observe, showObservation, verifyAll, type ObserveRequest, type VerifyAllReport } from './observation-service.js';
import { observationDetail, observationPage, type ObservationDetailView, type ObservationPageView, type VerificationView } from './observation-views.js';
import { defaultVerifyThreads, verifyAllOnWorkers } from './verify-on-workers.js';

export interface ObservationsService {
  observe(request: ObserveRequest): Promise<{ id: string; record: GovernedObservation }>;
  verifyAll(): Promise<VerifyAllReport>;
  /** As verifyAll, on `threads` worker threads running the built worker at `workerUrl`. */
  verifyAllOnWorkers(workerUrl: URL, threads?: number): Promise<VerifyAllReport>;
  /** How many threads `entente verify` uses when not told: every core, for a store large enough. */
  defaultVerifyThreads(): number;
  /** One record, its sources as it names them, its verification (an edited row is flagged) and its standing over its lineage. */
  /** `foreign`: where another mesh's observation came from and how it crossed (null for this mesh's own). */
  show(id: string): Promise<{ row: ObservationRow; record: GovernedObservation; sources: readonly string[]; verification: VerificationView; standing: StandingView; foreign: ForeignOriginView | null }>;
  /** A page of the table, each row re-verified against the credentials as they stand now. */
  page(filter: ObservationFilter): Promise<ObservationPageView>;
  /** One observation with its lineage, or undefined when none is stored under `id`. */
  detail(id: string): Promise<ObservationDetailView | undefined>;
}

export function createObservationsService(context: AppContext): ObservationsService {
  return {
    observe: (request) => observe(context.writing(), request),
    verifyAll: () => verifyAll(context.reading()),
    verifyAllOnWorkers: (workerUrl, threads) => verifyAllOnWorkers(context.reading(), workerUrl, threads),
    defaultVerifyThreads: () => defaultVerifyThreads(context.reading()),
    show: (id) => showObservation(context.reading(), id),
    page: async (filter) => {
      const op = context.reading();
      // The presenter reads the mesh's credentials as they stand now (a revocation shows at once).
      return observationPage(op, await observationPresenter(op), filter);
    },
    detail: async (id) => {
      const op = context.reading();
      return observationDetail(op, await observationPresenter(op), id);
    },
  };
}
