/**
 * The joint picture (docs/decisions/0007, "Joint picture"): per subject, the state that prevails
 * after arbitration, each field with the observation and mesh that supplied it. The digest at the
 * top is the one partners compare: meshes holding the same signed observations and decisions
 * show the same digest, with no referee. The core filters and pages (getPicture); the table loads
 * the pages it shows as the officer scrolls, the keyboard drives it, and the subject opened stays
 * beside it.
 */
import { createColumnHelper } from '@tanstack/react-table';
import { memo, useCallback, useMemo } from 'react';
import { callCore } from '../../shared/call.js';
import { ReportedMarkings } from '../../shared/classification/Marking.js';
import { formatCount, plural } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { usePagedRows } from '../../shared/virtual-table/use-paged-rows.js';
import { VirtualTable } from '../../shared/virtual-table/VirtualTable.js';
import { markingsOf, PICTURE_EVENTS, PicturePages, suppliersOf, type PictureRow } from './picture-pages.js';
import { queryOf, usePictureStore, type PictureFilter } from './picture-store.js';
import { PictureSubjectPane } from './PictureSubjectPane.js';
import './picture.css';

export const ROW_HEIGHT = 38;

/** The columns' widths, in order: subject, state, divergence, fields, supplied by, digest. */
const TRACKS = ['22%', '11%', '12%', '25%', '12%', '18%'];

const SubjectPane = memo(PictureSubjectPane);

const rowIdOf = (row: PictureRow) => row.subject;

const column = createColumnHelper<PictureRow>();
const COLUMNS = [
  column.accessor('subject', {
    header: 'Subject',
    enableSorting: false,
    cell: (c) => (
      <>
        {/* The row shows values under their suppliers' labels: the banner rises to them while it is on screen. */}
        <ReportedMarkings markings={markingsOf(c.row.original)} />
        <span className="mono">{c.getValue()}</span>
      </>
    ),
  }),
  column.accessor('state', { header: 'State', enableSorting: false, cell: (c) => <span className={`badge picture-state-${c.getValue()}`}>{c.getValue()}</span> }),
  column.accessor('divergence', { header: 'Diverged', enableSorting: false, cell: (c) => <span className="num">{c.getValue() > 0 ? c.getValue().toFixed(3) : '—'}</span> }),
  column.accessor((row) => row.fields.map((f) => f.field).join(', '), { id: 'fields', header: 'Fields', enableSorting: false, cell: (c) => <span className="picture-fields">{c.getValue() || <span className="muted">none merged</span>}</span> }),
  column.accessor((row) => suppliersOf(row).join(' · '), { id: 'suppliers', header: 'Supplied by', enableSorting: false }),
  column.accessor('digest', { header: 'Subject digest', enableSorting: false, cell: (c) => <span className="mono muted" title={c.getValue()}>{c.getValue().slice(0, 12)}…</span> }),
];

const NO_SORTING: never[] = [];
const ignoreSorting = () => {};

