/**
 * Starting a new federation: the partners, chosen among those whose cards this home holds or by
 * a card file the officer picks (read by the browser, sent to the core as JSON; the console never
 * touches the file system).
 */
import { useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { callCore } from '../../shared/call.js';
import { useContract } from '../../shared/use-contract.js';

export function NewFederationDialog({ onStart, onClose }: { onStart: (draft: Record<string, unknown>) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const known = useContract('listKnownPartners', {});
  const [chosen, setChosen] = useState<string[]>([]);
  const [cards, setCards] = useState<{ name: string; card: unknown }[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => dialog.current?.showModal(), []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="new-federation-heading" onClose={onClose} data-testid="new-federation-dialog">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const answer = await callCore('startFederationDraft', { partners: chosen, cards: cards.map((c) => c.card as never) });
          if (!answer.ok) return setError(answer.error);
          onStart(answer.value.draft as Record<string, unknown>);
        }}
      >
        <h2 id="new-federation-heading">New federation</h2>
        <fieldset>
          <legend>Partners this home knows</legend>
          {known.data?.partners.length === 0 && <p className="muted">None yet: add a partner's card file below.</p>}
          {known.data?.partners.map((partner) => (
            <label key={partner.mesh} className="inline-check">
              <input
                type="checkbox"
                checked={chosen.includes(partner.mesh)}
                onChange={(event) => setChosen((list) => (event.target.checked ? [...list, partner.mesh] : list.filter((m) => m !== partner.mesh)))}
                data-testid={`partner-${partner.mesh}`}
              />
              <span className="mono">{partner.mesh}</span> {partner.displayName ?? ''} <span className="muted mono">{partner.trustAnchorSha256.slice(0, 16)}…</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Or a partner's card file (entente mesh card)</span>
          <input
            type="file"
            accept=".json,application/json"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              if (!file) return;
              try {
                const card = JSON.parse(await file.text()) as unknown;
                setCards((list) => [...list, { name: file.name, card }]);
                setError(null);
              } catch {
                setError({ code: 'refused', reason: 'malformed-card', message: `${file.name} is not JSON: choose the card file \`entente mesh card\` wrote.` });
              }
            }}
          />
        </label>
        {cards.length > 0 && <p className="muted">Cards added: {cards.map((c) => c.name).join(', ')}</p>}
        {error && <RefusalBanner error={error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={chosen.length + cards.length === 0} data-testid="start-draft">Start the draft</button>
        </div>
      </form>
    </dialog>
  );
}
