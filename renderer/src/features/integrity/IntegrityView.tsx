/**
 * The integrity events this mesh recorded (docs/decisions/0005-crossing.md): what the boundary
 * refused or flagged, in words, with the partner, federation and the evidence as recorded, and
 * the log entry that holds it. Filtered by kind and partner by the core; newest first.
 */
import { Fragment, useState } from 'react';
import { INTEGRITY_EVENT_KINDS } from '../../../../core/boundary/integrity-kinds.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { formatCount, instant } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { integrityInWords } from './integrity-words.js';

export function IntegrityView() {
  const [kind, setKind] = useState('');
  const [partner, setPartner] = useState('');
  const validPartner = /^[A-Z]{3}$/.test(partner) ? partner : undefined;
  const { data, error } = useContract('listIntegrityEvents', { limit: 200, ...(kind ? { kind } : {}), ...(validPartner ? { partner: validPartner } : {}) }, { refreshOn: ['crossingChanged', 'linksChanged', 'auditAppended'] });
  const events = data?.events ?? [];
  return (
    <section className="card card-wide" aria-labelledby="integrity-heading" data-testid="integrity">
      <h2 id="integrity-heading">Recorded integrity events</h2>
      <div className="filters" role="search" aria-label="Filter integrity events">
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value)} data-testid="integrity-kind">
            <option value="">any kind</option>
            {INTEGRITY_EVENT_KINDS.map((k) => (
              <option key={k} value={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Partner
          <input value={partner} onChange={(event) => setPartner(event.target.value.toUpperCase())} placeholder="NLD" maxLength={3} size={5} aria-describedby="integrity-partner-help" />
        </label>
        <span id="integrity-partner-help" className="field-help">a three-letter mesh code</span>
      </div>
      {error && <RefusalBanner error={error} />}
      {data && <p className="muted" data-testid="integrity-total">{formatCount(data.total)} {data.total === 1 ? 'event' : 'events'}</p>}
      {data && events.length === 0 && (
        <p className="empty">No integrity event is recorded{kind || validPartner ? ' for this filter' : ''}. The boundary records one whenever it refuses or flags what a partner sent.</p>
      )}
      {events.length > 0 && (
        <table className="table" aria-label="Integrity events">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What happened</th>
              <th scope="col">Partner</th>
              <th scope="col">Evidence</th>
              <th scope="col" className="num">Log entry</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id} data-testid="integrity-event" data-kind={event.kind}>
                <td className="nowrap">{instant(event.at)}</td>
                <td>
                  <div>{integrityInWords(event.kind)}</div>
                  <span className="mono reason">{event.kind}</span>
                  <div className="muted small">{event.message}</div>
                </td>
                <td>
                  {event.partner ?? <span className="muted">none</span>}
                  {event.federation && <div className="muted mono small">{event.federation}</div>}
                </td>
                <td>
                  <Evidence evidence={event.evidence} />
                </td>
                <td className="num mono">#{formatCount(event.logSeq)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The evidence as recorded: its fields by name, values as written (ids stay whole, for copying). */
function Evidence({ evidence }: { evidence: unknown }) {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) return <span className="mono small">{JSON.stringify(evidence)}</span>;
  const entries = Object.entries(evidence as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">none recorded</span>;
  return (
    <dl className="payload small" data-testid="integrity-evidence">
      {entries.map(([key, value]) => (
        <Fragment key={key}>
          <dt>{key}</dt>
          <dd className="evidence-value">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
