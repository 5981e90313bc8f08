/**
 * The lineage graph's entry points, loaded on first use: Cytoscape and dagre are the console's
 * largest dependencies, and the queue and observations tables should not wait while the browser
 * compiles them (issue 16, "Speed": time to first rows). The frame and the queue's detail pane
 * import these; the chunk is fetched from the same origin the console is served from.
 */
import { lazy, Suspense, type ComponentProps } from 'react';

const ViewChunk = lazy(() => import('./LineageView.js').then((module) => ({ default: module.LineageView })));
const CanvasChunk = lazy(() => import('./LineageCanvas.js').then((module) => ({ default: module.LineageCanvas })));

const loading = <p className="muted">Loading the lineage graph…</p>;

export function LineageView(props: ComponentProps<typeof ViewChunk>) {
  return (
    <Suspense fallback={loading}>
      <ViewChunk {...props} />
    </Suspense>
  );
}

export function LineageCanvas(props: ComponentProps<typeof CanvasChunk>) {
  return (
    <Suspense fallback={loading}>
      <CanvasChunk {...props} />
    </Suspense>
  );
}
