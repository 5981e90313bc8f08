/**
 * Asks for the workspace passphrase for one signature. The value lives in this dialog's input
 * only: it is handed to `onSubmit` once, for the one contract call, and the field is cleared
 * whatever the answer. Nothing keeps it — no state store, no storage, no retry with it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';

interface Props {
  /** What is about to be signed, in one sentence ("Sign version 2 of deu-1a2b for DEU"). */
  readonly title: string;
  readonly detail?: string;
  /** Extra fields before the passphrase (a withdrawal's reason). */
  readonly children?: React.ReactNode;
  readonly onSubmit: (passphrase: string | null) => Promise<ContractError | null>;
  readonly onClose: () => void;
}

export function PassphraseDialog({ title, detail, children, onSubmit, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const field = input.current!;
    // Read once, then cleared before the answer comes: the renderer holds it for the call only.
    const passphrase = field.value === '' ? null : field.value;
    field.value = '';
    setBusy(true);
    const refusal = await onSubmit(passphrase);
    setBusy(false);
    if (refusal) {
      setError(refusal);
      field.focus();
    } else onClose();
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="passphrase-heading" onClose={onClose} data-testid="passphrase-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="passphrase-heading">{title}</h2>
        {detail && <p className="muted">{detail}</p>}
        {children}
        <label className="field">
          <span>Workspace passphrase</span>
          <input ref={input} type="password" autoComplete="off" autoFocus data-testid="passphrase-input" />
          <span className="field-help">Used for this signature only, never stored. Leave empty for a home whose keys are not encrypted.</span>
        </label>
        {error && <RefusalBanner error={error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy} data-testid="passphrase-submit">{busy ? 'Signing…' : 'Sign'}</button>
        </div>
      </form>
    </dialog>
  );
}
