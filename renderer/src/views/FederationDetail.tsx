/** One federation's declaration in full: partners, scope, validity, arbitration, resynchronisation, silences, exit. */
import { useEffect, useState } from 'react';
import type { MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';

type Detail = MethodResult<'getFederation'>;

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

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function FederationDetail({ id, refreshKey }: { id: string | null; refreshKey: string }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    // The parent keys this component by id, so a new selection starts from empty state.
    let current = true;
    unwrap(bridge().getFederation({ federation: id }))
      .then((result) => current && setDetail(result))
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [id, refreshKey]);

  if (!id) return <aside className="split-side empty">Select a federation to read its declaration.</aside>;
  if (error) return <aside className="split-side"><div role="alert" className="banner banner-error">{error}</div></aside>;
  if (!detail) return <aside className="split-side muted">Loading…</aside>;

  const d = detail.declaration as unknown as Declaration;
  return (
    <aside className="split-side" data-testid="federation-detail" aria-label={`Declaration of ${id}`}>
      <h3>Declaration v{detail.summary.version}</h3>
      <p>{d.purpose}</p>
      <dl className="facts">
        <dt>Valid</dt>
        <dd>{when(d.validity.start)} → {when(d.validity.expires)}</dd>
        <dt>Digest</dt>
        <dd className="mono" title="SHA-256 of the canonical declaration every partner signs">{detail.digest.slice(0, 32)}…</dd>
        <dt>Versions</dt>
        <dd>{detail.versions.map((v) => `v${v.version} ${v.complete ? 'signed by all' : 'incomplete'}`).join(' · ')}</dd>
        <dt>Arbitration</dt>
        <dd>{d.arbitration.policy}; above {Math.round(d.arbitration.divergenceThreshold * 100)} % divergence a human decides</dd>
        <dt>After disconnection</dt>
        <dd>first {d.resynchronisation.priority.join(', ') || 'by time'}; at most {d.resynchronisation.backlogLimit.toLocaleString('en')} queued; nothing older than {Math.round(d.resynchronisation.maxAgeSeconds / 3600)} h</dd>
        <dt>Silence tolerated</dt>
        <dd>{d.silenceToleranceSeconds} s</dd>
      </dl>
      <h3>Partners</h3>
      <ul className="sources">
        {d.partners.map((p) => (
          <li key={p.mesh}>
            <span className="mono">{p.mesh}</span> {p.card.displayName ?? ''} — released by {p.releaseAuthority}
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
      <details>
        <summary>The declaration as signed (JSON)</summary>
        <pre className="mono json">{JSON.stringify(detail.declaration, null, 2)}</pre>
      </details>
    </aside>
  );
}
