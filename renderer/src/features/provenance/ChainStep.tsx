/** One step of a provenance chain: the observation, its authority, how it crossed, and the log entries naming it. */
import type { MethodResult } from '../../../../core/api/index.js';
import { instant, plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { VerificationBadge } from '../observations/VerificationBadge.js';
import { CrossingFacts } from './CrossingFacts.js';
import { Marking } from '../../shared/classification/Marking.js';

type Node = MethodResult<'getProvenance'>['nodes'][number];
type Verification = MethodResult<'getAuditLogState'>['verification'];

export function ChainStep({ node, index, verification }: { node: Node; index: number; verification: Verification }) {
  const detail = useContract('getObservation', node.found === 'held' ? { id: node.id } : null);
  const record = detail.data?.record as { authority?: { anchor?: string; issuer?: string }; device?: { certificate?: string } } | undefined;
  const summary = detail.data?.summary;
  return (
    <li className="card chain-step" id={`step-${node.id}`} data-testid="chain-step" data-found={node.found}>
      <div className="card-title-row">
        <h2 className="case-kept">
          <span className="muted">{index === 0 ? 'Observation' : `Source ${index}`}</span> · <span className="mono">{node.subject ?? node.id.slice(0, 16)}</span>
          {node.class && <span className="muted"> · {node.class}</span>}
        </h2>
        <span>
          {summary && <VerificationBadge verification={summary.verification} />}{' '}
          {summary && summary.standing.standing !== 'verified' && <span className="badge badge-bad">{summary.standing.standing}: {summary.standing.cause}</span>}
          {node.found !== 'held' && <span className="badge badge-warn">{node.found === 'exported' ? "known from a partner's log" : 'unresolved reference'}</span>}
        </span>
      </div>
      {node.flagged && <p className="banner banner-error small">{node.flagged.reason}: {node.flagged.message}</p>}
      <dl className="facts">
        <dt>Said by</dt>
        <dd>
          {node.mesh ? <strong>{node.mesh}</strong> : '—'}
          {node.device && <span> · device <span className="mono">{node.device}</span></span>}
          {node.observedAt && <span className="muted"> · observed {instant(node.observedAt)}</span>}
        </dd>
        {record?.authority && (
          <>
            <dt>Under the authority of</dt>
            <dd className="mono small">
              anchor {record.authority.anchor?.slice(0, 16)}… · issuer {record.authority.issuer?.slice(0, 16)}…{record.device?.certificate && ` · device certificate ${record.device.certificate.slice(0, 16)}…`}
            </dd>
          </>
        )}
        {summary && (
          <>
            <dt>Label</dt>
            <Marking as="dd" text={summary.marking} />
          </>
        )}
        <dt>Derivation</dt>
        <dd>
          {node.derivation ? <span className="mono">{node.derivation}</span> : 'original observation'}
          {node.sources.length > 0 && (
            <ul className="sources">
              {node.sources.map((source) => (
                <li key={source}>
                  <a href={`#/provenance/${source}`} className="mono small">{source}</a>
                </li>
              ))}
            </ul>
          )}
        </dd>
        {summary?.standing.standing !== 'verified' && summary?.standing.message && (
          <>
            <dt>Taint</dt>
            <dd>{summary.standing.message}</dd>
          </>
        )}
      </dl>
      {detail.data?.foreign && <CrossingFacts foreign={detail.data.foreign} />}
      {node.events.length > 0 && (
        <>
          <h3>Log entries naming it</h3>
          <table className="table table-compact" aria-label="Log entries">
            <thead>
              <tr>
                <th scope="col" className="num">#</th>
                <th scope="col">Entry</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Why</th>
                <th scope="col">Verified</th>
              </tr>
            </thead>
            <tbody>
              {node.events.map((event) => (
                <tr key={`${event.from} ${event.log} ${event.seq}`} data-testid="chain-event">
                  <td className="num">{event.seq}</td>
                  <td><span className="badge badge-type">{event.type}</span> <span className="muted small">{event.log}</span></td>
                  <td className="small nowrap">{instant(event.wall)}</td>
                  <td className="small">{event.who}</td>
                  <td className="small">
                    {event.reasons.map((r) => <span key={r} className="mono reason">{r}</span>)}
                    {event.text && <div className="muted">{event.text}</div>}
                  </td>
                  <td className="small">{entryVerified(event, verification)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {node.events.length === 0 && <p className="muted small">{plural(0, 'log entry', 'log entries')} name it in this workspace.</p>}
    </li>
  );
}

/** An entry of this workspace's log counts as verified when the last verification passed and covered it. */
function entryVerified(event: Node['events'][number], verification: Verification): string {
  if (event.from !== 'this workspace') return `in ${event.from}`;
  if (!verification) return 'not yet checked';
  if (!verification.ok) return 'log failed verification';
  return event.seq < verification.entries ? 'yes' : 'after the last check';
}
