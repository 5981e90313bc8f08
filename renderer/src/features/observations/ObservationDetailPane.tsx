/** One observation: who said it, under which label, and the lineage it was derived from. */
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useObservationDetail } from './observation-queries.js';
import { useObservationsStore } from './observations-store.js';
import { instant } from '../../shared/format.js';
import { Payload } from './Payload.js';
import { VerificationBadge } from './VerificationBadge.js';
import { Marking } from '../../shared/classification/Marking.js';
import { AppSymbol } from '../../shared/symbols/AppSymbol.js';

export function ObservationDetailPane() {
  const { selectedId, select } = useObservationsStore();
  const { data: detail, error: detailError } = useObservationDetail(selectedId);
  if (!selectedId) {
    return (
      <aside className="split-side empty" data-testid="observation-detail">
        Select an observation to see its lineage.
      </aside>
    );
  }
  if (detailError) {
    return (
      <aside className="split-side" data-testid="observation-detail">
        <RefusalBanner error={detailError} />
      </aside>
    );
  }
  if (!detail) return <aside className="split-side muted" data-testid="observation-detail">Loading…</aside>;

  const { summary, lineage } = detail;
  const payload = (detail.record as { payload?: unknown } | null)?.payload;
  return (
    <aside className="split-side" data-testid="observation-detail" aria-label="Observation detail">
      <dl className="facts">
        <dt>Symbol</dt>
        <dd><AppSymbol sidc={summary.sidc} cls={summary.class} size={40} /></dd>
        <dt>Id</dt>
        <dd className="mono">{summary.id}</dd>
        <dt>Subject</dt>
        <dd className="mono">{summary.subject}</dd>
        <dt>Label</dt>
        <Marking as="dd" text={summary.marking} />
        <dt>Mesh</dt>
        <dd>{summary.mesh}{summary.foreign && <span className="badge badge-type"> foreign</span>}</dd>
        <dt>Observed</dt>
        <dd>{instant(summary.observedAt, true)} <span className="muted">{summary.timeReference === 'mesh-derived' ? 'mesh-derived time' : summary.timeReference === 'local' ? 'device clock' : summary.timeReference === 'global' ? 'global time' : ''}</span></dd>
        <dt>Verification</dt>
        <dd>
          <VerificationBadge verification={summary.verification} />
          {summary.verification.message && <div className="muted">{summary.verification.message}</div>}
        </dd>
      </dl>
      <h3>Observed</h3>
      <Payload payload={payload} />
      <h3>Lineage</h3>
      <dl className="facts" data-testid="lineage">
        <dt>Contributing device</dt>
        <dd className="mono">{lineage.device}</dd>
        <dt>Derivation</dt>
        <dd>{lineage.derivation ? `${lineage.derivation.name} ${lineage.derivation.version}` : 'original observation'}</dd>
        <dt>Integrity</dt>
        <dd>{lineage.integrity === 'batch' ? 'batch signature with inclusion proof' : 'device signature'}</dd>
        <dt>Sources</dt>
        <dd>
          {lineage.sources.length === 0 && 'none'}
          <ul className="sources">
            {lineage.sources.map((source) => (
              <li key={source.id} data-testid="lineage-source">
                {source.resolved ? (
                  <button type="button" className="link mono" onClick={() => select(source.id)}>
                    {source.id.slice(0, 16)}… {source.subject} ({source.class})
                  </button>
                ) : (
                  <span className="mono unresolved" title="This store does not hold the source.">
                    {source.id.slice(0, 16)}… unresolved
                  </span>
                )}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </aside>
  );
}
