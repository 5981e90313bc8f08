/**
 * Stored observations: subject, class, mesh, label as marked, time, verification; sorted by any
 * column and filtered by the core (so order and filter hold across pages), with the selected
 * one's detail beside the table, in view however far down the row is.
 */
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { SortableHeaderCell } from '../../shared/SortableHeaderCell.js';
import type { KeyboardEvent } from 'react';
import type { MethodResult } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { formatCount, local, utc } from '../../shared/format.js';
import { useObservationPage } from './observation-queries.js';
import { DEFAULT_ORDER, PAGE_SIZE, useObservationsStore, type ObservationOrder } from './observations-store.js';
import { ObservationDetailPane } from './ObservationDetailPane.js';
import { ObservationFilters } from './ObservationFilters.js';
import { VerificationBadge } from './VerificationBadge.js';
import { Marking } from '../../shared/classification/Marking.js';
import { AppSymbol } from '../../shared/symbols/AppSymbol.js';

type Summary = MethodResult<'listObservations'>['observations'][number];

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

const NO_ROWS: Summary[] = [];

/** Up and down move between rows, as in any list; Enter and Space open the focused one. */
function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, open: () => void): void {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling;
    (next as HTMLElement | null)?.focus();
  }
}

export function ObservationsView() {
  const { page, selectedId, setPage, select, filter, setFilter, order, setOrder } = useObservationsStore();
  const { data, error } = useObservationPage();
  const rows = data?.observations ?? NO_ROWS;
  const total = data?.total ?? 0;
  const columnOf = Object.entries(SORTS).find(([, sort]) => sort === order.sort)?.[0];
  const sorting: SortingState = columnOf ? [{ id: columnOf, desc: order.descending }] : [];

  // The console is not built with the React Compiler, which is what this rule protects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    // The core sorts, across every page, not just the rows shown.
    manualSorting: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      setOrder(first && SORTS[first.id] ? { sort: SORTS[first.id]!, descending: first.desc } : DEFAULT_ORDER);
    },
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Object.values(filter).some((v) => v !== undefined);

  return (
    <section className="card card-wide" aria-labelledby="observations-heading" data-testid="observations">
      <div className="card-title-row">
        <h2 id="observations-heading">Observations</h2>
        <span className="muted" data-testid="observations-total">
          {formatCount(total)} {filtered ? 'match' : 'stored'}
        </span>
      </div>
      <ObservationFilters filter={filter} onChange={setFilter} />
      {error && <RefusalBanner error={error} />}
      {!error && data && total === 0 && !filtered && (
        <p className="empty">No observations yet: <code>entente observe --device ID --class track --subject S --label FILE &lt; payload.json</code>.</p>
      )}
      {!error && data && total === 0 && filtered && <p className="empty">Nothing matches this filter.</p>}
      {total > 0 && (
        <div className="split">
          <div className="split-main">
            <table className="table table-selectable" aria-label="Observations" aria-rowcount={total}>
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <SortableHeaderCell key={header.id} header={header} testIdPrefix="sort-" />
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-testid="observation-row" aria-selected={row.id === selectedId} tabIndex={0} onClick={() => select(row.id)} onKeyDown={(event) => onRowKey(event, () => select(row.id))}>
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {pages > 1 && (
              <div className="pager">
                <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                  Previous
                </button>
                <span className="muted">
                  page {formatCount(page + 1)} of {formatCount(pages)}
                </span>
                <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                  Next
                </button>
              </div>
            )}
          </div>
          {/* Keyed by the selection: a new one starts from "Loading…", never from the last one's detail. */}
          <ObservationDetailPane key={selectedId ?? 'none'} />
        </div>
      )}
    </section>
  );
}
