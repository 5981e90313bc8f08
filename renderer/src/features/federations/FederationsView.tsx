/**
 * Federations: each with its state, version, partners and whether each partner's authority has
 * signed, the time left before expiry; selecting one shows its declaration in full.
 */
import { useEffect, useState } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { countdown } from './countdown.js';
import { FEDERATION_EVENTS } from './federation-events.js';
import { FederationDetail } from './FederationDetail.js';
import { StateBadge } from './StateBadge.js';

export function FederationsView() {
  const { data, error } = useContract('listFederations', {}, { refreshOn: FEDERATION_EVENTS });
  const federations = data?.federations ?? null;
  const [chosen, setSelected] = useState<string | null>(null);
  // Until the officer picks one, the first listed is shown.
  const selected = chosen ?? federations?.[0]?.id ?? null;
  const [now, setNow] = useState(() => Date.now());

  // The countdown moves on its own; a minute is its finest unit.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section className="card card-wide" aria-labelledby="federations-heading" data-testid="federations">
      <h2 id="federations-heading">Federations</h2>
      {error && <RefusalBanner error={error} />}
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
          <FederationDetail key={selected ?? 'none'} id={selected} />
        </div>
      )}
    </section>
  );
}
