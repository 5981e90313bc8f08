/**
 * A small lineage graph of the subject: the competing observations with one step of their
 * sources and what was derived from them (a decision, once made), drawn by the lineage view's
 * own canvas, bounded to a few dozen nodes. The full graph is one click away.
 */
import { useCallback, useMemo, useState } from 'react';
import { formatRoute } from '../../app/route.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { useReportedMarkings } from '../../shared/classification/Marking.js';
import { EMPTY_GRAPH, mergeLineage } from '../lineage/graph-model.js';
import { LineageCanvas } from '../lineage/lazy.js';
import { QUEUE_EVENTS } from './queue-pages.js';

export const LINEAGE_NODES = 60;

export function SubjectLineage({ ids }: { ids: readonly string[] }) {
  const answer = useContract('getLineage', ids.length === 0 ? null : { ids: [...ids], depth: 1, direction: 'both', maxNodes: LINEAGE_NODES }, { refreshOn: QUEUE_EVENTS });
  const model = useMemo(() => (answer.data ? mergeLineage(EMPTY_GRAPH, answer.data) : EMPTY_GRAPH), [answer.data]);
  useReportedMarkings(model.markings);
  const [selected, setSelected] = useState<string | null>(null);
  const onReady = useCallback(() => undefined, []);
  if (answer.error) return <RefusalBanner error={answer.error} />;
  return (
    <div className="queue-lineage" data-testid="queue-lineage">
      <LineageCanvas model={model} selected={selected} path={[]} onSelect={setSelected} onReady={onReady} />
      <p className="muted small">
        {model.nodes.size} node{model.nodes.size === 1 ? '' : 's'}, one step each way{answer.data?.truncated ? ` (bounded to ${LINEAGE_NODES})` : ''}.{' '}
        <a href={formatRoute({ view: 'lineage', item: selected ?? ids[0] ?? null })}>Open in the lineage graph</a>
      </p>
    </div>
  );
}
