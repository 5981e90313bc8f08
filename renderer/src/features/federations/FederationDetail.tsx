/**
 * One federation in full: the actions on it, its declaration (partners, scope, validity,
 * arbitration, resynchronisation, silences, exit), each authority's signature, the changes from
 * one version to another, and the raw document as signed.
 */
import { useState } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { duration, formatCount, instant } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { DiffTable } from './DiffTable.js';
import { FederationActions } from './FederationActions.js';
import { FEDERATION_EVENTS } from './federation-events.js';
import { StateBadge } from './StateBadge.js';

/** The declaration as the console reads it: the contract carries it as plain JSON. */
interface Declaration {
  purpose: string;
  partners: { mesh: string; releaseAuthority: string; card: { trustAnchor: { sha256: string }; displayName?: string } }[];
  scope: { from: string; to: string; classes: string[]; ceiling: { policy: string; classification: string }; caveats: string[]; onwardRelease: string }[];
  validity: { start: string; expires: string };
  arbitration: { policy: string; divergenceThreshold: number };
  resynchronisation: { priority: string[]; backlogLimit: number; maxAgeSeconds: number };
  silenceToleranceSeconds: number;
  disconnectionWindows: { partner: string; start: string; end: string; reason: string }[];
  exit: { class: string; action: string; handling?: string; derived: string }[];
}

const when = (iso: string) => instant(iso);

interface Props {
  readonly id: string | null;
  readonly own: string;
  readonly onAmend: (id: string) => void;
}

