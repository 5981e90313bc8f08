/**
 * The observations filter: subject by prefix, class, mesh, and a window of observation time
 * (UTC). Applied as the officer types (the core answers from its indices); Clear resets all.
 */
import type { ObservationFilter } from './observations-store.js';

/** A datetime-local value read as UTC ("2026-11-23T08:00" → "2026-11-23T08:00:00.000Z"), or nothing when incomplete. */
export function utcFrom(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const t = new Date(`${value}:00Z`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

const inputValue = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');

export function ObservationFilters({ filter, onChange }: { filter: ObservationFilter; onChange: (filter: ObservationFilter) => void }) {
  const set = (key: keyof ObservationFilter, value: string | undefined) => onChange({ ...filter, [key]: value === '' ? undefined : value });
  return (
    <form className="filters" role="search" aria-label="Filter observations" onSubmit={(event) => event.preventDefault()}>
      <label>
        Subject starts with
        <input value={filter.subjectPrefix ?? ''} onChange={(e) => set('subjectPrefix', e.target.value)} placeholder="track:47" data-testid="filter-subject" />
      </label>
      <label>
        Class
        <input value={filter.class ?? ''} onChange={(e) => set('class', e.target.value)} placeholder="track" size={10} data-testid="filter-class" />
      </label>
      <label>
        Mesh
        <input value={filter.mesh ?? ''} onChange={(e) => set('mesh', e.target.value.toUpperCase())} placeholder="DEU" size={5} data-testid="filter-mesh" />
      </label>
      <label>
        Observed from (UTC)
        <input type="datetime-local" value={inputValue(filter.observedFrom)} onChange={(e) => set('observedFrom', utcFrom(e.target.value))} data-testid="filter-from" />
      </label>
      <label>
        before (UTC)
        <input type="datetime-local" value={inputValue(filter.observedBefore)} onChange={(e) => set('observedBefore', utcFrom(e.target.value))} data-testid="filter-before" />
      </label>
      <button type="button" onClick={() => onChange({})} disabled={Object.values(filter).every((v) => v === undefined)}>
        Clear
      </button>
    </form>
  );
}
