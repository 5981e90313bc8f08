/**
 * A column header of a react-table table: a button that cycles the column's sort where the
 * column sorts, its state told to assistive technology by `aria-sort` and shown by an arrow.
 */
import { flexRender, type Header } from '@tanstack/react-table';

export function SortableHeaderCell<Row>({ header, testIdPrefix }: { header: Header<Row, unknown>; testIdPrefix: string }) {
  const sorted = header.column.getIsSorted();
  return (
    <th scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
      {header.column.getCanSort() ? (
        <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()} data-testid={`${testIdPrefix}${header.id}`}>
          {flexRender(header.column.columnDef.header, header.getContext())} <span aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
        </button>
      ) : (
        flexRender(header.column.columnDef.header, header.getContext())
      )}
    </th>
  );
}
