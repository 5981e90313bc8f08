/** The selected node of the lineage graph: what it is, whose, its standing, and what the officer can do from it. */
import { Marking } from '../../shared/classification/Marking.js';
import { instant } from '../../shared/format.js';
import { AppSymbol } from '../../shared/symbols/AppSymbol.js';
import { useContract } from '../../shared/use-contract.js';
import { KIND_LABELS, type LineageNode } from './graph-model.js';

interface Props {
  readonly node: LineageNode | null;
  readonly ends: { readonly from: string | null; readonly to: string | null };
  readonly onExpand: (direction: 'ancestors' | 'descendants') => void;
  readonly onEnd: (end: 'from' | 'to') => void;
  readonly onClearPath: () => void;
  readonly onRecentre: () => void;
}

export function NodeDetail({ node, ends, onExpand, onEnd, onClearPath, onRecentre }: Props) {
  // The observation's own summary, for its APP-6 symbol (from the SIDC in its payload).
  const held = useContract('getObservation', node && node.found !== 'unresolved' ? { id: node.observation } : null);
  const pathPart = (ends.from || ends.to) && (
    <p className="small" data-testid="lineage-ends">
      Path ends: <span className="mono">{ends.from?.slice(-12) ?? '—'}</span> → <span className="mono">{ends.to?.slice(-12) ?? '—'}</span>{' '}
      <button type="button" className="link" onClick={onClearPath}>clear</button>
    </p>
  );
  if (!node) {
    return (
      <div data-testid="lineage-detail">
        <p className="muted">Select a node to see what it is. Dotted rings mark nodes with more lineage beyond what is drawn.</p>
        {pathPart}
      </div>
    );
  }
  return (
    <div data-testid="lineage-detail">
      <h3 className="detail-title">
        {held.data && <AppSymbol sidc={held.data.summary.sidc} cls={held.data.summary.class} size={28} />} {KIND_LABELS[node.kind]} · {node.label}
      </h3>
      <dl className="facts">
        <dt>Mesh</dt>
        <dd>{node.mesh ?? 'not held here'}</dd>
        {held.data && (
          <>
            <dt>Label</dt>
            <Marking as="dd" text={held.data.summary.marking} data-testid="lineage-marking" />
          </>
        )}
        {node.at && (
          <>
            <dt>When</dt>
            <dd>{instant(node.at)}</dd>
          </>
        )}
        <dt>Standing</dt>
        <dd data-testid="lineage-standing">
          {node.found === 'unresolved' ? <span className="unresolved">unresolved reference</span> : node.tainted ? <span className="badge badge-bad">tainted: {node.tainted}</span> : 'verified lineage'}
          {node.quarantine && <span className="badge badge-warn"> quarantine: {node.quarantine}</span>}
        </dd>
        <dt>Observation</dt>
        <dd className="mono small">{node.observation}</dd>
      </dl>
      <p className="small">{node.detail}</p>
      <div className="toolbar">
        <button type="button" onClick={() => onExpand('ancestors')} disabled={!node.more.ancestors} data-testid="expand-ancestors">Expand sources</button>
        <button type="button" onClick={() => onExpand('descendants')} disabled={!node.more.descendants} data-testid="expand-descendants">Expand derived</button>
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => onEnd('from')} data-testid="path-from">Path from here</button>
        <button type="button" onClick={() => onEnd('to')} data-testid="path-to">Path to here</button>
      </div>
      {pathPart}
      <div className="toolbar">
        <button type="button" className="link" onClick={onRecentre}>Draw around this node</button>
        {node.found !== 'unresolved' && <a href={`#/provenance/${node.observation}`} data-testid="open-provenance">Provenance chain</a>}
      </div>
    </div>
  );
}
