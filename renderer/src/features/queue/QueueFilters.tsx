/** The queue's filter: state, cause estimate, a mesh involved, subject by prefix, and a search of subjects, reasons and ids. */
import { CAUSE_WORDS, STATUS_WORDS, type QueueFilter } from './queue-store.js';

/** The state select's choices: the working queue (open and escalated) by default. */
const STATES = [['', 'Open and escalated'], ...Object.entries(STATUS_WORDS).map(([value, words]) => [value, words[0]!.toUpperCase() + words.slice(1)]), ['all', 'All states']] as const;

export function QueueFilters({ filter, onChange }: { filter: QueueFilter; onChange: (filter: QueueFilter) => void }) {
  const set = (patch: Partial<QueueFilter>) => onChange(Object.fromEntries(Object.entries({ ...filter, ...patch }).filter(([, v]) => v !== undefined && v !== '')) as QueueFilter);
  const state = filter.status ?? (filter.all ? 'all' : '');
  return (
    <form className="filters" role="search" aria-label="Filter the queue" onSubmit={(event) => event.preventDefault()}>
      <label>
        State
        <select value={state} onChange={(e) => set(e.target.value === 'all' ? { status: undefined, all: true } : { status: (e.target.value || undefined) as QueueFilter['status'], all: undefined })} data-testid="queue-filter-state">
          {STATES.map(([value, words]) => (
            <option key={value} value={value}>{words}</option>
          ))}
        </select>
      </label>
      <label>
        Cause estimate
        <select value={filter.cause ?? ''} onChange={(e) => set({ cause: (e.target.value || undefined) as QueueFilter['cause'] })} data-testid="queue-filter-cause">
          <option value="">Any cause</option>
          {Object.entries(CAUSE_WORDS).map(([value, words]) => (
            <option key={value} value={value}>{words}</option>
          ))}
        </select>
      </label>
      <label>
        Mesh involved
        <input value={filter.mesh ?? ''} onChange={(e) => set({ mesh: e.target.value.toUpperCase() })} placeholder="NLD" size={5} data-testid="queue-filter-mesh" />
      </label>
      <label>
        Subject starts with
        <input value={filter.subjectPrefix ?? ''} onChange={(e) => set({ subjectPrefix: e.target.value })} placeholder="ship:" size={14} data-testid="queue-filter-subject" />
      </label>
      <label>
        Search
        <input type="search" value={filter.search ?? ''} onChange={(e) => set({ search: e.target.value })} placeholder="subject, reason or item id" size={22} data-testid="queue-search" />
      </label>
      <button type="button" onClick={() => onChange({})} disabled={Object.keys(filter).length === 0}>
        Clear
      </button>
    </form>
  );
}
