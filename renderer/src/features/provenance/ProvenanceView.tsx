/**
 * The provenance browser (issue 16): from an observation (in the URL), its chain — each step's
 * originating mesh and device under whose authority it was signed, how it crossed (agent, bundle
 * or link session, federation version, the translation with its attestations and alternative
 * label), its derivation, taint and quarantine decisions, and every log entry naming it, read
 * against the log's last verification. Each source links to its own chain.
 */
import { useState } from 'react';
import { callCore } from '../../shared/call.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { instant, plural } from '../../shared/format.js';
import { useContract } from '../../shared/use-contract.js';
import { AfterActionExport } from './AfterActionExport.js';
import { ProvenanceSearch } from './ProvenanceSearch.js';
import { ChainStep } from './ChainStep.js';

/** Steps opened at once; the rest wait behind "show more" (each asks the core for its record). */
const PAGE = 25;

export function ProvenanceView({ id }: { id: string | null }) {
  const chain = useContract('getProvenance', id ? { id } : null, { refreshOn: ['observationsAdmitted', 'crossingChanged', 'auditAppended'] });
  const log = useContract('getAuditLogState', {}, { refreshOn: ['auditAppended'] });
  const [shown, setShown] = useState(PAGE);
  const [verifying, setVerifying] = useState(false);
  if (!id) return <ProvenanceSearch />;
  const verification = log.data?.verification ?? null;
  const verify = async () => {
    setVerifying(true);
    await callCore('verifyAuditLog', {});
    setVerifying(false);
    await log.reload();
  };
  const nodes = chain.data?.nodes ?? [];

  return (
    <div className="stack" data-testid="provenance">
      {chain.error && <RefusalBanner error={chain.error} />}
      <section className="card" aria-label="The log these entries are read from">
        <div className="card-title-row">
          <h2>Log</h2>
          <button type="button" onClick={() => void verify()} disabled={verifying} data-testid="verify-log">
            {verifying ? 'Verifying…' : 'Verify the log now'}
          </button>
        </div>
        <p className="small" data-testid="log-verification">
          {log.data && `${plural(log.data.entries, 'entry', 'entries')} in this workspace's log. `}
          {verification === null ? (
            <span className="muted">Not verified in this session: verify it before relying on the entries below.</span>
          ) : verification.ok ? (
            <span><span className="badge badge-ok">verified</span> every entry's hash chain and checkpoint at {instant(verification.verifiedAt)} ({plural(verification.entries, 'entry', 'entries')}).</span>
          ) : (
            <span><span className="badge badge-bad">failed</span> {plural(verification.failures.length, 'failure')} at {instant(verification.verifiedAt)}: {verification.failures[0]?.reason}</span>
          )}
        </p>
        <p className="small muted">
          <a href="#/provenance">Search the provenance</a> · <a href={`#/lineage/${id}`}>Open this chain as a graph</a>
          {chain.data && ` · ${plural(nodes.length, 'step')}${chain.data.unresolved.length > 0 ? `, ${plural(chain.data.unresolved.length, 'unresolved source')}` : ''}${chain.data.truncated ? ' (cut at the size bound)' : ''}`}
        </p>
      </section>
      {chain.data && <AfterActionExport criteria={{ ids: [id] }} what="this chain" />}
      <ol className="chain" aria-label="Provenance chain, the observation first, then its sources">
        {nodes.slice(0, shown).map((node, index) => (
          <ChainStep key={node.id} node={node} index={index} verification={verification} />
        ))}
      </ol>
      {nodes.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + PAGE)}>Show {Math.min(PAGE, nodes.length - shown)} more of {nodes.length - shown}</button>
      )}
    </div>
  );
}
