/**
 * The divergence queue (issue 16, "Divergence queue"): every subject held because two or more
 * meshes' histories diverged past the declared threshold, and the clashes between partners'
 * decisions. The core filters and sorts (listQueue), the table loads the pages it shows as the
 * officer scrolls (react-virtual), so it stays quick at a hundred thousand items; the keyboard
 * drives it (arrows or j/k move, Enter opens); the selected item's detail stays beside it.
 */
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { SortableHeaderCell } from '../../shared/SortableHeaderCell.js';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import { navigate } from '../../app/route.js';
import { callCore } from '../../shared/call.js';
import { bridge } from '../../shared/entente.js';
import { formatCount, local, utc } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { QueueDetailPane } from './QueueDetailPane.js';
import { QueueFilters } from './QueueFilters.js';
import { QUEUE_EVENTS, QueuePages, type QueueRow } from './queue-pages.js';
import { CAUSE_WORDS, DEFAULT_QUEUE_ORDER, queryOf, useQueueStore, type QueueOrder } from './queue-store.js';
import { ScoreBar } from './ScoreBar.js';
import './queue.css';

/** Every row is one height, so the virtualizer knows where row 90,000 is without drawing the rest. */
export const ROW_HEIGHT = 42;

const SORTS: Record<string, QueueOrder['sort']> = { subject: 'subject', score: 'score', cause: 'cause', openedAt: 'opened', status: 'status' };

/** The table re-renders on every scrolled frame; the pane and the filter need not. */
const DetailPane = memo(QueueDetailPane);
const Filters = memo(QueueFilters);

/** A row whose page is still on its way. */
type Slot = { index: number; item: QueueRow | undefined };

/** "UTC 12-01 17:33:32": the year is the officer's own, the seconds matter in a queue. */
const compactUtc = (iso: string) => utc(iso, true).replace(/^UTC \d{4}-/, 'UTC ');

const meshesOf = (row: QueueRow) => [...new Set(row.competing.map((c) => c.mesh).filter((m): m is string => m !== undefined))].sort();

function columnsFor(threshold: number | null) {
  const column = createColumnHelper<Slot>();
  const pending = <span className="muted">…</span>;
  return [
    column.accessor((s) => s.item?.subject, { id: 'subject', header: 'Subject', cell: (c) => (c.row.original.item ? <span className="mono">{c.row.original.item.subject}</span> : pending) }),
    column.accessor((s) => s.item?.competing[0]?.class, { id: 'class', header: 'Class', enableSorting: false, cell: (c) => c.getValue() ?? (c.row.original.item?.kind === 'decision-clash' ? 'decision' : '') }),
    column.accessor((s) => s.item?.score, { id: 'score', header: 'Score', cell: (c) => (c.row.original.item ? <ScoreBar score={c.row.original.item.score} threshold={threshold} compact /> : pending) }),
    column.accessor((s) => s.item?.cause, { id: 'cause', header: 'Cause estimate', cell: (c) => (c.row.original.item ? <span className={`cause cause-${c.row.original.item.cause}`}>{CAUSE_WORDS[c.row.original.item.cause]}</span> : null) }),
    column.accessor((s) => (s.item ? meshesOf(s.item).join(' · ') : ''), { id: 'meshes', header: 'Meshes', enableSorting: false }),
    column.accessor((s) => s.item?.openedAt, {
      id: 'openedAt',
      header: 'Opened',
      cell: (c) => {
        const at = c.row.original.item?.openedAt;
        return at ? (
          <span className="nowrap" title={`${utc(at, true)} (${local(at, true)})`}>
            {compactUtc(at)}
            <div className="muted small">{local(at, true)}</div>
          </span>
        ) : null;
      },
    }),
    column.accessor((s) => s.item?.status, { id: 'status', header: 'State', cell: (c) => (c.row.original.item ? <span className={`badge queue-status-${c.row.original.item.status}`}>{c.row.original.item.status}</span> : null) }),
  ];
}

