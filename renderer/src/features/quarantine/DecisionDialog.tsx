/**
 * Releasing or rejecting a quarantined item: the operator who decides (their enrolled key
 * signs), the reason, for a release the classification of this mesh's policy the item is
 * released under, and the passphrase for this one signature (PassphraseDialog: never kept).
 */
import { useState } from 'react';
import type { ContractError, MethodResult } from '../../../../core/api/index.js';
import { callCore } from '../../shared/call.js';
import { useContract } from '../../shared/use-contract.js';
import { PassphraseDialog } from '../federations/PassphraseDialog.js';

type Item = MethodResult<'listQuarantine'>['items'][number];
export type Decided = MethodResult<'releaseQuarantined'>;

interface Props {
  readonly item: Item;
  readonly outcome: 'release' | 'reject';
  readonly onDecided: (decided: Decided) => void;
  readonly onClose: () => void;
}

export function DecisionDialog({ item, outcome, onDecided, onClose }: Props) {
  const operators = useContract('listPrincipals', { role: 'operator' });
  const levels = useContract('getMarkingLevels', {});
  const active = (operators.data?.principals ?? []).filter((p) => p.status === 'active');
  const classifications = [...new Set((levels.data?.levels ?? []).filter((l) => l.own).map((l) => l.classification))];
  const [operator, setOperator] = useState('');
  const [classification, setClassification] = useState('');
  const [reason, setReason] = useState('');
  const chosenOperator = operator || active[0]?.id || '';
  const chosenClassification = classification || classifications.at(-1) || '';

  const submit = async (passphrase: string | null): Promise<ContractError | null> => {
    const decision = { id: item.id, operator: chosenOperator, reason, passphrase };
    const answer = outcome === 'release' ? await callCore('releaseQuarantined', { ...decision, classification: chosenClassification }) : await callCore('rejectQuarantined', decision);
    if (!answer.ok) return answer.error;
    onDecided(answer.value);
    return null;
  };

  const verb = outcome === 'release' ? 'Release' : 'Reject';
  return (
    <PassphraseDialog
      title={`${verb} ${item.class} ${item.subject} from ${item.origin}`}
      detail={outcome === 'release' ? 'The item is admitted under the classification you give it, as an alternative label signed by you beside the originator’s.' : 'The item is never admitted; the rejection is signed by you and logged.'}
      onSubmit={submit}
      onClose={onClose}
    >
      <label className="field">
        <span>Operator who decides</span>
        {active.length > 0 ? (
          <select value={chosenOperator} onChange={(event) => setOperator(event.target.value)} data-testid="decision-operator">
            {active.map((p) => (
              <option key={p.id} value={p.id}>{p.id}</option>
            ))}
          </select>
        ) : (
          <span className="field-help" data-testid="decision-no-operator">No operator is enrolled: enrol one with <code>entente device enroll --role operator --device ID</code>.</span>
        )}
      </label>
      {outcome === 'release' && (
        <label className="field">
          <span>Release as (this mesh’s policy)</span>
          <select value={chosenClassification} onChange={(event) => setClassification(event.target.value)} data-testid="decision-classification">
            {classifications.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Reason</span>
        <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={2} maxLength={1000} required data-testid="decision-reason" />
      </label>
    </PassphraseDialog>
  );
}
