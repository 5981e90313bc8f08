/** The lineage view with nothing chosen yet: the newest observations to start from, or an id pasted in. */
import { useState } from 'react';
import { navigate } from '../../app/route.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { utc } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';

export function LineagePicker({ view = 'lineage' }: { view?: 'lineage' | 'provenance' }) {
  const recent = useContract('listObservations', { limit: 25 }, { refreshOn: ['observationsAdmitted'] });
  const [typed, setTyped] = useState('');
  const valid = /^[0-9a-f]{64}$/.test(typed.trim());
  return (
    <section className="card card-wide" data-testid={`${view}-picker`}>
      <h2>Start from an observation</h2>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) navigate({ view, item: typed.trim() });
        }}
      >
        <label className="inline-field">
          Observation id <input className="mono id-input" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="64 hex digits" aria-invalid={typed !== '' && !valid} />
        </label>
        <button type="submit" disabled={!valid}>Open</button>
      </form>
      {recent.error && <RefusalBanner error={recent.error} />}
      {recent.data && recent.data.observations.length === 0 && <p className="empty">No observation is held yet.</p>}
      <ul className="sources">
        {recent.data?.observations.map((o) => (
          <li key={o.id}>
            <a href={`#/${view}/${o.id}`} className="mono">{o.subject}</a> <span className="muted">{o.class} · {o.mesh}{o.foreign ? ' (foreign)' : ''}{o.derived ? ' · derived' : ''} · {utc(o.observedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
