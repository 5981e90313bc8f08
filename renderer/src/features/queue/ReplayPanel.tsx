/**
 * What-if (docs/decisions/0007): the picture replayed under a draft declaration's arbitration —
 * a version of a federation held here (a draft proposed but not yet signed, say), edited here if
 * need be — beside the rules in force; the fields whose winner would differ. Nothing is written.
 */
import { useEffect, useState } from 'react';
import type { ContractError, MethodResult } from '../../../../core/api/index.js';
import { callCore } from '../../shared/call.js';
import { formatCount } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import type { QueueItemDetail } from './queue-pages.js';

type Report = MethodResult<'replayPolicy'>;

export function ReplayPanel({ item }: { item: QueueItemDetail }) {
  const federations = useContract('listFederations', {}).data?.federations ?? [];
  const [federation, setFederation] = useState('');
  const chosen = federation || federations[0]?.id || '';
  const detail = useContract('getFederation', chosen === '' ? null : { federation: chosen });
  const versions = detail.data?.versions ?? [];
  const [version, setVersion] = useState<number | null>(null);
  const pick = version ?? versions.at(-1)?.version ?? null;
  const [text, setText] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  // The chosen version's declaration, as the draft to edit.
  useEffect(() => {
    if (chosen === '' || pick === null) return;
    let current = true;
    void callCore('getFederationVersion', { federation: chosen, version: pick }).then((answer) => {
      if (!current) return;
      if (answer.ok) setText(JSON.stringify(answer.value.declaration, null, 2));
      else setError(answer.error);
    });
    return () => {
      current = false;
    };
  }, [chosen, pick]);

  const run = async () => {
    setBusy(true);
    const answer = await callCore('replayPolicy', { policyText: text });
    setBusy(false);
    setReport(answer.ok ? answer.value : null);
    setError(answer.ok ? null : answer.error);
  };

  const meshOf = (id: string | null) => (id === null ? null : (item.competing.find((c) => c.id === id)?.mesh ?? null));
  const side = (s: Report['differences'][number]['current']) => (s.observation === null ? <span className="muted">— ({s.state})</span> : <><span className="mono">{meshOf(s.observation) ?? ''} {s.observation.slice(0, 8)}</span> <span className="muted">({s.state})</span></>);

  return (
    <div className="replay" data-testid="replay">
      <div className="toolbar">
        <label className="inline-field">
          Federation
          <select value={chosen} onChange={(e) => (setFederation(e.target.value), setVersion(null))} data-testid="replay-federation">
            {federations.map((f) => (
              <option key={f.id} value={f.id}>{f.id}</option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Version
          <select value={pick ?? ''} onChange={(e) => setVersion(Number(e.target.value))} data-testid="replay-version">
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}{v.complete ? ' (signed by all)' : ' (draft)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>Draft declaration (JSON) — edit its <code>arbitration</code> to try another policy</span>
        <textarea className="mono replay-text" value={text} onChange={(e) => setText(e.target.value)} rows={8} spellCheck={false} data-testid="replay-policy" />
      </label>
      <button type="button" className="primary" onClick={() => void run()} disabled={busy || text.trim() === ''} data-testid="replay-run">
        {busy ? 'Replaying…' : 'Replay'}
      </button>
      {error && <RefusalBanner error={error} />}
      {report && (
        <div data-testid="replay-report">
          <p>
            Replayed {formatCount(report.subjects)} subject(s), {formatCount(report.observations)} observation(s): <strong data-testid="replay-found">{formatCount(report.found)} difference(s)</strong>
            {report.found > report.differences.length && ` (the first ${formatCount(report.differences.length)} shown)`}. Nothing was written.
          </p>
          {report.differences.length > 0 && (
            <table className="table table-compact" aria-label="Replay differences">
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Field</th>
                  <th scope="col">In force</th>
                  <th scope="col">Under the draft</th>
                </tr>
              </thead>
              <tbody>
                {report.differences.map((d) => (
                  <tr key={`${d.subject}/${d.field ?? ''}`} className={d.subject === item.subject ? 'replay-this' : undefined} data-testid="replay-difference">
                    <td className="mono">{d.subject}</td>
                    <td>{d.field ?? <span className="muted">state</span>}</td>
                    <td>{side(d.current)}</td>
                    <td>{side(d.replayed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
