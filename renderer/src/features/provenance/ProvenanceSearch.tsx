/**
 * The provenance browser's search (issue 16): observations by subject, mesh, class, time window,
 * federation and label — the core's own query (`listObservations`), never a filter of a page in
 * the renderer — each opening its chain across meshes; the result, or the chains ticked, exported
 * after the mission (AfterActionExport).
 */
import { useState } from 'react';
import type { MethodArgs } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { plural, utc } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { Marking } from '../../shared/classification/Marking.js';
import { utcFrom } from '../observations/ObservationFilters.js';
import { AfterActionExport } from './AfterActionExport.js';

type Search = {
  subjectPrefix?: string;
  mesh?: string;
  class?: string;
  from?: string;
  before?: string;
  federation?: string;
  label?: string;
};

const PAGE = 100;
/** The most an after-action export takes (core/app/provenance/after-action-format.ts MAX_SELECTED). */
const MOST_EXPORTED = 1000;

const inputValue = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');

export function ProvenanceSearch() {
  const [search, setSearch] = useState<Search>({});
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const query: MethodArgs<'listObservations'> = {
    ...(search.subjectPrefix ? { subjectPrefix: search.subjectPrefix } : {}),
    ...(search.mesh ? { mesh: search.mesh } : {}),
    ...(search.class ? { class: search.class } : {}),
    ...(search.from ? { observedFrom: search.from } : {}),
    ...(search.before ? { observedBefore: search.before } : {}),
    ...(search.federation ? { federation: search.federation } : {}),
    ...(search.label ? { label: search.label } : {}),
    limit: PAGE,
  };
  const found = useContract('listObservations', query, { refreshOn: ['observationsAdmitted'] });
  const set = (key: keyof Search, value: string | undefined) => {
    setChosen(new Set());
    setSearch((s) => ({ ...s, [key]: value === '' ? undefined : value }));
  };
  const toggle = (id: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const total = found.data?.total ?? 0;
  const criteria = chosen.size > 0 ? { ids: [...chosen] } : search;
  const what = chosen.size > 0 ? plural(chosen.size, 'chosen chain') : `the ${plural(total, 'observation')} the search finds`;

  return (
    <section className="card card-wide" data-testid="provenance-search">
      <h2>Search the provenance</h2>
      <form className="filters" role="search" aria-label="Search observations for their provenance" onSubmit={(event) => event.preventDefault()}>
        <label>
          Subject starts with
          <input value={search.subjectPrefix ?? ''} onChange={(e) => set('subjectPrefix', e.target.value)} placeholder="track:47" data-testid="search-subject" />
        </label>
        <label>
          Mesh
          <input value={search.mesh ?? ''} onChange={(e) => set('mesh', e.target.value.toUpperCase())} placeholder="DEU" size={5} data-testid="search-mesh" />
        </label>
        <label>
          Class
          <input value={search.class ?? ''} onChange={(e) => set('class', e.target.value)} placeholder="track" size={10} data-testid="search-class" />
        </label>
        <label>
          Observed from (UTC)
          <input type="datetime-local" value={inputValue(search.from)} onChange={(e) => set('from', utcFrom(e.target.value))} data-testid="search-from" />
        </label>
        <label>
          before (UTC)
          <input type="datetime-local" value={inputValue(search.before)} onChange={(e) => set('before', utcFrom(e.target.value))} data-testid="search-before" />
        </label>
        <label>
          Federation
          <input value={search.federation ?? ''} onChange={(e) => set('federation', e.target.value)} placeholder="deu-nld-…" size={14} data-testid="search-federation" />
        </label>
        <label>
          Label classification
          <input value={search.label ?? ''} onChange={(e) => set('label', e.target.value)} placeholder="SECRET" size={12} data-testid="search-label" />
        </label>
        <button type="button" onClick={() => { setSearch({}); setChosen(new Set()); }} disabled={Object.values(search).every((v) => v === undefined)}>
          Clear
        </button>
      </form>
      {found.error && <RefusalBanner error={found.error} />}
      <p className="small muted" data-testid="search-count">
        {found.data && `${plural(total, 'observation')} found${total > PAGE ? `, the newest ${PAGE} shown` : ''}.`} Tick chains to export only those.
      </p>
      {found.data && total === 0 && <p className="empty">Nothing matches: widen the search (clear a field, or the time window).</p>}
      <ul className="sources" data-testid="search-results">
        {found.data?.observations.map((o) => (
          <li key={o.id}>
            <label className="inline-field">
              <input type="checkbox" checked={chosen.has(o.id)} onChange={() => toggle(o.id)} aria-label={`Choose the chain of ${o.subject}`} />
            </label>{' '}
            <a href={`#/provenance/${o.id}`} className="mono">{o.subject}</a>{' '}
            <span className="muted">{o.class} · {o.mesh}{o.foreign ? ' (foreign)' : ''}{o.derived ? ' · derived' : ''} · </span><Marking text={o.marking} /> <span className="muted">· {utc(o.observedAt)}</span>
          </li>
        ))}
      </ul>
      <AfterActionExport criteria={criteria} what={what} disabled={total === 0 || (chosen.size === 0 && total > MOST_EXPORTED)} />
      {chosen.size === 0 && total > MOST_EXPORTED && <p className="small muted">An after-action export takes at most {MOST_EXPORTED.toLocaleString('en')} observations: narrow the search.</p>}
    </section>
  );
}