export function QueueView({ selected }: { selected: string | null }) {
  const { filter, setFilter, order, setOrder, cursor, setCursor } = useQueueStore();
  const query = useMemo(() => queryOf(filter, order), [filter, order]);
  const queryKey = JSON.stringify(query);
  // One loader per filter and order: a new one starts from the first page.
  const pages = useMemo(() => new QueuePages((args) => callCore('listQueue', args), JSON.parse(queryKey) as typeof query), [queryKey]);
  const state = useSyncExternalStore(pages.subscribe, pages.getState);
  const total = state.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  // The console is not built with the React Compiler, which is what this rule protects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 6, useFlushSync: false });
  const virtual = virtualizer.getVirtualItems();
  const first = virtual[0]?.index ?? 0;
  const last = virtual.at(-1)?.index ?? 0;
  /** Set by a key that moved the cursor: the row is focused once it is drawn. */
  const focusPending = useRef(false);

  useEffect(() => pages.ensure(first, Math.max(last, first)), [pages, first, last, state.total]);

  // Live: an event asks again for the pages shown (one call per burst).
  const range = useRef({ first, last });
  range.current = { first, last };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        pages.refresh(range.current.first, Math.max(range.current.last, range.current.first));
      }, 50);
    };
    let offs: (() => void)[] = [];
    try {
      const entente = bridge();
      offs = QUEUE_EVENTS.map((event) => entente.on(event, changed));
    } catch {
      // No bridge: the first page's call reports it as a refusal.
    }
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [pages]);

  useEffect(() => {
    if (!focusPending.current) return;
    const row = scroller.current?.querySelector<HTMLElement>(`tr[data-index="${cursor}"]`);
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  // A new array only when the range or the pages change: react-table recomputes its rows on every new one.
  // `state` is new whenever a page arrives, which is when the rows drawn may change.
  const slots = useMemo<Slot[]>(() => Array.from({ length: (state.total ?? 0) === 0 ? 0 : last - first + 1 }, (_, i) => ({ index: first + i, item: pages.row(first + i) })), [pages, state, first, last]);
  const columns = useMemo(() => columnsFor(state.threshold), [state.threshold]);
  const sortColumn = Object.entries(SORTS).find(([, sort]) => sort === order.sort)?.[0];
  const sorting: SortingState = sortColumn ? [{ id: sortColumn, desc: order.descending }] : [];
  const table = useReactTable({
    data: slots,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (slot) => String(slot.index),
    // Nothing to reset: the core pages and sorts. (Left on, a new window of rows would reset state, render, and reset again.)
    autoResetAll: false,
    // The core sorts, across every item, not just the rows drawn.
    manualSorting: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const head = next[0];
      setOrder(head && SORTS[head.id] ? { sort: SORTS[head.id]!, descending: head.desc } : DEFAULT_QUEUE_ORDER);
    },
  });

  const open = (index: number) => {
    const item = pages.row(index);
    setCursor(index);
    if (item) navigate({ view: 'queue', item: item.id });
  };

  const move = (to: number) => {
    const next = Math.max(0, Math.min(total - 1, to));
    setCursor(next);
    focusPending.current = true;
    // Rows are one height, so the row's place is known: scroll just enough to show it (below the sticky header).
    const view = scroller.current;
    if (view) {
      const head = view.querySelector('thead')?.clientHeight ?? 0;
      const top = next * ROW_HEIGHT;
      if (top < view.scrollTop) view.scrollTop = top;
      else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight - head) view.scrollTop = top + ROW_HEIGHT - view.clientHeight + head;
    }
  };

  /** Arrows or j/k move a row, Page Up/Down a screen, Home/End to the ends; Enter or Space opens the row. */
  const onKey = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const screen = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: screen, PageUp: -screen };
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key in moves) move(cursor + moves[event.key]!);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(total - 1);
    else if (event.key === 'Enter' || event.key === ' ') open(cursor);
    else return;
    event.preventDefault();
  };

  const filtered = Object.keys(filter).length > 0;
  const top = virtual[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (virtual.at(-1)?.end ?? 0);

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
          <div ref={scroller} className="queue-scroll" data-testid="queue-scroll" hidden={state.total === 0}>
            <table className="table table-selectable queue-table" aria-label="Divergence queue" aria-rowcount={total + 1}>
              <colgroup>
                <col className="col-subject" />
                <col className="col-class" />
                <col className="col-score" />
                <col className="col-cause" />
                <col className="col-meshes" />
                <col className="col-opened" />
                <col className="col-state" />
              </colgroup>
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id} aria-rowindex={1}>
                    {group.headers.map((header) => (
                      <SortableHeaderCell key={header.id} header={header} testIdPrefix="queue-sort-" />
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody onKeyDown={onKey}>
                {top > 0 && <tr aria-hidden="true" className="queue-spacer" style={{ height: top }} />}
                {table.getRowModel().rows.map((row) => {
                  const { index, item } = row.original;
                  return (
                    <tr
                      key={item?.id ?? `pending-${index}`}
                      data-index={index}
                      data-testid="queue-row"
                      data-item={item?.id}
                      aria-rowindex={index + 2}
                      aria-selected={item !== undefined && item.id === selected}
                      tabIndex={index === Math.min(cursor, total - 1) ? 0 : -1}
                      onClick={() => open(index)}
                      onFocus={() => index !== cursor && setCursor(index)}
                    >
                      {row.getVisibleCells().map((cell) => (
                        <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                      ))}
                    </tr>
                  );
                })}
                {bottom > 0 && <tr aria-hidden="true" className="queue-spacer" style={{ height: bottom }} />}
              </tbody>
            </table>
          </div>
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
