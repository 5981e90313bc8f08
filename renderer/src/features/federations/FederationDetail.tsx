/** One federation's declaration in full: partners, scope, validity, arbitration, resynchronisation, silences, exit. */
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { FEDERATION_EVENTS } from './federation-events.js';

/** The declaration as the console reads it: the contract carries it as plain JSON. */
interface Declaration {
  purpose: string;
  partners: { mesh: string; releaseAuthority: string; card: { trustAnchor: { sha256: string }; displayName?: string } }[];
  scope: { from: string; to: string; classes: string[]; ceiling: { policy: string; classification: string }; caveats: string[]; onwardRelease: string }[];
  validity: { start: string; expires: string };
  arbitration: { policy?: string; rules?: unknown[]; default?: { kind: string }; divergenceThreshold: number };
  resynchronisation: { priority: string[]; backlogLimit: number; maxAgeSeconds: number };
  silenceToleranceSeconds: number;
  disconnectionWindows: { partner: string; start: string; end: string; reason: string }[];
  exit: { class: string; action: string; handling?: string; derived: string }[];
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** The parent keys this by id, so a new selection starts from "Loading…", not from the last declaration. */
export function FederationDetail({ id }: { id: string | null }) {
  const { data: detail, error } = useContract('getFederation', id === null ? null : { federation: id }, { refreshOn: FEDERATION_EVENTS });

  if (!id) return <aside className="split-side empty">Select a federation to read its declaration.</aside>;
  if (error) return <aside className="split-side"><RefusalBanner error={error} /></aside>;
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
        <dd>{d.arbitration.policy ?? d.arbitration.default?.kind}{d.arbitration.rules?.length ? ` after ${d.arbitration.rules.length} declared rule(s)` : ''}; above {Math.round(d.arbitration.divergenceThreshold * 100)} % divergence a human decides</dd>
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
