/**
 * The officer's decision on a queue item (docs/decisions/0007, "A decision"): choose one history,
 * merge field by field, reject, or escalate, with a reason, signed by an enrolled operator's key.
 * The passphrase is asked in the shared dialog for this one signature and never kept.
 */
import { useState } from 'react';
import type { ContractError, MethodArgs } from '../../../../core/api/index.js';
import { callCore } from '../../shared/call.js';
import { useContract } from '../../shared/use-contract.js';
import { PassphraseDialog } from '../federations/PassphraseDialog.js';
import type { QueueItemDetail } from './queue-pages.js';

type Action = MethodArgs<'decideQueueItem'>['action'];

const ACTIONS: readonly [Action, string, string][] = [
  ['choose', 'Choose one history', 'the picture takes every field from the observation chosen'],
  ['merge', 'Merge by field', 'pick, field by field, which observation supplies it'],
  ['reject', 'Reject', 'none of the competing observations is taken for the fields in conflict'],
  ['escalate', 'Escalate', 'pass it up; the item stays in the queue as escalated'],
];

const hasField = (payload: unknown, field: string) => payload !== null && typeof payload === 'object' && !Array.isArray(payload) && Object.hasOwn(payload, field);

export function DecideDialog({ item, onDecided, onClose }: { item: QueueItemDetail; onDecided: (decision: string, action: Action) => void; onClose: () => void }) {
  const operators = useContract('listPrincipals', { role: 'operator' }).data?.principals.filter((p) => p.status === 'active') ?? [];
  const [operator, setOperator] = useState('');
  const [action, setAction] = useState<Action>('choose');
  const [choose, setChoose] = useState(item.policyChoice[item.fields[0] ?? '']?.observation ?? item.competing[0]?.id ?? '');
  const [merge, setMerge] = useState<Record<string, string>>(() => Object.fromEntries(item.fields.map((f) => [f, item.policyChoice[f]?.observation ?? item.competing.find((c) => hasField(c.payload, f))?.id ?? ''])));
  const [reason, setReason] = useState('');
  const who = operator || operators[0]?.id || '';

  const submit = async (passphrase: string | null): Promise<ContractError | null> => {
    // Refused here, before the signature is attempted: the core would refuse the same, with its reason.
    if (reason.trim() === '') return { code: 'refused', reason: 'reason-required', message: 'Give the reason for the decision: it is signed and recorded with it.' };
    if (who === '') return { code: 'refused', reason: 'unknown-operator', message: 'No operator is enrolled in this mesh: enrol one (entente device enroll --role operator --device ID).' };
    const answer = await callCore('decideQueueItem', {
      item: item.id,
      action,
      ...(action === 'choose' ? { choose } : {}),
      ...(action === 'merge' ? { merge } : {}),
      reason: reason.trim(),
      operator: who,
      passphrase,
    });
    if (!answer.ok) return answer.error;
    onDecided(answer.value.decision, action);
    return null;
  };

  return (
    <PassphraseDialog title={`Decide ${item.subject}`} detail={`Signed by the operator's key and recorded in the log; it crosses to the partners like any observation, so they settle the same way.`} onSubmit={submit} onClose={onClose}>
      <label className="field">
        <span>Operator</span>
        <select value={who} onChange={(e) => setOperator(e.target.value)} data-testid="decide-operator">
          {operators.map((p) => (
            <option key={p.id} value={p.id}>{p.id}</option>
          ))}
        </select>
      </label>
      <fieldset data-testid="decide-actions">
        <legend className="muted small">Decision</legend>
        {ACTIONS.map(([value, words, hint]) => (
          <label key={value} className="inline-check">
            <input type="radio" name="decide-action" value={value} checked={action === value} onChange={() => setAction(value)} data-testid={`decide-action-${value}`} />
            <span>
              {words} <span className="muted small">— {hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {action === 'choose' && (
        <fieldset data-testid="decide-choose">
          <legend className="muted small">Keep the history of</legend>
          {item.competing.map((c) => (
            <label key={c.id} className="inline-check">
              <input type="radio" name="decide-choose" value={c.id} checked={choose === c.id} onChange={() => setChoose(c.id)} data-testid="decide-choose-option" data-mesh={c.mesh} />
              <span>
                {c.mesh} · <span className="mono">{c.device}</span> · <span className="mono muted">{c.id.slice(0, 12)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {action === 'merge' && (
        <fieldset data-testid="decide-merge">
          <legend className="muted small">Each field from</legend>
          {item.fields.map((field) => (
            <label key={field} className="inline-field merge-field">
              <span className="mono">{field}</span>
              <select value={merge[field] ?? ''} onChange={(e) => setMerge({ ...merge, [field]: e.target.value })} data-testid={`decide-merge-${field}`}>
                {item.competing.filter((c) => hasField(c.payload, field)).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.mesh}: {JSON.stringify((c.payload as Record<string, unknown>)[field])}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      <label className="field">
        <span>Reason (required)</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={2000} required data-testid="decide-reason" />
      </label>
    </PassphraseDialog>
  );
}
