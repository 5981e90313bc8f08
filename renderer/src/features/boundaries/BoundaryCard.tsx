/** One partner mesh on the boundary board: its links first (what the officer watches), then federations, credentials, quarantine and integrity events. */
import { instant, plural } from '../../shared/format.js';
import { countdown } from '../federations/countdown.js';
import { StateBadge } from '../federations/StateBadge.js';
import type { PartnerBoard } from './board-data.js';
import { formatOffset, type ClockOffset } from './clock-offsets.js';
import { LinkStateBadge, worstState } from './LinkStateBadge.js';

/** A credential this close to its end is flagged: renewing it takes both meshes' officers. */
const SOON_MS = 14 * 86_400_000;

export function BoundaryCard({ partner, offset, now }: { partner: PartnerBoard; offset: ClockOffset | undefined; now: number }) {
  const worst = worstState(partner.links.map((l) => l.state));
  return (
    <section className={`card boundary ${worst ? `boundary-${worst}` : ''}`} aria-label={`Boundary with ${partner.mesh}`} data-testid={`boundary-${partner.mesh}`}>
      <div className="card-title-row">
        <h2 className="case-kept">
          {partner.mesh}
          {partner.displayName && <span className="muted"> · {partner.displayName}</span>}
        </h2>
        {worst ? <LinkStateBadge state={worst} /> : <span className="muted">no active federation</span>}
      </div>
      {partner.links.length > 0 && (
        <table className="table table-compact" aria-label={`Links with ${partner.mesh}`}>
          <thead>
            <tr>
              <th scope="col">Federation</th>
              <th scope="col">State</th>
              <th scope="col">Last contact</th>
              <th scope="col" className="num" title="items the partner lacks / items we lack">Backlog out/in</th>
            </tr>
          </thead>
          <tbody>
            {partner.links.map((link) => (
              <tr key={link.federation} data-testid={`link-${partner.mesh}-${link.federation}`} data-state={link.state}>
                <td className="mono nowrap">{link.federation}</td>
                <td>
                  <LinkStateBadge state={link.state} />
                  <div className="muted small">{link.because}</div>
                </td>
                <td className="small">
                  {link.lastContact ? instant(link.lastContact) : '—'}
                  {link.roundTripMs !== null && <div className="muted">round trip {link.roundTripMs.toLocaleString('en-GB')} ms</div>}
                  {link.lastOutcome && <div className="muted">last sync: {link.lastOutcome}</div>}
                </td>
                <td className="num">
                  {link.backlog.out.toLocaleString('en-GB')} / {link.backlog.in.toLocaleString('en-GB')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="facts">
        <dt>Clock offset</dt>
        <dd data-testid="clock-offset">{formatOffset(offset)}</dd>
        <dt>Quarantine</dt>
        <dd data-testid="quarantined">{partner.quarantined === 0 ? 'nothing held' : <a href="#/quarantine">{plural(partner.quarantined, 'item')} waiting</a>}</dd>
      </dl>
      <h3>Federations</h3>
      <ul className="sources">
        {partner.federations.map((federation) => (
          <li key={federation.id}>
            <a href={`#/federations/${federation.id}`} className="mono">{federation.id}</a> <StateBadge state={federation.state} /> v{federation.inForce ?? federation.version}
            <span className="muted"> · expires {countdown(federation.expires, now)}</span>
          </li>
        ))}
      </ul>
      <h3>Agents' certificates</h3>
      {partner.credentials.length === 0 ? (
        <p className="muted small">None exchanged yet: `entente agent request` and `certify` cross-certify the agents.</p>
      ) : (
        <ul className="sources" data-testid="credentials">
          {partner.credentials.map((c) => {
            const left = Date.parse(c.notAfter) - now;
            return (
              <li key={c.sha256} className="small">
                <span className="mono">{c.agent}</span> <span className="muted">{c.holder === 'ours' ? '(ours, issued by them)' : '(theirs, issued by us)'}</span>{' '}
                {c.revokedAt ? <span className="badge badge-bad">revoked</span> : <span className={left < SOON_MS ? 'badge badge-warn' : 'muted'}>expires {countdown(c.notAfter, now)}</span>}
              </li>
            );
          })}
        </ul>
      )}
      <h3>Integrity events</h3>
      {partner.events.length === 0 ? (
        <p className="muted small">None recorded.</p>
      ) : (
        <ul className="sources" data-testid="integrity">
          {partner.events.slice(0, 3).map((event) => (
            <li key={event.id} className="small">
              <span className="mono reason">{event.kind}</span> {instant(event.at)}
              <div className="muted">{event.message}</div>
            </li>
          ))}
          {partner.events.length > 3 && <li className="muted small">and {plural(partner.events.length - 3, 'earlier event')}</li>}
        </ul>
      )}
    </section>
  );
}
