/**
 * Federations: each with its state, version, partners and whether each partner's authority has
 * signed, the time left before expiry; selecting one (kept in the URL) shows it in full with its
 * actions. New federations and new versions are drafted in the editor; partners' exchange files
 * are imported here.
 */
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../core/api/index.js';
import { navigate } from '../../app/route.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { callCore } from '../../shared/call.js';
import { useContract } from '../../shared/use-contract.js';
import { countdown } from './countdown.js';
import { DraftEditor } from './editor/DraftEditor.js';
import { FEDERATION_EVENTS } from './federation-events.js';
import { FederationDetail } from './FederationDetail.js';
import { NewFederationDialog } from './NewFederationDialog.js';
import { StateBadge } from './StateBadge.js';
import { utc } from '../../shared/format.js';

interface Editing {
  readonly draft: Record<string, unknown>;
  readonly amends: { readonly federation: string; readonly version: number } | null;
}

export function FederationsView({ selected: chosen, own }: { selected: string | null; own: string }) {
  const { data, error } = useContract('listFederations', {}, { refreshOn: FEDERATION_EVENTS });
  const federations = data?.federations ?? null;
  // Until the officer picks one, the first listed is shown.
  const selected = chosen ?? federations?.[0]?.id ?? null;
  const select = (id: string) => navigate({ view: 'federations', item: id });
  const [now, setNow] = useState(() => Date.now());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [starting, setStarting] = useState(false);
  const [actionError, setActionError] = useState<ContractError | null>(null);
  const [imported, setImported] = useState<string | null>(null);

  // The countdown moves on its own; a minute is its finest unit.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const amend = async (id: string) => {
    const answer = await callCore('startFederationDraft', { amend: id });
    if (!answer.ok) return setActionError(answer.error);
    const draft = answer.value.draft as Record<string, unknown>;
    setEditing({ draft, amends: { federation: id, version: Number(draft.version) - 1 } });
  };

  return (
    <div className="stack">
      <div className="toolbar toolbar-view">
        <button type="button" className="primary" onClick={() => setStarting(true)} data-testid="new-federation">New federation…</button>
        <label className="button-like">
          Import exchange file…
          <input
            type="file"
            className="visually-hidden"
            accept=".json,application/json"
            data-testid="import-federation"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (!file) return;
              const answer = await callCore('importFederation', { text: await file.text() });
              setActionError(answer.ok ? null : answer.error);
              setImported(answer.ok ? `Imported ${file.name}: ${answer.value.id} v${answer.value.version}, ${answer.value.state}.` : null);
              if (answer.ok) select(answer.value.id);
            }}
          />
        </label>
        {imported && <span className="muted" role="status">{imported}</span>}
      </div>
      {actionError && <RefusalBanner error={actionError} />}
      {starting && (
        <NewFederationDialog
          onClose={() => setStarting(false)}
          onStart={(draft) => {
            setStarting(false);
            setEditing({ draft, amends: null });
          }}
        />
      )}
      {editing && (
        <DraftEditor
          key={JSON.stringify(editing.amends)}
          initial={editing.draft}
          amends={editing.amends}
          onClose={() => setEditing(null)}
          onProposed={(id) => {
            setEditing(null);
            select(id);
          }}
        />
      )}
      <section className="card card-wide" aria-labelledby="federations-heading" data-testid="federations">
        <h2 id="federations-heading">Federations</h2>
        {error && <RefusalBanner error={error} />}
        {federations && federations.length === 0 && (
          <p className="empty">No federation yet: start one with “New federation…”, or import an exchange file a partner sent.</p>
        )}
        {federations && federations.length > 0 && (
          <div className="split">
            <table className="table table-selectable" aria-label="Federations">
              <thead>
                <tr>
                  <th scope="col">Federation</th>
                  <th scope="col">State</th>
                  <th scope="col">Version</th>
                  <th scope="col">Partners and signatures</th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {federations.map((f) => (
                  <tr
                    key={f.id}
                    data-testid={`federation-${f.id}`}
                    aria-selected={f.id === selected}
                    tabIndex={0}
                    onClick={() => select(f.id)}
                    onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && select(f.id)}
                  >
                    <td>
                      <div className="mono">{f.id}</div>
                      <div className="muted">{f.purpose}</div>
                    </td>
                    <td>
                      <StateBadge state={f.state} />
                    </td>
                    <td className="nowrap">
                      v{f.version}
                      {f.inForce !== null && f.inForce !== f.version && <div className="muted">v{f.inForce} in force</div>}
                    </td>
                    <td>
                      <ul className="signatures">
                        {f.partners.map((p) => (
                          <li key={p.mesh} data-testid={`signature-${f.id}-${p.mesh}`} title={`trust anchor ${p.trustAnchorSha256}`}>
                            <span className="mono">{p.mesh}</span>{' '}
                            {p.withdrawn ? (
                              <span className="badge badge-bad">withdrew</span>
                            ) : (
                              <span className={`badge ${p.signature === 'signed' ? 'badge-ok' : 'badge-warn'}`}>{p.signature === 'signed' ? 'signed' : 'signature missing'}</span>
                            )}
                            {p.rotation && <span className="muted"> key rotation: old key {p.rotation.oldKeySigned ? 'signed' : 'missing'}, new key {p.rotation.newKeySigned ? 'signed' : 'missing'}</span>}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="nowrap" data-testid={`expiry-${f.id}`} title={f.expires}>
                      {utc(f.expires)}
                      <div className="muted">{countdown(f.expires, now)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FederationDetail key={selected ?? 'none'} id={selected} own={own} onAmend={(id) => void amend(id)} />
          </div>
        )}
      </section>
    </div>
  );
}
