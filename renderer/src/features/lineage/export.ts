/** The lineage graph's exports: PNG as Cytoscape renders it, SVG from the laid-out positions (svg-export.ts); saved through the browser's download, never the file system. */
import type { Core } from 'cytoscape';
import { COLOURS } from './cy-style.js';
import type { SHAPES } from './graph-model.js';
import { lineageSvg, type SvgEdge, type SvgNode } from './svg-export.js';

export function graphPng(cy: Core): Blob {
  // Capped: a 5,000-node graph drawn whole at full scale would be a canvas the browser refuses.
  return cy.png({ output: 'blob', full: true, bg: '#0d141b', maxWidth: 6000, maxHeight: 6000 });
}

export function graphSvg(cy: Core): string {
  const nodes: SvgNode[] = cy.nodes().map((node) => {
    const { x, y } = node.position();
    const stroke = node.hasClass('tainted') ? COLOURS.tainted : node.hasClass('quarantined') ? COLOURS.quarantined : node.hasClass('unresolved') ? '#8a9bab' : COLOURS.outline;
    return {
      x, y, width: node.width(), height: node.height(),
      shape: node.data('shape') as (typeof SHAPES)[keyof typeof SHAPES],
      fill: node.data('colour') as string,
      stroke,
      dashed: node.hasClass('tainted') || node.hasClass('unresolved'),
      label: String(node.data('label') ?? ''),
    };
  });
  const edges: SvgEdge[] = cy.edges().map((edge) => ({ from: edge.source().position(), to: edge.target().position(), toRadius: edge.target().height() / 2 + 2 }));
  return lineageSvg(nodes, edges);
}

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
