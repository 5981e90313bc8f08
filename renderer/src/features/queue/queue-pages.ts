/**
 * The queue table's rows, loaded a page at a time as the officer scrolls (PagedRows, shared with
 * the observations table), bound to listQueue: the core filters and sorts, and each answer also
 * carries the open count and the threshold in force.
 */
import type { Envelope, EventName, MethodArgs, MethodResult } from '../../../../core/api/index.js';
import { PagedRows, type PagedState } from '../../shared/virtual-table/paged-rows.js';

/** Events after which the queue may have changed: the picture (items open and close with it) and new observations. */
export const QUEUE_EVENTS = ['pictureChanged', 'observationsAdmitted'] as const satisfies readonly EventName[];

/** One item as getQueueItem answers it: the competing observations in full. */
export type QueueItemDetail = MethodResult<'getQueueItem'>;

export type QueueQuery = Omit<MethodArgs<'listQueue'>, 'limit' | 'offset'>;
export type QueuePage = MethodResult<'listQueue'>;
export type QueueRow = QueuePage['items'][number];

export const PAGE_ROWS = 200;

interface QueueTotals {
  readonly open: number;
  readonly threshold: number | null;
}

export type PagesState = PagedState<QueueTotals>;

export class QueuePages extends PagedRows<QueueRow, QueueTotals> {
  constructor(
    list: (args: MethodArgs<'listQueue'>) => Promise<Envelope<QueuePage>>,
    readonly query: QueueQuery,
    pageRows = PAGE_ROWS,
  ) {
    super(
      async (limit, offset) => {
        const answer = await list({ ...query, limit, offset });
        return answer.ok ? { ok: true, value: { rows: answer.value.items, total: answer.value.total, extra: { open: answer.value.open, threshold: answer.value.threshold } } } : answer;
      },
      pageRows,
      { open: 0, threshold: null },
    );
  }
}
