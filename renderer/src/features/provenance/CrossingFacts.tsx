/** How a foreign observation crossed into this mesh (decision 0005): who carried it, under which federation version, and how its label was translated. */
import type { MethodResult } from '../../../../core/api/index.js';
import { instant } from '../../shared/format.js';
import { Marking } from '../../shared/classification/Marking.js';

type Foreign = NonNullable<MethodResult<'getObservation'>['foreign']>;

function labelText(label: unknown): string {
  const l = label as { policy?: { id?: string }; classification?: string; categories?: { tagName?: string; values?: string[] }[] } | null;
  if (!l || typeof l !== 'object') return '—';
  const categories = (l.categories ?? []).map((c) => `${c.tagName ?? ''} ${(c.values ?? []).join(', ')}`.trim()).filter(Boolean);
  return [`${l.policy?.id ?? '?'} ${l.classification ?? '?'}`, ...categories].join(' // ');
}

export function CrossingFacts({ foreign }: { foreign: Foreign }) {
  return (
    <>
      <h3>Crossing</h3>
      <dl className="facts" data-testid="crossing-facts">
        <dt>Origin</dt>
        <dd>
          <strong>{foreign.origin}</strong>
          {foreign.partner && foreign.partner !== foreign.origin && <span> relayed by {foreign.partner}</span>}
        </dd>
        <dt>Carried by</dt>
        <dd>
          <span className="mono">{foreign.agent ?? '—'}</span>
          {foreign.agentCertificate && <span className="muted mono small"> · certificate {foreign.agentCertificate.slice(0, 16)}…</span>}
        </dd>
        <dt>Federation</dt>
        <dd>{foreign.federation ? <a href={`#/federations/${foreign.federation.id}`} className="mono">{foreign.federation.id} v{foreign.federation.version}</a> : '—'}</dd>
        <dt>Bundle or link session</dt>
        <dd className="mono small">{foreign.bundle ? `${foreign.bundle.slice(0, 24)}…${foreign.line !== null ? ` line ${foreign.line}` : ''}` : '—'}</dd>
        <dt>Release authority</dt>
        <dd>{foreign.releaseAuthority ?? '—'}</dd>
        <dt>Outcome</dt>
        <dd>
          {foreign.outcome ?? '—'}
          {foreign.admittedAt && <span className="muted"> · {instant(foreign.admittedAt)}</span>}
        </dd>
        <dt>Originator's label</dt>
        <Marking as="dd" text={labelText(foreign.originatorLabel)} />
        <dt>Translated as</dt>
        {foreign.alternativeLabel ? <Marking as="dd" data-testid="alternative-label" text={labelText(foreign.alternativeLabel)} /> : <dd data-testid="alternative-label">no translation needed</dd>}
        <dt>Attestations</dt>
        <dd>
          {foreign.attestations.length === 0 ? '—' : (
            <ul className="sources">
              {foreign.attestations.map((a) => <li key={a} className="mono small">{a}</li>)}
            </ul>
          )}
        </dd>
        {(foreign.caveats.length > 0 || foreign.onwardRelease) && (
          <>
            <dt>Caveats</dt>
            <dd>{[...foreign.caveats, foreign.onwardRelease && `onward release ${foreign.onwardRelease}`].filter(Boolean).join(' · ')}</dd>
          </>
        )}
      </dl>
    </>
  );
}
