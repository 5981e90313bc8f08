/**
 * One queue item beside the table: the competing histories on one time axis and side by side,
 * the cause estimate and its evidence in words, what the declared policy would choose and why,
 * a small lineage graph of the subject; then the officer's decision (signed in the passphrase
 * dialog) with the log entry it recorded, and a replay under a draft policy.
 */
import { useState } from 'react';
import type { MethodResult } from '../../../../core/api/index.js';
import { formatRoute } from '../../app/route.js';
import { callCore } from '../../shared/call.js';
import { instant } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { useMeshIdentity } from '../mesh/mesh-identity.js';
import { DecideDialog } from './DecideDialog.js';
import { Histories } from './Histories.js';
import { CAUSE_SENTENCES, CAUSE_WORDS } from './queue-store.js';
import { QUEUE_EVENTS } from './queue-pages.js';
import { ReplayPanel } from './ReplayPanel.js';
import { ScoreBar } from './ScoreBar.js';
import { SubjectLineage } from './SubjectLineage.js';
import { TimeAxis } from './TimeAxis.js';

type AuditEntry = MethodResult<'listAuditEntries'>['entries'][number];

export interface Recorded {
  readonly decision: string;
  readonly action: string;
  /** The log's entry for the decision, once found. */
  readonly entry: AuditEntry | null;
}

export function QueueDetailPane({ id, threshold }: { id: string | null; threshold: number | null }) {
  const { data: item, error } = useContract('getQueueItem', id === null ? null : { id }, { refreshOn: QUEUE_EVENTS });
  const own = useMeshIdentity().data?.mesh?.code ?? '';
  const [deciding, setDeciding] = useState(false);
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const [replaying, setReplaying] = useState(false);

  if (!id) return <aside className="split-side empty" data-testid="queue-detail">Select an item (<kbd>Enter</kbd> on a row) to see the competing histories.</aside>;
  if (error && !item) return <aside className="split-side" data-testid="queue-detail"><RefusalBanner error={error} /></aside>;
  if (!item) return <aside className="split-side muted" data-testid="queue-detail">Loading…</aside>;

  const choosable = item.kind === 'divergence' && (item.status === 'open' || item.status === 'escalated');
  const onDecided = async (decision: string, action: string) => {
    setRecorded({ decision, action, entry: null });
    // The decision's own log entry: the `decision` entry whose first id is the decision's observation.
    const log = await callCore('listAuditEntries', { type: 'decision', subject: item.subject, limit: 50 });
    const entry = log.ok ? (log.value.entries.find((e) => e.what.ids[0] === decision) ?? null) : null;
    setRecorded({ decision, action, entry });
  };

  return (
    <aside className="split-side queue-detail" data-testid="queue-detail" aria-label="Queue item detail">
      <div className="card-title-row">
        <h3 className="detail-title mono" data-testid="queue-detail-subject">{item.subject}</h3>
        <span className={`badge queue-status-${item.status}`} data-testid="queue-detail-status">{item.status}</span>
      </div>
      <dl className="facts">
        <dt>Item</dt>
        <dd className="mono small">{item.id}</dd>
        <dt>Divergence</dt>
        <dd>
          <ScoreBar score={item.score} threshold={threshold} /> on {item.fields.join(', ') || '—'}
        </dd>
        <dt>Opened</dt>
        <dd>{instant(item.openedAt, true)}</dd>
        {item.decision && (
          <>
            <dt>Decided by</dt>
            <dd className="mono small" data-testid="queue-detail-decision">{item.decision}</dd>
          </>
        )}
      </dl>

      {recorded && (
        <div className="banner banner-ok" role="status" data-testid="queue-recorded">
          Decision recorded ({recorded.action}): observation <span className="mono">{recorded.decision.slice(0, 16)}…</span>
          {recorded.entry ? (
            <>
              {' '}— log entry <strong data-testid="queue-recorded-seq">#{recorded.entry.seq}</strong>, hash <span className="mono" data-testid="queue-recorded-hash">{recorded.entry.id.slice(0, 16)}…</span>, signed by {recorded.entry.who.mesh}:{recorded.entry.who.id}.{' '}
              <a href={formatRoute({ view: 'audit', item: null })}>See it in the audit log</a>
            </>
          ) : (
            ' — looking up its log entry…'
          )}
        </div>
      )}

      <h3>Competing histories</h3>
      <TimeAxis competing={item.competing.map((c) => ({ id: c.id, mesh: c.mesh ?? '?', statedAt: c.statedAt ?? item.openedAt, derivedTime: c.derivedTime ?? null }))} own={own} />
      <Histories item={item} />

      <h3>Cause estimate</h3>
      <p data-testid="queue-cause">
        <span className={`cause cause-${item.cause}`}>{CAUSE_WORDS[item.cause]}</span> — {CAUSE_SENTENCES[item.cause]}
      </p>
      {item.reasons.length > 0 && (
        <ul className="evidence" data-testid="queue-evidence">
          {item.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}

      <h3>What the declared policy would choose</h3>
      <ul className="evidence" data-testid="queue-policy">
        {Object.entries(item.policyChoice).map(([field, choice]) => {
          const from = item.competing.find((c) => c.id === choice.observation);
          return (
            <li key={field}>
              <strong>{field}</strong>: {from?.mesh ?? ''} <span className="mono">{choice.observation.slice(0, 8)}</span> — <span className="muted">{choice.why}</span>
            </li>
          );
        })}
        {Object.keys(item.policyChoice).length === 0 && <li className="muted">The policy names no choice for this item.</li>}
      </ul>

      <h3>Lineage of the subject</h3>
      <SubjectLineage ids={item.competing.map((c) => c.id)} />

      <div className="toolbar queue-actions">
        <button type="button" className="primary" disabled={!choosable} onClick={() => setDeciding(true)} data-testid="queue-decide" title={choosable ? undefined : `This item is ${item.status}: nothing is left to decide.`}>
          Decide…
        </button>
        <button type="button" onClick={() => setReplaying((v) => !v)} aria-expanded={replaying} data-testid="queue-replay-toggle">
          Replay under a draft policy…
        </button>
      </div>
      {replaying && <ReplayPanel item={item} />}
      {deciding && <DecideDialog item={item} onDecided={onDecided} onClose={() => setDeciding(false)} />}
    </aside>
  );
}
