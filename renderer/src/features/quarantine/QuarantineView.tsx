/**
 * What waits in quarantine for an operator (docs/decisions/0005-crossing.md): each item's origin,
 * the partner that carried it, the terms with no mapping here, and the decision once taken.
 * Releasing or rejecting signs with the operator's key (DecisionDialog); the recorded log
 * entry is shown once the core has written it.
 */
import { useState } from 'react';
import { DecisionDialog, type Decided } from './DecisionDialog.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { instant, plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { Marking } from '../../shared/classification/Marking.js';

export function QuarantineView() {
  const [all, setAll] = useState(false);
  const { data, error } = useContract('listQuarantine', { all, limit: 500 }, { refreshOn: ['crossingChanged'] });
  const items = data?.items ?? [];
  const [deciding, setDeciding] = useState<{ item: (typeof items)[number]; outcome: 'release' | 'reject' } | null>(null);
  const [recorded, setRecorded] = useState<Decided | null>(null);
  return (
    <section className="card card-wide" aria-labelledby="quarantine-heading" data-testid="quarantine">
      <div className="card-title-row">
        <h2 id="quarantine-heading">Held for a decision</h2>
        <label className="inline-check">
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} /> show decided items too
        </label>
      </div>
      {error && <RefusalBanner error={error} />}
      {recorded && <RecordedDecision decided={recorded} onDismiss={() => setRecorded(null)} />}
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
                <td>
                  {item.decision ? (
                    `${item.decision.outcome} by ${item.decision.by}: ${item.decision.reason}`
                  ) : (
                    <div className="toolbar toolbar-view">
                      <span className="badge badge-warn">waiting</span>
                      <button type="button" className="primary" onClick={() => setDeciding({ item, outcome: 'release' })} data-testid="quarantine-release" aria-label={`Release ${item.subject}`}>Release…</button>
                      <button type="button" className="danger" onClick={() => setDeciding({ item, outcome: 'reject' })} data-testid="quarantine-reject" aria-label={`Reject ${item.subject}`}>Reject…</button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deciding && <DecisionDialog item={deciding.item} outcome={deciding.outcome} onDecided={setRecorded} onClose={() => setDeciding(null)} />}
    </section>
  );
}

/** The decision as the log recorded it: its entry, who signed, the reasons and the statement. */
function RecordedDecision({ decided, onDismiss }: { decided: Decided; onDismiss: () => void }) {
  const { item, entry } = decided;
  return (
    <div className="banner banner-info" role="status" data-testid="quarantine-recorded">
      <strong>{item.decision?.outcome === 'released' ? 'Released' : 'Rejected'}</strong> {item.class} {item.subject}
      {entry ? (
        <dl className="facts small">
          <dt>Log entry</dt>
          <dd className="mono" data-testid="recorded-entry">#{entry.seq} {entry.type}</dd>
          <dt>Signed by</dt>
          <dd>{entry.who.role} {entry.who.id} <span className="muted mono">{entry.who.certificate.slice(0, 16)}…</span></dd>
          <dt>Reasons</dt>
          <dd>{entry.why.reasons.map((r) => <span key={r} className="mono reason">{r}</span>)} {entry.why.text}</dd>
          <dt>Entry id</dt>
          <dd className="mono">{entry.id}</dd>
        </dl>
      ) : (
        <p className="muted">The decision was recorded; its log entry is in the audit log.</p>
      )}
      <button type="button" className="link" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
