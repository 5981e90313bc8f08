/**
 * The log's state above its timeline: the last signed checkpoint, and whether the log verified
 * (recomputed when the officer asks, with a progress bar and a cancel) or the failures by name.
 */
import type { MethodResult } from '../../../../core/api/index.js';
import { useLongOperation } from '../../shared/long-operation.js';
import { OperationProgress } from '../../shared/OperationProgress.js';
import { useContract } from '../../shared/use-contract.js';
import { AUDIT_EVENTS } from './audit-filter.js';
import { short, when } from './format.js';

export function useAuditLogState() {
  return useContract('getAuditLogState', {}, { refreshOn: AUDIT_EVENTS });
}

/** The view loads the state (its entry count heads the card) and passes it down rather than asking twice. */
export function AuditLogState({ state }: { state: MethodResult<'getAuditLogState'> | null }) {
  // Verification recomputes the whole log: asked for by the officer, never on its own.
  const verification = useLongOperation('verifyAuditLog');
  const verifying = verification.state.phase === 'running';
  const shown = (verification.state.phase === 'done' ? verification.state.result : null) ?? state?.verification ?? null;

  return (
    <div className="log-state" data-testid="audit-state">
      <div>
        {state?.lastCheckpoint ? (
          <>
            Last checkpoint: size {state.lastCheckpoint.size}, signed {when(state.lastCheckpoint.time)} UTC, root{' '}
            <span className="mono" title={state.lastCheckpoint.root}>{short(state.lastCheckpoint.root)}</span>
          </>
        ) : (
          'No signed checkpoint yet.'
        )}
      </div>
      <div data-testid="audit-verification" aria-live="polite">
        <OperationProgress state={verification.state} label="Verification progress" testId="audit-verify-progress" onCancel={() => void verification.cancel()} cancelledText="The verification did not finish: nothing is claimed about the log." />
        {!shown && <span className="muted">Not verified in this session.</span>}
        {shown?.ok && (
          <span className="badge badge-ok">
            verified: {shown.entries} entries, {shown.checkpoints} checkpoints at {when(shown.verifiedAt)}
          </span>
        )}
        {shown && !shown.ok && (
          <div role="alert">
            <span className="badge badge-bad">does not verify: {shown.failures.length} failure(s)</span>
            <ul className="failures">
              {shown.failures.map((f, i) => (
                <li key={i} data-testid="audit-failure">
                  {/* Each message names its entry itself ("Entry 2 does not hash …"). */}
                  <span className="mono">{f.reason}</span> {f.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <button type="button" onClick={() => void verification.start({})} disabled={verifying} data-testid="audit-verify">
        {verifying ? 'Verifying…' : 'Verify log'}
      </button>
    </div>
  );
}
