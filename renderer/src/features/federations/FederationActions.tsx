/**
 * What the officer may do with a federation: sign its newest version for this mesh, withdraw,
 * export the exchange file for the partners, start its next version in the editor. Signing and
 * withdrawing ask the passphrase in a dialog, for that call only.
 */
import { useState } from 'react';
import type { ContractError, MethodResult } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { callCore } from '../../shared/call.js';
import { PassphraseDialog } from './PassphraseDialog.js';

type Summary = MethodResult<'getFederation'>['summary'];

interface Props {
  readonly summary: Summary;
  readonly own: string;
  readonly onAmend: () => void;
}

/** Offers the exchange file as a download the browser saves where the officer says; nothing is written by the console itself. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FederationActions({ summary, own, onAmend }: Props) {
  const [dialog, setDialog] = useState<'sign' | 'withdraw' | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ContractError | null>(null);
  const ours = summary.partners.find((p) => p.mesh === own);
  const over = summary.state === 'withdrawn' || summary.state === 'exited' || summary.state === 'expired';
  const canSign = ours !== undefined && !ours.withdrawn && ours.signature === 'missing' && !over;
  const canWithdraw = ours !== undefined && !ours.withdrawn && !over;

  return (
    <div className="toolbar" data-testid="federation-actions">
      {canSign && (
        <button type="button" className="primary" onClick={() => setDialog('sign')} data-testid="sign-federation">
          Sign v{summary.version}…
        </button>
      )}
      {!over && <button type="button" onClick={onAmend} data-testid="amend-federation">New version…</button>}
      <button
        type="button"
        onClick={async () => {
          const answer = await callCore('exportFederation', { federation: summary.id });
          if (answer.ok) download(answer.value.name, answer.value.text);
          setError(answer.ok ? null : answer.error);
        }}
        data-testid="export-federation"
      >
        Export exchange file
      </button>
      {canWithdraw && (
        <button type="button" className="danger" onClick={() => setDialog('withdraw')} data-testid="withdraw-federation">
          Withdraw…
        </button>
      )}
      {error && <RefusalBanner error={error} />}
      {dialog === 'sign' && (
        <PassphraseDialog
          title={`Sign version ${summary.version} of ${summary.id} for ${own}`}
          detail="Once every partner has signed, this version is in force."
          onClose={() => setDialog(null)}
          onSubmit={async (passphrase) => {
            const answer = await callCore('signFederation', { federation: summary.id, passphrase });
            return answer.ok ? null : answer.error;
          }}
        />
      )}
      {dialog === 'withdraw' && (
        <PassphraseDialog
          title={`Withdraw ${own} from ${summary.id}`}
          detail="The exit rules run at once: partners' data is purged or retained as the declaration says. This cannot be undone."
          onClose={() => setDialog(null)}
          onSubmit={async (passphrase) => {
            const answer = await callCore('withdrawFederation', { federation: summary.id, reason, passphrase });
            return answer.ok ? null : answer.error;
          }}
        >
          <label className="field">
            <span>Reason, as the partners will read it</span>
            <input value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={1000} data-testid="withdraw-reason" />
          </label>
        </PassphraseDialog>
      )}
    </div>
  );
}
