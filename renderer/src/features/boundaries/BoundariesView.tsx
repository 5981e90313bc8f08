/**
 * The boundary board (issue 16, "Boundaries"): one card per partner mesh — each link's state
 * (decision 0006, "State"), last contact, backlog both ways, the clock-offset interval, the
 * federations shared with their version and time to expiry, the agents' certificates with theirs,
 * what waits in quarantine and the latest integrity events. Live: each part asks again when the
 * core says its answer may have changed, so a disconnection shows without a reload.
 */
import { useMemo } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { FEDERATION_EVENTS } from '../federations/federation-events.js';
import { BoundaryCard } from './BoundaryCard.js';
import { boardByPartner } from './board-data.js';
import { useClockOffsets } from './clock-offsets.js';

export function BoundariesView({ own }: { own: string }) {
  const federations = useContract('listFederations', {}, { refreshOn: FEDERATION_EVENTS });
  const links = useContract('listLinks', {}, { refreshOn: ['linksChanged', ...FEDERATION_EVENTS] });
  const quarantine = useContract('listQuarantine', { limit: 500 }, { refreshOn: ['crossingChanged'] });
  const integrity = useContract('listIntegrityEvents', { limit: 100 }, { refreshOn: ['crossingChanged', 'linksChanged', 'auditAppended'] });
  const credentials = useContract('listBoundaryCredentials', {}, { refreshOn: ['auditAppended'] });
  const offsets = useClockOffsets();
  const partners = useMemo(
    () =>
      boardByPartner(own, {
        federations: federations.data?.federations ?? [],
        links: links.data?.links ?? [],
        quarantine: quarantine.data?.items ?? [],
        integrity: integrity.data?.events ?? [],
        credentials: credentials.data?.credentials ?? [],
      }),
    [own, federations.data, links.data, quarantine.data, integrity.data, credentials.data],
  );
  const error = federations.error ?? links.error ?? quarantine.error ?? integrity.error ?? credentials.error;
  // Judged when the list arrived: the countdowns move on with each refresh.
  const now = useMemo(() => (federations.data ? Date.parse(federations.data.federations[0]?.judgedAt ?? '') || 0 : 0), [federations.data]);
  const lost = partners.filter((p) => p.links.some((l) => l.state === 'unexpectedly-lost')).length;

  return (
    <div className="stack" data-testid="boundaries">
      {error && <RefusalBanner error={error} />}
      {federations.data && partners.length === 0 && <p className="empty card">No partner yet: propose or import a federation in Federations.</p>}
      {partners.length > 0 && (
        <p className="muted board-summary" data-testid="board-summary">
          {plural(partners.length, 'partner')} · {plural(partners.reduce((n, p) => n + p.links.length, 0), 'link')}
          {lost > 0 && <strong className="link-lost"> · {plural(lost, 'partner')} lost</strong>}
        </p>
      )}
      {partners.length > 0 && (
        <div className="board">
          {partners.map((partner) => (
            <BoundaryCard key={partner.mesh} partner={partner} offset={offsets.get(partner.mesh)} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
