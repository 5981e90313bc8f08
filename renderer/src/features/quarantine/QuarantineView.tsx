/**
 * What waits in quarantine for an operator (docs/decisions/0005-crossing.md): each item's origin,
 * the partner that carried it, the terms with no mapping here, and the decision once taken.
 * Deciding stays with `entente quarantine release|reject` until the console can sign decisions.
 */
import { useState } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { instant, plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { Marking } from '../../shared/classification/Marking.js';

export function QuarantineView() {
  const [all, setAll] = useState(false);
  const { data, error } = useContract('listQuarantine', { all, limit: 500 }, { refreshOn: ['crossingChanged'] });
  const items = data?.items ?? [];
  return (
    <section className="card card-wide" aria-labelledby="quarantine-heading" data-testid="quarantine">
      <div className="card-title-row">
        <h2 id="quarantine-heading">Held for a decision</h2>
        <label className="inline-check">
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} /> show decided items too
        </label>
      </div>
      {error && <RefusalBanner error={error} />}
      {data && <p className="muted" data-testid="quarantine-open">{plural(data.open, 'item')} waiting</p>}
      {data && items.length === 0 && <p className="empty">Nothing is held. Items arrive here when a partner's label or term has no mapping in this mesh.</p>}
      {items.length > 0 && (
        <table className="table" aria-label="Quarantine">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Class</th>
              <th scope="col">From</th>
              <th scope="col">Classification (originator's)</th>
              <th scope="col">Why held</th>
              <th scope="col">Held</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="quarantine-item">
                <td className="mono">{item.subject}</td>
                <td>{item.class}</td>
                <td>
                  {item.origin}
                  {item.partner !== item.origin && <span className="muted"> via {item.partner}</span>}
                  <div className="muted mono">{item.federation}</div>
                </td>
                <td><Marking text={item.classification} /></td>
                <td>
                  <span className="mono reason">{item.reason}</span>
                  {item.missing.map((m) => (
                    <div key={`${m.vocabulary} ${m.term}`} className="muted">no mapping for “{m.term}” ({m.vocabulary})</div>
                  ))}
                </td>
                <td className="nowrap">{instant(item.heldAt)}</td>
                <td>{item.decision ? `${item.decision.outcome} by ${item.decision.by}: ${item.decision.reason}` : <span className="badge badge-warn">waiting</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
