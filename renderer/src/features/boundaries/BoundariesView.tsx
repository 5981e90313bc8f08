/**
 * The boundaries as far as the core can tell today: one card per partner mesh with the
 * federations it shares with this one (state, version, expiry), the quarantine count and the
 * latest integrity events. Link state, backlog and clock offset come with live links
 * (docs/decisions/0006-live-links.md); until then the card says so rather than guess.
 */
import { useMemo } from 'react';
import type { MethodResult } from '../../../../core/api/index.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { instant, plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { countdown } from '../federations/countdown.js';
import { FEDERATION_EVENTS } from '../federations/federation-events.js';
import { StateBadge } from '../federations/StateBadge.js';

type Federation = MethodResult<'listFederations'>['federations'][number];

/** Partner mesh → the federations it shares with this mesh. */
function byPartner(federations: readonly Federation[], own: string): Map<string, { federation: Federation; displayName: string | null }[]> {
  const partners = new Map<string, { federation: Federation; displayName: string | null }[]>();
  for (const federation of federations) {
    for (const partner of federation.partners) {
      if (partner.mesh === own) continue;
      partners.set(partner.mesh, [...(partners.get(partner.mesh) ?? []), { federation, displayName: partner.displayName }]);
    }
  }
  return new Map([...partners].sort(([a], [b]) => a.localeCompare(b)));
}

export function BoundariesView({ own }: { own: string }) {
  const federations = useContract('listFederations', {}, { refreshOn: FEDERATION_EVENTS });
  const quarantine = useContract('listQuarantine', { limit: 500 }, { refreshOn: ['crossingChanged'] });
  const integrity = useContract('listIntegrityEvents', { limit: 50 }, { refreshOn: ['crossingChanged', 'auditAppended'] });
  const partners = useMemo(() => byPartner(federations.data?.federations ?? [], own), [federations.data, own]);
  const error = federations.error ?? quarantine.error ?? integrity.error;
  // Judged when the list arrived: the countdowns move on with each refresh.
  const now = useMemo(() => (federations.data ? Date.parse(federations.data.federations[0]?.judgedAt ?? '') || 0 : 0), [federations.data]);

  return (
    <div className="stack" data-testid="boundaries">
      {error && <RefusalBanner error={error} />}
      <p className="banner banner-info">Link state, backlog and clock offset arrive with live links; this board shows what the core records today.</p>
      {federations.data && partners.size === 0 && <p className="empty card">No partner yet: propose or import a federation in Federations.</p>}
      {partners.size > 0 && (
      <div className="grid">
        {[...partners].map(([mesh, shared]) => {
          const held = (quarantine.data?.items ?? []).filter((item) => item.partner === mesh && !item.decision).length;
          const events = (integrity.data?.events ?? []).filter((event) => event.partner === mesh);
          return (
            <section key={mesh} className="card" aria-label={`Boundary with ${mesh}`} data-testid={`boundary-${mesh}`}>
              <h2 className="case-kept">
                {mesh}
                {shared[0]?.displayName && <span className="muted"> · {shared[0].displayName}</span>}
              </h2>
              <dl className="facts">
                <dt>Link</dt>
                <dd className="muted">not reported yet</dd>
                <dt>Quarantine</dt>
                <dd>{held === 0 ? 'nothing held' : plural(held, 'item')}</dd>
                <dt>Integrity events</dt>
                <dd>{events.length === 0 ? 'none recorded' : plural(events.length, 'event')}</dd>
              </dl>
              <h3>Federations</h3>
              <ul className="sources">
                {shared.map(({ federation }) => (
                  <li key={federation.id}>
                    <a href={`#/federations/${federation.id}`} className="mono">{federation.id}</a> <StateBadge state={federation.state} /> v{federation.inForce ?? federation.version}
                    <span className="muted"> · expires {countdown(federation.expires, now)}</span>
                  </li>
                ))}
              </ul>
              {events.length > 0 && (
                <>
                  <h3>Latest integrity events</h3>
                  <ul className="sources">
                    {events.slice(0, 3).map((event) => (
                      <li key={event.id}>
                        <span className="mono reason">{event.kind}</span> {instant(event.at)}
                        <div className="muted">{event.message}</div>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          );
        })}
      </div>
      )}
    </div>
  );
}
