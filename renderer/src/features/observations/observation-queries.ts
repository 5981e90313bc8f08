/**
 * What the observations views ask the core. New observations change the table; a revocation
 * or enrolment changes how stored ones verify, so the mesh's events count too.
 */
import type { EventName } from '../../../../core/api/index.js';
import { useContract } from '../../shared/use-contract.js';
import type { ObservationQuery } from './observation-pages.js';
import type { ObservationFilter, ObservationOrder } from './observations-store.js';

export const OBSERVATION_EVENTS = ['observationsAdmitted', 'meshChanged'] as const satisfies readonly EventName[];

/** The table's query under the filter and order chosen. */
export function observationQuery(filter: ObservationFilter, order: ObservationOrder): ObservationQuery {
  // A mesh code half typed ("D") is not asked yet: the core would refuse it, and the officer is still typing.
  const mesh = filter.mesh !== undefined && /^[A-Z0-9]{2,16}$/.test(filter.mesh) ? filter.mesh : undefined;
  return { ...filter, mesh, ...order };
}

/** One observation with its lineage; nothing is asked while none is selected. */
export function useObservationDetail(id: string | null) {
  return useContract('getObservation', id === null ? null : { id }, { refreshOn: OBSERVATION_EVENTS });
}
