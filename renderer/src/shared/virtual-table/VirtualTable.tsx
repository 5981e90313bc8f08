/**
 * A long table drawn a screen at a time (issue 16, "Speed": 100,000 rows, frames under 16 ms while
 * scrolling): the divergence queue and the observations table. Every row is one height, so the
 * virtualizer knows where row 90,000 is without drawing the rest; the rows drawn are placed with
 * a transform inside one body of the full height (no spacer rows for the browser to lay out
 * again on every frame), the scroller is `contain: strict`, and a row re-renders only when its
 * data, selection or focus changes. The keyboard drives it: arrows or j/k move, Page Up/Down a
 * screen, Home/End the ends, Enter or Space opens (WAI-ARIA APG, grid navigation).
 */
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type OnChangeFn, type Row, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { SortableHeaderCell } from '../SortableHeaderCell.js';
import './virtual-table.css';

export interface VirtualTableProps<T> {
  /** The table's accessible name. */
  readonly label: string;
  /** Cells read `row.original`, always a loaded row: rows still on their way are drawn by the table itself. */
  // The column helper's accessors are typed per value; react-table's own examples hold them as `any` here too.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly columns: ColumnDef<T, any>[];
  /** The CSS grid track of each column, in order ("16% 7% …"): header and rows share it. */
  readonly tracks: readonly string[];
  readonly rowHeight: number;
  /** How many rows the whole list holds (the core's total). */
  readonly count: number;
  /** The row at an index, if its page is in. */
  readonly rowAt: (index: number) => T | undefined;
  readonly rowId: (row: T) => string;
  /** The selected row's id (drawn `aria-selected`). */
  readonly selected: string | null;
  /** The row the keyboard is on (the one in the tab order). */
  readonly cursor: number;
  readonly onCursor: (index: number) => void;
  /** Enter, Space or a click on a row. */
  readonly onOpen: (index: number, row: T | undefined) => void;
  /** The rows drawn changed (the pages to load). */
  readonly onRange: (first: number, last: number) => void;
  readonly sorting: SortingState;
  readonly onSortingChange: OnChangeFn<SortingState>;
  readonly testIds: { readonly scroll: string; readonly row: string; readonly sortPrefix: string };
  readonly hidden?: boolean;
  readonly className?: string;
}

/** Rows drawn beyond each edge of the screen: enough for a flick's next frame, few enough to draw in a frame. */
const OVERSCAN = 8;

export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { columns, count, rowAt, rowHeight, cursor, onCursor, onOpen, onRange, rowId, selected, testIds } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // The console is not built with the React Compiler, which is what this rule protects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: OVERSCAN, useFlushSync: false });
  const virtual = virtualizer.getVirtualItems();
  const first = virtual[0]?.index ?? 0;
  const last = virtual.at(-1)?.index ?? 0;
  /** Set by a key that moved the cursor: the row is focused once it is drawn. */
  const focusPending = useRef(false);

  useEffect(() => onRange(first, Math.max(first, last)), [onRange, first, last, count]);

  useEffect(() => {
    if (!focusPending.current) return;
    const row = scroller.current?.querySelector<HTMLElement>(`tr[data-index="${cursor}"]`);
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  // The loaded rows drawn: react-table makes their cells; a row still on its way draws placeholders.
  const loaded: T[] = [];
  for (const item of virtual) {
    const row = rowAt(item.index);
    if (row !== undefined) loaded.push(row);
  }
  const table = useReactTable({
    data: loaded,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
    // Nothing to reset: the core pages and sorts. (Left on, a new window of rows would reset state, render, and reset again.)
    autoResetAll: false,
    // The core sorts, across every row, not just those drawn.
    manualSorting: true,
    state: { sorting: props.sorting },
    onSortingChange: props.onSortingChange,
  });
  const rowsById = new Map(table.getRowModel().rows.map((row) => [row.id, row]));

  const move = (to: number) => {
    const next = Math.max(0, Math.min(count - 1, to));
    onCursor(next);
    focusPending.current = true;
    // Rows are one height, so the row's place is known: scroll just enough to show it (below the sticky header).
    const view = scroller.current;
    if (view) {
      const head = view.querySelector('thead')?.clientHeight ?? 0;
      const top = next * rowHeight;
      if (top < view.scrollTop) view.scrollTop = top;
      else if (top + rowHeight > view.scrollTop + view.clientHeight - head) view.scrollTop = top + rowHeight - view.clientHeight + head;
    }
  };

  const onKey = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const screen = Math.max(1, Math.floor((scroller.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: screen, PageUp: -screen };
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key in moves) move(cursor + moves[event.key]!);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(count - 1);
    else if (event.key === 'Enter' || event.key === ' ') onOpen(cursor, rowAt(cursor));
    else return;
    event.preventDefault();
  };

  const focusable = Math.min(cursor, count - 1);
  const style = { '--vtable-tracks': props.tracks.join(' '), '--vtable-row': `${rowHeight}px` } as CSSProperties;
  return (
    <div ref={scroller} className={`vtable-scroll ${props.className ?? ''}`} data-testid={testIds.scroll} hidden={props.hidden}>
      <table className="table table-selectable vtable" aria-label={props.label} aria-rowcount={count + 1} style={style}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <SortableHeaderCell key={header.id} header={header} testIdPrefix={testIds.sortPrefix} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody onKeyDown={onKey} style={{ height: virtualizer.getTotalSize() }}>
          {virtual.map(({ index, start }) => {
            const item = rowAt(index);
            const id = item === undefined ? undefined : rowId(item);
            return (
              <VirtualRow
                key={index}
                index={index}
                start={start}
                id={id}
                row={id === undefined ? undefined : rowsById.get(id)}
                item={item}
                columns={columns}
                width={columns.length}
                selected={id !== undefined && id === selected}
                focusable={index === focusable}
                testId={testIds.row}
                onOpen={onOpen}
                onCursor={onCursor}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface VirtualRowProps<T> {
  readonly index: number;
  readonly start: number;
  readonly id: string | undefined;
  readonly row: Row<T> | undefined;
  readonly item: T | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly columns: ColumnDef<T, any>[];
  readonly width: number;
  readonly selected: boolean;
  readonly focusable: boolean;
  readonly testId: string;
  readonly onOpen: (index: number, row: T | undefined) => void;
  readonly onCursor: (index: number) => void;
}

function VirtualRowBody<T>({ index, start, id, row, item, width, selected, focusable, testId, onOpen, onCursor }: VirtualRowProps<T>) {
  return (
    <tr
      data-index={index}
      data-testid={testId}
      data-item={id}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onOpen(index, item)}
      onFocus={() => {
        if (!focusable) onCursor(index);
      }}
    >
      {row
        ? row.getVisibleCells().map((cell) => <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>)
        : Array.from({ length: width }, (_, n) => (
            <td key={n} className="muted">
              {n === 0 ? '…' : ''}
            </td>
          ))}
    </tr>
  );
}

/**
 * A row's cells depend on its data and the columns alone: react-table's row object is new on
 * every window of rows and is not compared, so a row scrolled past is not drawn again.
 */
const VirtualRow = memo(VirtualRowBody, (a, b) =>
  a.item === b.item &&
  a.start === b.start &&
  a.columns === b.columns &&
  a.selected === b.selected &&
  a.focusable === b.focusable &&
  a.onOpen === b.onOpen &&
  a.onCursor === b.onCursor &&
  (a.row === undefined) === (b.row === undefined),
) as typeof VirtualRowBody;
