/**
 * Federations: each with its state, version, partners and whether each partner's authority has
 * signed, the time left before expiry; selecting one shows its declaration in full.
 */
import { useEffect, useState } from 'react';
import type { MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';
import { countdown } from './countdown.js';
import { FederationDetail } from './FederationDetail.js';

type Summary = MethodResult<'listFederations'>['federations'][number];

const GOOD_STATES = new Set(['active']);

export function StateBadge({ state }: { state: Summary['state'] }) {
  return <span className={`badge ${GOOD_STATES.has(state) ? 'badge-ok' : state === 'proposed' || state === 'draft' ? 'badge-warn' : 'badge-bad'}`}>{state}</span>;
}

export function FederationsView({ refreshKey }: { refreshKey: string }) {
  const [federations, setFederations] = useState<Summary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let current = true;
    unwrap(bridge().listFederations({}))
      .then((result) => {
        if (!current) return;
        setFederations(result.federations);
        setSelected((id) => id ?? result.federations[0]?.id ?? null);
      })
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [refreshKey]);

  // The countdown moves on its own; a minute is its finest unit.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section className="card card-wide" aria-labelledby="federations-heading" data-testid="federations">
      <h2 id="federations-heading">Federations</h2>
      {error && <div role="alert" className="banner banner-error">{error}</div>}
      {federations && federations.length === 0 && (
        <p className="empty">
          No federation yet: <code>entente federation propose --partner CARD.json …</code>, or import one a partner proposed.
        </p>
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
                  onClick={() => setSelected(f.id)}
                  onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && setSelected(f.id)}
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
                    {f.expires.slice(0, 16).replace('T', ' ')}
                    <div className="muted">{countdown(f.expires, now)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <FederationDetail key={selected ?? 'none'} id={selected} refreshKey={refreshKey} />
        </div>
      )}
    </section>
  );
}
