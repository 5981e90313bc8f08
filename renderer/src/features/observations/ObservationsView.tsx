/** Stored observations: subject, class, label as marked, time, verification; select one for its lineage. */
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { MethodResult } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useObservationPage } from './observation-queries.js';
import { PAGE_SIZE, useObservationsStore } from './observations-store.js';
import { ObservationDetailPane } from './ObservationDetailPane.js';
import { VerificationBadge } from './VerificationBadge.js';

type Summary = MethodResult<'listObservations'>['observations'][number];

const column = createColumnHelper<Summary>();
const columns = [
  column.accessor('subject', { header: 'Subject', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  column.accessor('class', { header: 'Class' }),
  column.accessor('marking', { header: 'Label', cell: (c) => <span className="marking">{c.getValue()}</span> }),
  column.accessor('observedAt', {
    header: 'Observed (UTC)',
    cell: (c) => (
      <span title={c.row.original.timeReference ? `${c.row.original.timeReference} time` : 'the stored record cannot be read'}>
        {c.getValue().replace('T', ' ').slice(0, 19)} <span className="muted">{c.row.original.timeReference}</span>
      </span>
    ),
  }),
  column.accessor('device', { header: 'Device', cell: (c) => <span className="mono">{c.getValue()}</span> }),
  column.accessor('verification', { header: 'Verification', cell: (c) => <VerificationBadge verification={c.getValue()} /> }),
];

const NO_ROWS: Summary[] = [];

export function ObservationsView() {
  const { page, selectedId, setPage, select } = useObservationsStore();
  const { data, error } = useObservationPage();
  const rows = data?.observations ?? NO_ROWS;
  const total = data?.total ?? 0;

  // The console is not built with the React Compiler, which is what this rule protects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.id });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <section className="card card-wide" aria-labelledby="observations-heading" data-testid="observations">
      <div className="card-title-row">
        <h2 id="observations-heading">Observations</h2>
        <span className="muted" data-testid="observations-total">
          {total} stored
        </span>
      </div>
      {error && <RefusalBanner error={error} />}
      {!error && data && total === 0 && (
        <p className="empty">No observations yet: <code>entente observe --device ID --class track --subject S --label FILE &lt; payload.json</code>.</p>
      )}
      {total > 0 && (
        <div className="split">
          <div className="split-main">
            <table className="table table-selectable">
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => (
                      <th key={header.id} scope="col">
                        {flexRender(header.column.columnDef.header, header.getContext())}
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr
                    key={row.id}
                    data-testid="observation-row"
                    aria-selected={row.id === selectedId}
                    tabIndex={0}
                    onClick={() => select(row.id)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' || event.key === ' ') select(row.id);
                    }}
                  >
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
                  Newer
                </button>
                <span className="muted">
                  page {page + 1} of {pages}
                </span>
                <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                  Older
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
