/**
 * The divergence queue (issue 16, "Divergence queue"): every subject held because two or more
 * meshes' histories diverged past the declared threshold, and the clashes between partners'
 * decisions. The core filters and sorts (listQueue), the table loads the pages it shows as the
 * officer scrolls (react-virtual), so it stays quick at a hundred thousand items; the keyboard
 * drives it (arrows or j/k move, Enter opens); the selected item's detail stays beside it.
 */
import { ReportedMarkings } from '../../shared/classification/Marking.js';
import { createColumnHelper, type OnChangeFn, type SortingState } from '@tanstack/react-table';
import { memo, useCallback, useMemo } from 'react';
import { navigate } from '../../app/route.js';
import { callCore } from '../../shared/call.js';
import { formatCount, local, utc } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { usePagedRows } from '../../shared/virtual-table/use-paged-rows.js';
import { VirtualTable } from '../../shared/virtual-table/VirtualTable.js';
import { QueueDetailPane } from './QueueDetailPane.js';
import { QueueFilters } from './QueueFilters.js';
import { QUEUE_EVENTS, QueuePages, type QueueRow } from './queue-pages.js';
import { CAUSE_WORDS, DEFAULT_QUEUE_ORDER, queryOf, useQueueStore, type QueueOrder } from './queue-store.js';
import { ScoreBar } from './ScoreBar.js';
import './queue.css';

/** Every row is one height, so the virtualizer knows where row 90,000 is without drawing the rest. */
export const ROW_HEIGHT = 42;

/** The columns' widths, in order: subject, class, score, cause, meshes, opened, state. */
const TRACKS = ['16%', '7%', '14%', '19%', '11%', '21%', '12%'];

const SORTS: Record<string, QueueOrder['sort']> = { subject: 'subject', score: 'score', cause: 'cause', openedAt: 'opened', status: 'status' };

/** The pane and the filter need not re-render with the table. */
const DetailPane = memo(QueueDetailPane);
const Filters = memo(QueueFilters);

/** "UTC 12-01 17:33:32": the year is the officer's own, the seconds matter in a queue. */
const compactUtc = (iso: string) => utc(iso, true).replace(/^UTC \d{4}-/, 'UTC ');

const meshesOf = (row: QueueRow) => [...new Set(row.competing.map((c) => c.mesh).filter((m): m is string => m !== undefined))].sort();

const rowIdOf = (row: QueueRow) => row.id;

function columnsFor(threshold: number | null) {
  const column = createColumnHelper<QueueRow>();
  return [
    column.accessor('subject', {
      header: 'Subject',
      cell: (c) => (
        <>
          {/* The subject names classified data: the row raises its observations' markings to the banner while it is on screen. */}
          <ReportedMarkings markings={c.row.original.competing.flatMap((o) => (o.marking ? [o.marking] : []))} />
          <span className="mono">{c.getValue()}</span>
        </>
      ),
    }),
    column.accessor((row) => row.competing[0]?.class, { id: 'class', header: 'Class', enableSorting: false, cell: (c) => c.getValue() ?? (c.row.original.kind === 'decision-clash' ? 'decision' : '') }),
    column.accessor('score', { header: 'Score', cell: (c) => <ScoreBar score={c.getValue()} threshold={threshold} compact /> }),
    column.accessor('cause', { header: 'Cause estimate', cell: (c) => <span className={`cause cause-${c.getValue()}`}>{CAUSE_WORDS[c.getValue()]}</span> }),
    column.accessor((row) => meshesOf(row).join(' · '), { id: 'meshes', header: 'Meshes', enableSorting: false }),
    column.accessor('openedAt', {
      header: 'Opened',
      cell: (c) => (
        <span className="nowrap" title={`${utc(c.getValue(), true)} (${local(c.getValue(), true)})`}>
          {compactUtc(c.getValue())}
          <div className="muted small">{local(c.getValue(), true)}</div>
        </span>
      ),
    }),
    column.accessor('status', { header: 'State', cell: (c) => <span className={`badge queue-status-${c.getValue()}`}>{c.getValue()}</span> }),
  ];
}

export function QueueView({ selected }: { selected: string | null }) {
  const { filter, setFilter, order, setOrder, cursor, setCursor } = useQueueStore();
  const query = useMemo(() => queryOf(filter, order), [filter, order]);
  const queryKey = JSON.stringify(query);
  // One loader per filter and order: a new one starts from the first page.
  const pages = useMemo(() => new QueuePages((args) => callCore('listQueue', args), JSON.parse(queryKey) as typeof query), [queryKey]);
  const { state, onRange } = usePagedRows(pages, QUEUE_EVENTS);
  const total = state.total ?? 0;

  const columns = useMemo(() => columnsFor(state.threshold), [state.threshold]);
  const sortColumn = Object.entries(SORTS).find(([, sort]) => sort === order.sort)?.[0];
  const sorting: SortingState = useMemo(() => (sortColumn ? [{ id: sortColumn, desc: order.descending }] : []), [sortColumn, order.descending]);
  const onSortingChange: OnChangeFn<SortingState> = useCallback(
    (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const head = next[0];
      setOrder(head && SORTS[head.id] ? { sort: SORTS[head.id]!, descending: head.desc } : DEFAULT_QUEUE_ORDER);
    },
    [sorting, setOrder],
  );
  const open = useCallback(
    (index: number, item: QueueRow | undefined) => {
      setCursor(index);
      if (item) navigate({ view: 'queue', item: item.id });
    },
    [setCursor],
  );

  const filtered = Object.keys(filter).length > 0;

  return (
    <section className="card card-wide" aria-labelledby="queue-heading" data-testid="queue">
      <div className="card-title-row">
        <h2 id="queue-heading">Divergence queue</h2>
        <span className="muted" data-testid="queue-total">
          {state.total === null ? 'Loading…' : `${formatCount(total)} ${filtered ? 'match' : 'waiting'} · ${formatCount(state.open)} open`}
          {state.threshold !== null && ` · threshold ${state.threshold.toFixed(2)}`}
        </span>
      </div>
      <Filters filter={filter} onChange={setFilter} />
      {state.error && <RefusalBanner error={state.error} />}
      {state.total === 0 && !filtered && (
        <p className="empty" data-testid="queue-empty">
          The queue is empty: no subject’s histories have diverged past the threshold. Divergences open here as partners’ observations cross.
        </p>
      )}
      {state.total === 0 && filtered && <p className="empty">Nothing in the queue matches this filter.</p>}
      <div className="split queue-split">
        <div className="split-main">
          <VirtualTable
            label="Divergence queue"
            columns={columns}
            tracks={TRACKS}
            rowHeight={ROW_HEIGHT}
            count={total}
            rowAt={pages.row}
            rowId={rowIdOf}
            selected={selected}
            cursor={cursor}
            onCursor={setCursor}
            onOpen={open}
            onRange={onRange}
            sorting={sorting}
            onSortingChange={onSortingChange}
            testIds={{ scroll: 'queue-scroll', row: 'queue-row', sortPrefix: 'queue-sort-' }}
            hidden={state.total === 0}
            className="queue-scroll"
          />
          <p className="muted small queue-keys">
            <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> opens · <kbd>Page Up</kbd>/<kbd>Page Down</kbd> a screen · <kbd>Home</kbd>/<kbd>End</kbd>
          </p>
        </div>
        {/* Keyed by the selection: another item starts from "Loading…", never from the last one's detail. */}
        <DetailPane key={selected ?? 'none'} id={selected} threshold={state.threshold} />
      </div>
    </section>
  );
}
