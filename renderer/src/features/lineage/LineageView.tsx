/**
 * The lineage graph (issue 16, "Lineage graph"): from an observation (in the URL), its sources
 * and what was derived from it, `depth` steps each way; each node expands further by the same
 * steps; two nodes chosen as ends focus the path between them; a click shows a node's details;
 * PNG and SVG exports. The core bounds every answer (getLineage, at most 5,000 observations).
 */
import type { Core } from 'cytoscape';
import { useCallback, useMemo, useRef, useState } from 'react';
import { callCore } from '../../shared/call.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { formatCount } from '../../shared/format.js';
import type { ContractError } from '../../../../core/api/index.js';
import { navigate } from '../../app/route.js';
import { download, graphPng, graphSvg } from './export.js';
import { useReportedMarkings } from '../../shared/classification/Marking.js';
import { EMPTY_GRAPH, mergeLineage, type LineageAnswer } from './graph-model.js';
import { useContract } from '../../shared/use-contract.js';
import { LineageCanvas } from './LineageCanvas.js';
import { LineageLegend } from './LineageLegend.js';
import { LineagePicker } from './LineagePicker.js';
import { NodeDetail } from './NodeDetail.js';
import { pathBetween } from './path.js';

type Direction = 'ancestors' | 'descendants' | 'both';

export function LineageView({ focus }: { focus: string | null }) {
  if (!focus) return <LineagePicker />;
  // Keyed by the focus: another observation starts a fresh graph, selection and path.
  return <LineageGraphView key={focus} focus={focus} />;
}

function LineageGraphView({ focus }: { focus: string }) {
  const [depth, setDepth] = useState(2);
  const [direction, setDirection] = useState<Direction>('both');
  const [maxNodes, setMaxNodes] = useState(1000);
  // What the drawing starts from: the controls as they were when the officer last asked.
  const [base, setBase] = useState({ ids: [focus], depth: 2, direction: 'both' as Direction, maxNodes: 1000 });
  const initial = useContract('getLineage', base);
  const [expansions, setExpansions] = useState<readonly LineageAnswer[]>([]);
  const model = useMemo(() => expansions.reduce(mergeLineage, initial.data ? mergeLineage(EMPTY_GRAPH, initial.data) : EMPTY_GRAPH), [initial.data, expansions]);
  useReportedMarkings(model.markings);
  const [selected, setSelected] = useState<string | null>(focus);
  const [ends, setEnds] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const [path, setPath] = useState<string[] | null>(null);
  const [expandError, setExpandError] = useState<ContractError | null>(null);
  const [expanding, setExpanding] = useState(false);
  const cy = useRef<Core | null>(null);
  const onReady = useCallback((instance: Core | null) => (cy.current = instance), []);
  const busy = initial.status === 'loading' || expanding;
  const error = initial.error ?? expandError;

  const expand = async (id: string, which: Direction) => {
    setExpanding(true);
    const answer = await callCore('getLineage', { ids: [id], depth, direction: which, maxNodes });
    setExpanding(false);
    if (!answer.ok) return setExpandError(answer.error);
    setExpandError(null);
    setExpansions((current) => [...current, answer.value]);
  };

  const redraw = () => {
    setExpansions([]);
    setPath(null);
    setEnds({ from: null, to: null });
    setBase({ ids: [focus], depth, direction, maxNodes });
  };

  const chooseEnd = (end: 'from' | 'to', id: string) => {
    const next = { ...ends, [end]: id };
    setEnds(next);
    setPath(next.from && next.to && cy.current ? (pathBetween(cy.current, next.from, next.to) ?? []) : null);
  };

  const node = selected ? (model.nodes.get(selected) ?? null) : null;

  return (
    <div className="stack" data-testid="lineage">
      <div className="toolbar lineage-toolbar">
        <label className="inline-field">
          Steps <input type="number" min={1} max={200} value={depth} onChange={(e) => setDepth(Math.max(1, Math.min(200, Number(e.target.value) || 1)))} data-testid="lineage-depth" />
        </label>
        <label className="inline-field">
          Direction{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)} data-testid="lineage-direction">
            <option value="both">sources and derived</option>
            <option value="ancestors">sources only</option>
            <option value="descendants">derived only</option>
          </select>
        </label>
        <label className="inline-field">
          At most{' '}
          <select value={maxNodes} onChange={(e) => setMaxNodes(Number(e.target.value))} data-testid="lineage-max">
            <option value={200}>200</option>
            <option value={1000}>1,000</option>
            <option value={5000}>5,000</option>
          </select>{' '}
          observations
        </label>
        <button type="button" className="primary" onClick={redraw} data-testid="lineage-reload">
          Draw again
        </button>
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => cy.current?.fit(undefined, 24)}>Fit</button>
        <button type="button" onClick={() => cy.current && download('lineage.png', graphPng(cy.current))} data-testid="lineage-export-png">Export PNG</button>
        <button type="button" onClick={() => cy.current && download('lineage.svg', new Blob([graphSvg(cy.current)], { type: 'image/svg+xml' }))} data-testid="lineage-export-svg">Export SVG</button>
      </div>
      {error && <RefusalBanner error={error} />}
      <p className="muted lineage-summary" data-testid="lineage-summary" aria-live="polite">
        {busy ? 'Asking the core…' : `${formatCount(model.nodes.size)} nodes, ${formatCount(model.edges.size)} edges`}
        {model.truncated && <strong className="unresolved"> · stopped at the size bound: expand from a node to see more</strong>}
        {path && (path.length === 0 ? <span data-testid="lineage-path"> · no path between the chosen ends</span> : <span data-testid="lineage-path"> · path of {Math.floor(path.length / 2)} steps in focus</span>)}
      </p>
      <div className="split lineage-split">
        <div>
          <LineageCanvas model={model} selected={selected} path={path ?? []} onSelect={setSelected} onReady={onReady} />
          <LineageLegend model={model} />
        </div>
        <aside className="split-side" aria-label="Selected node">
          <NodeDetail
            node={node}
            ends={ends}
            onExpand={(which) => node && void expand(node.observation, which)}
            onEnd={(end) => node && chooseEnd(end, node.id)}
            onClearPath={() => {
              setEnds({ from: null, to: null });
              setPath(null);
            }}
            onRecentre={() => node && navigate({ view: 'lineage', item: node.observation })}
          />
        </aside>
      </div>
    </div>
  );
}
