/**
 * Stored observations: subject, class, mesh, label as marked, time, verification; sorted by any
 * column and filtered by the core (so order and filter hold across the whole store), drawn a
 * screen at a time as the officer scrolls (VirtualTable, shared with the queue: 100,000 rows stay
 * quick), with the selected one's detail beside the table, in view however far down the row is.
 */
import { createColumnHelper, type OnChangeFn, type SortingState } from '@tanstack/react-table';
import { useCallback, useMemo } from 'react';
import { callCore } from '../../shared/call.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { formatCount, local, utc } from '../../shared/format.js';
import { usePagedRows } from '../../shared/virtual-table/use-paged-rows.js';
import { VirtualTable } from '../../shared/virtual-table/VirtualTable.js';
import { ObservationPages, type ObservationSummary as Summary } from './observation-pages.js';
import { OBSERVATION_EVENTS, observationQuery } from './observation-queries.js';
import { DEFAULT_ORDER, useObservationsStore, type ObservationOrder } from './observations-store.js';
import { ObservationDetailPane } from './ObservationDetailPane.js';
import { ObservationFilters } from './ObservationFilters.js';
import { VerificationBadge } from './VerificationBadge.js';
import { Marking } from '../../shared/classification/Marking.js';
import { AppSymbol } from '../../shared/symbols/AppSymbol.js';
import './observations.css';

/** Every row is one height (the time takes two lines), so the table knows where row 90,000 is. */
export const OBSERVATION_ROW_HEIGHT = 42;

/** The columns' widths, in order: symbol, subject, class, mesh, label, observed, device, verification. */
const TRACKS = ['72px', 'minmax(0, 1fr)', 'minmax(0, 0.6fr)', 'minmax(0, 0.6fr)', 'minmax(0, 1.4fr)', 'minmax(0, 2.2fr)', 'minmax(0, 0.7fr)', 'minmax(0, 1.1fr)'];

/** The table's sortable columns and the core's sort of each. */
const SORTS: Record<string, ObservationOrder['sort']> = { subject: 'subject', class: 'class', mesh: 'mesh', observedAt: 'observed' };

const column = createColumnHelper<Summary>();
const columns = [
  column.accessor('sidc', { header: 'Symbol', enableSorting: false, cell: (c) => <AppSymbol sidc={c.getValue()} cls={c.row.original.class} /> }),
  column.accessor('subject', { header: 'Subject', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  column.accessor('class', { header: 'Class' }),
  column.accessor('mesh', { header: 'Mesh', cell: (c) => <>{c.getValue()}{c.row.original.foreign && <span className="muted"> foreign</span>}</> }),
  column.accessor('marking', { header: 'Label', enableSorting: false, cell: (c) => <Marking text={c.getValue()} /> }),
  column.accessor('observedAt', {
    header: 'Observed',
    cell: (c) => (
      <span className="nowrap" title={c.row.original.timeReference ? `${c.row.original.timeReference} time` : 'the stored record cannot be read'}>
        {utc(c.getValue(), true)}
        <div className="muted">{local(c.getValue(), true)}</div>
      </span>
    ),
  }),
  column.accessor('device', { header: 'Device', enableSorting: false, cell: (c) => <span className="mono">{c.getValue()}</span> }),
  column.accessor('verification', { header: 'Verification', enableSorting: false, cell: (c) => <VerificationBadge verification={c.getValue()} /> }),
];

const rowIdOf = (row: Summary) => row.id;

export function ObservationsView() {
  const { cursor, setCursor, selectedId, select, filter, setFilter, order, setOrder } = useObservationsStore();
  const queryKey = JSON.stringify(observationQuery(filter, order));
  // One loader per filter and order: a new one starts from the first page.
  const pages = useMemo(() => new ObservationPages((args) => callCore('listObservations', args), JSON.parse(queryKey) as ReturnType<typeof observationQuery>), [queryKey]);
  const { state, onRange } = usePagedRows(pages, OBSERVATION_EVENTS);
  const total = state.total ?? 0;

  const columnOf = Object.entries(SORTS).find(([, sort]) => sort === order.sort)?.[0];
  const sorting: SortingState = useMemo(() => (columnOf ? [{ id: columnOf, desc: order.descending }] : []), [columnOf, order.descending]);
  const onSortingChange: OnChangeFn<SortingState> = useCallback(
    (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      setOrder(first && SORTS[first.id] ? { sort: SORTS[first.id]!, descending: first.desc } : DEFAULT_ORDER);
    },
    [sorting, setOrder],
  );
  const open = useCallback(
    (index: number, row: Summary | undefined) => {
      setCursor(index);
      if (row) select(row.id);
    },
    [setCursor, select],
  );
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const error = state.error;

  return (
    <section className="card card-wide" aria-labelledby="observations-heading" data-testid="observations">
      <div className="card-title-row">
        <h2 id="observations-heading">Observations</h2>
        <span className="muted" data-testid="observations-total">
          {state.total === null ? 'Loading…' : `${formatCount(total)} ${filtered ? 'match' : 'stored'}`}
        </span>
      </div>
      <ObservationFilters filter={filter} onChange={setFilter} />
      {error && <RefusalBanner error={error} />}
      {!error && state.total === 0 && !filtered && (
        <p className="empty">No observations yet: <code>entente observe --device ID --class track --subject S --label FILE &lt; payload.json</code>.</p>
      )}
      {!error && state.total === 0 && filtered && <p className="empty">Nothing matches this filter.</p>}
      {total > 0 && (
      <div className="split">
        <div className="split-main">
          <VirtualTable
            label="Observations"
            columns={columns}
            tracks={TRACKS}
            rowHeight={OBSERVATION_ROW_HEIGHT}
            count={total}
            rowAt={pages.row}
            rowId={rowIdOf}
            selected={selectedId}
            cursor={cursor}
            onCursor={setCursor}
            onOpen={open}
            onRange={onRange}
            sorting={sorting}
            onSortingChange={onSortingChange}
            testIds={{ scroll: 'observations-scroll', row: 'observation-row', sortPrefix: 'sort-' }}
            className="observations-scroll"
          />
        </div>
        {/* Keyed by the selection: a new one starts from "Loading…", never from the last one's detail. */}
        <ObservationDetailPane key={selectedId ?? 'none'} />
      </div>
      )}
    </section>
  );
}