export function PictureView() {
  const { filter, setFilter, cursor, setCursor, selected, select } = usePictureStore();
  const query = useMemo(() => queryOf(filter), [filter]);
  const queryKey = JSON.stringify(query);
  // One loader per filter: a new one starts from the first page.
  const pages = useMemo(() => new PicturePages((args) => callCore('getPicture', args), JSON.parse(queryKey) as typeof query), [queryKey]);
  const { state, onRange } = usePagedRows(pages, PICTURE_EVENTS);
  const total = state.total ?? 0;
  const filtered = Object.keys(query).length > 0;

  const open = useCallback(
    (index: number, row: PictureRow | undefined) => {
      setCursor(index);
      if (row) select(row.subject);
    },
    [setCursor, select],
  );

  return (
    <div className="stack">
      <PictureSummary state={state} />
      <section className="card card-wide" aria-labelledby="picture-heading" data-testid="picture">
        <div className="card-title-row">
          <h2 id="picture-heading">Subjects</h2>
          <span className="muted" data-testid="picture-total">
            {state.total === null ? 'Loading…' : filtered ? `${formatCount(total)} of ${formatCount(state.subjects)} match` : plural(total, 'subject')}
          </span>
        </div>
        <PictureFilters filter={filter} onChange={setFilter} />
        {state.error && <RefusalBanner error={state.error} />}
        {state.total === 0 && !filtered && (
          <p className="empty" data-testid="picture-empty">
            The picture is empty: no observation is held yet. Each one admitted, made here or crossed from a partner, joins it under the arbitration the federation declared.
          </p>
        )}
        {state.total === 0 && filtered && <p className="empty">No subject matches this filter.</p>}
        <div className="split picture-split">
          <div className="split-main">
            <VirtualTable
              label="Joint picture subjects"
              columns={COLUMNS}
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
              sorting={NO_SORTING}
              onSortingChange={ignoreSorting}
              testIds={{ scroll: 'picture-scroll', row: 'picture-row', sortPrefix: 'picture-sort-' }}
              hidden={state.total === 0}
              className="picture-scroll"
            />
            <p className="muted small picture-keys">
              In subject order · <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> opens the subject
            </p>
          </div>
          {/* Keyed by the subject: another one starts from "Loading…", never from the last one's fields. */}
          <SubjectPane key={selected ?? 'none'} subject={selected} />
        </div>
      </section>
    </div>
  );
}

/** The whole picture's digest and counts, whatever the filter: what the officer reads out to a partner. */
function PictureSummary({ state }: { state: ReturnType<PicturePages['getState']> }) {
  return (
    <section className="card card-wide" aria-labelledby="picture-summary-heading" data-testid="picture-summary">
      <h2 id="picture-summary-heading">Joint picture</h2>
      <dl className="facts">
        <dt>Digest</dt>
        <dd>
          <span className="mono picture-digest" data-testid="picture-digest">{state.digest ?? '…'}</span>
          <div className="muted small">Partners holding the same signed observations and decisions show this same digest: compare it to see that the meshes agree.</div>
        </dd>
        <dt>Subjects</dt>
        <dd data-testid="picture-counts">
          {plural(state.subjects, 'subject')} · {formatCount(state.held)} held for a person · {plural(state.queueOpen, 'queue item')} open
        </dd>
      </dl>
      {state.pending > 0 && (
        <p className="picture-pending" data-testid="picture-pending">
          {plural(state.pending, 'subject')} wait for a bundle import to bring them up to date: an import under way, or the next one after an import that was stopped. The digest counts them as they were.
        </p>
      )}
    </section>
  );
}

const STATES = [
  ['', 'Any state'],
  ['merged', 'Merged'],
  ['held', 'Held for a person'],
] as const;

function PictureFilters({ filter, onChange }: { filter: PictureFilter; onChange: (filter: PictureFilter) => void }) {
  const set = (patch: Partial<PictureFilter>) => onChange(Object.fromEntries(Object.entries({ ...filter, ...patch }).filter(([, v]) => v !== undefined && v !== '')) as PictureFilter);
  return (
    <form className="filters" role="search" aria-label="Filter the picture" onSubmit={(event) => event.preventDefault()}>
      <label>
        Subject starts with
        <input value={filter.subjectPrefix ?? ''} onChange={(e) => set({ subjectPrefix: e.target.value })} placeholder="track:" size={16} maxLength={256} data-testid="picture-filter-subject" />
      </label>
      <label>
        State
        <select value={filter.state ?? ''} onChange={(e) => set({ state: (e.target.value || undefined) as PictureFilter['state'] })} data-testid="picture-filter-state">
          {STATES.map(([value, words]) => (
            <option key={value} value={value}>{words}</option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => onChange({})} disabled={Object.keys(filter).length === 0}>
        Clear
      </button>
    </form>
  );
}