/** The parent keys this by id, so a new selection starts from "Loading…", not from the last declaration. */
export function FederationDetail({ id, own, onAmend }: Props) {
  const { data: detail, error } = useContract('getFederation', id === null ? null : { federation: id }, { refreshOn: FEDERATION_EVENTS });
  const [tab, setTab] = useState<'declaration' | 'versions' | 'raw'>('declaration');

  if (!id) return <aside className="split-side empty">Select a federation to read its declaration.</aside>;
  if (error) return <aside className="split-side"><RefusalBanner error={error} /></aside>;
  if (!detail) return <aside className="split-side muted">Loading…</aside>;

  const d = detail.declaration as unknown as Declaration;
  return (
    <aside className="split-side" data-testid="federation-detail" aria-label={`Declaration of ${id}`}>
      <div className="card-title-row">
        <h3 className="detail-title"><span className="mono">{id}</span> <StateBadge state={detail.summary.state} /></h3>
      </div>
      <FederationActions summary={detail.summary} own={own} onAmend={() => onAmend(id)} />
      <div className="tabs" role="tablist" aria-label="Federation">
        {(['declaration', 'versions', 'raw'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)} data-testid={`detail-tab-${name}`}>
            {name === 'declaration' ? `Declaration v${detail.summary.version}` : name === 'versions' ? `Versions (${detail.versions.length})` : 'Raw document'}
          </button>
        ))}
      </div>
      {tab === 'versions' && <Versions id={id} versions={detail.versions} />}
      {tab === 'raw' && <pre className="mono json" data-testid="raw-declaration">{JSON.stringify(detail.declaration, null, 2)}</pre>}
      {tab === 'declaration' && (
      <>
      <p>{d.purpose}</p>
      <h3>Signatures</h3>
      <ul className="signatures" data-testid="signature-status">
        {detail.summary.partners.map((p) => (
          <li key={p.mesh}>
            <span className="mono">{p.mesh}</span> {p.releaseAuthority}:{' '}
            {p.withdrawn ? <span className="badge badge-bad">withdrew</span> : <span className={`badge ${p.signature === 'signed' ? 'badge-ok' : 'badge-warn'}`}>{p.signature === 'signed' ? 'signed' : 'signature missing'}</span>}
          </li>
        ))}
      </ul>
      <h3>Terms</h3>
      <dl className="facts">
        <dt>Valid from</dt>
        <dd>{when(d.validity.start)}</dd>
        <dt>until</dt>
        <dd>{when(d.validity.expires)}</dd>
        <dt>Digest</dt>
        <dd className="mono" title="SHA-256 of the canonical declaration every partner signs">{detail.digest.slice(0, 32)}…</dd>
        <dt>Versions</dt>
        <dd>{detail.versions.map((v) => `v${v.version} ${v.complete ? 'signed by all' : 'incomplete'}`).join(' · ')}</dd>
        <dt>Arbitration</dt>
        <dd>{d.arbitration.policy}; above {Math.round(d.arbitration.divergenceThreshold * 100)} % divergence a human decides</dd>
        <dt>After disconnection</dt>
        <dd>first {d.resynchronisation.priority.join(', ') || 'by time'}; at most {formatCount(d.resynchronisation.backlogLimit)} queued; nothing older than {duration(d.resynchronisation.maxAgeSeconds)}</dd>
        <dt>Silence tolerated</dt>
        <dd>{duration(d.silenceToleranceSeconds)}</dd>
      </dl>
      <h3>Partners</h3>
      <ul className="sources">
        {d.partners.map((p) => (
          <li key={p.mesh}>
            {p.card.displayName ?? p.mesh} (<span className="mono">{p.mesh}</span>), released by {p.releaseAuthority}
            <div className="mono muted" title="trust anchor SHA-256">{p.card.trustAnchor.sha256.slice(0, 32)}…</div>
          </li>
        ))}
      </ul>
      <h3>Scope</h3>
      <table className="table" data-testid="federation-scope">
        <thead>
          <tr>
            <th scope="col">From → to</th>
            <th scope="col">Classes</th>
            <th scope="col">Ceiling</th>
            <th scope="col">Caveats · onward release</th>
          </tr>
        </thead>
        <tbody>
          {d.scope.map((rule) => (
            <tr key={`${rule.from}-${rule.to}`}>
              <td className="nowrap">{rule.from} → {rule.to}</td>
              <td>{rule.classes.join(', ')}</td>
              <td className="nowrap">{rule.ceiling.policy} {rule.ceiling.classification}</td>
              <td>{[...rule.caveats, `onward: ${rule.onwardRelease}`].join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.disconnectionWindows.length > 0 && (
        <>
          <h3>Declared silences</h3>
          <ul className="sources">
            {d.disconnectionWindows.map((w) => (
              <li key={`${w.partner}-${w.start}`}>{w.partner}: {when(w.start)} → {when(w.end)} ({w.reason})</li>
            ))}
          </ul>
        </>
      )}
      <h3>On exit</h3>
      <ul className="sources" data-testid="federation-exit">
        {d.exit.map((rule) => (
          <li key={rule.class}>
            {rule.class}: {rule.action}{rule.handling ? ` (${rule.handling})` : ''}; derived products {rule.derived}
          </li>
        ))}
      </ul>
      </>
      )}
    </aside>
  );
}

/** Any two versions on record, compared field by field; the newest against the one before by default. */
function Versions({ id, versions }: { id: string; versions: readonly { version: number; digest: string; complete: boolean }[] }) {
  const newest = versions.at(-1)?.version ?? 1;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const before = useContract('getFederationVersion', { federation: id, version: from });
  const after = useContract('getFederationVersion', { federation: id, version: to });
  const pick = (value: number, set: (n: number) => void, label: string) => (
    <label>
      {label}{' '}
      <select value={value} onChange={(event) => set(Number(event.target.value))} data-testid={`diff-${label}`}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version} {v.complete ? '(signed by all)' : '(incomplete)'}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div data-testid="versions">
      <ul className="sources">
        {versions.map((v) => (
          <li key={v.version}>
            v{v.version} <span className="mono muted" title="SHA-256 of the canonical declaration">{v.digest.slice(0, 16)}…</span> {v.complete ? 'signed by every partner' : 'not signed by every partner'}
          </li>
        ))}
      </ul>
      {versions.length > 1 && (
        <>
          <div className="filters">
            {pick(from, setFrom, 'from')}
            {pick(to, setTo, 'to')}
          </div>
          {before.error && <RefusalBanner error={before.error} />}
          {after.error && <RefusalBanner error={after.error} />}
          {before.data && after.data && <DiffTable before={before.data.declaration} after={after.data.declaration} beforeLabel={`v${from}`} afterLabel={`v${to}`} />}
        </>
      )}
    </div>
  );
}
