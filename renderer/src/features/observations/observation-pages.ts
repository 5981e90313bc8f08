/**
 * The observations table's rows, loaded a page at a time as the officer scrolls (PagedRows, shared
 * with the queue), bound to listObservations: the core filters and sorts, so order and filter
 * hold across the whole store, a hundred thousand rows or more.
 */
import type { Envelope, MethodArgs, MethodResult } from '../../../../core/api/index.js';
import { PagedRows } from '../../shared/virtual-table/paged-rows.js';

export type ObservationQuery = Omit<MethodArgs<'listObservations'>, 'limit' | 'offset'>;
export type ObservationSummary = MethodResult<'listObservations'>['observations'][number];

/** Rows per call: two screens. The core verifies every row it lists (about 5 ms a row on this machine), so a small page is a quick first screen. */
export const OBSERVATION_PAGE_ROWS = 50;

export class ObservationPages extends PagedRows<ObservationSummary, object> {
  constructor(
    list: (args: MethodArgs<'listObservations'>) => Promise<Envelope<MethodResult<'listObservations'>>>,
    readonly query: ObservationQuery,
    pageRows = OBSERVATION_PAGE_ROWS,
  ) {
    super(
      async (limit, offset) => {
        const answer = await list({ ...query, limit, offset });
        return answer.ok ? { ok: true, value: { rows: answer.value.observations, total: answer.value.total, extra: {} } } : answer;
      },
      pageRows,
      {},
    );
  }
}
