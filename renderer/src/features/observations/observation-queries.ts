/**
 * What the observations views ask the core. New observations change the table; a revocation
 * or enrolment changes how stored ones verify, so the mesh's events count too.
 */
import type { EventName } from '../../../../core/api/index.js';
import { useContract } from '../../shared/use-contract.js';
import { PAGE_SIZE, useObservationsStore } from './observations-store.js';

export const OBSERVATION_EVENTS = ['observationsAdmitted', 'meshChanged'] as const satisfies readonly EventName[];

/** The current page of the table, under the current filter. */
export function useObservationPage() {
  const { filter, order, page } = useObservationsStore();
  // A mesh code half typed ("D") is not asked yet: the core would refuse it, and the officer is still typing.
  const mesh = filter.mesh !== undefined && /^[A-Z0-9]{2,16}$/.test(filter.mesh) ? filter.mesh : undefined;
  return useContract('listObservations', { ...filter, mesh, ...order, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, { refreshOn: OBSERVATION_EVENTS });
}

/** One observation with its lineage; nothing is asked while none is selected. */
export function useObservationDetail(id: string | null) {
  return useContract('getObservation', id === null ? null : { id }, { refreshOn: OBSERVATION_EVENTS });
}
