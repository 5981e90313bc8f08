/**
 * The Cytoscape canvas of the lineage graph, laid out in layers by dagre (sources above what was
 * derived from them), with a canvas minimap of the whole graph and the viewport on it. It adds
 * what the model gained and lays out again; `data-layout-ms` tells how long the last layout took
 * (the e2e reads it for the 5,000-node figure).
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { useEffect, useRef, useState } from 'react';
import { LINEAGE_STYLE } from './cy-style.js';
import { layeredPositions } from './layered.js';
import { meshColour, SHAPES, type GraphModel, type LineageNode } from './graph-model.js';
import { Minimap } from './Minimap.js';

cytoscape.use(dagre);

/** Above this many nodes dagre's ordering takes seconds to minutes (layered.ts); the fast layered layout takes over. */
export const DAGRE_MAX_NODES = 400;

const PADDING = 24;

/**
 * The fast layered layout, fitted from the positions it computed: Cytoscape's own fit measures
 * every label's box, which at 5,000 nodes costs more than the layout.
 */
function fastLayered(cy: Core): cytoscape.Layouts {
  const positions = layeredPositions(cy.nodes().map((n) => n.id()), cy.edges().map((e) => ({ from: e.source().id(), to: e.target().id() })), { nodeSep: 44, rankSep: 60 });
  const layout = cy.layout({ name: 'preset', positions: (node: cytoscape.NodeSingular) => positions.get(node.id()) ?? { x: 0, y: 0 }, fit: false, animate: false } as cytoscape.LayoutOptions);
  layout.one('layoutstop', () => fitPositions(cy, positions.values()));
  return layout;
}

function fitPositions(cy: Core, positions: Iterable<{ x: number; y: number }>): void {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { x, y } of positions) {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  }
  if (!Number.isFinite(x1)) return;
  const zoom = Math.min((cy.width() - 2 * PADDING) / Math.max(x2 - x1, 1), (cy.height() - 2 * PADDING) / Math.max(y2 - y1, 1));
  const clamped = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom));
  cy.viewport({ zoom: clamped, pan: { x: cy.width() / 2 - ((x1 + x2) / 2) * clamped, y: cy.height() / 2 - ((y1 + y2) / 2) * clamped } });
}

/** Longest label drawn; cut here rather than by Cytoscape's ellipsis, which measures a label once per character. */
const LABEL_CHARS = 18;
const shortLabel = (label: string) => (label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1)}…`);

/**
 * Cytoscape adds a one-rule <style> element unless one with this id exists; the console's
 * content security policy (style-src 'self') refuses inline styles, so the rule lives in
 * styles.css and an empty marker with that id stands in for the element.
 */
function markCytoscapeStylesheet(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-container-style-in-styles-css';
  document.head.appendChild(marker);
}

function classesOf(node: LineageNode): string {
  return [node.tainted && 'tainted', node.quarantine && 'quarantined', node.found === 'unresolved' && 'unresolved', (node.more.ancestors || node.more.descendants) && 'more'].filter(Boolean).join(' ');
}

export function elementOf(node: LineageNode): ElementDefinition {
  return { group: 'nodes', data: { id: node.id, kind: node.kind, shape: SHAPES[node.kind], colour: meshColour(node.mesh), label: shortLabel(node.label) }, classes: classesOf(node) };
}

interface Props {
  readonly model: GraphModel;
  readonly selected: string | null;
  readonly path: readonly string[];
  readonly onSelect: (id: string | null) => void;
  readonly onReady: (cy: Core | null) => void;
}

export function LineageCanvas({ model, selected, path, onSelect, onReady }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [cy, setCy] = useState<Core | null>(null);
  const [layoutMs, setLayoutMs] = useState<number | null>(null);
  const [layouts, setLayouts] = useState(0);

  useEffect(() => {
    markCytoscapeStylesheet();
    const instance = cytoscape({
      container: container.current,
      style: LINEAGE_STYLE,
      wheelSensitivity: 0.3,
      minZoom: 0.02,
      maxZoom: 4,
      // Large graphs pan from a texture and without edges, so a frame stays cheap at 5,000 nodes.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      hideLabelsOnViewport: true,
      pixelRatio: 1,
      // Motion blur redraws the graph for frames after a pan ends: at 5,000 nodes a second each.
      motionBlur: false,
      selectionType: 'single',
    });
    instance.on('tap', 'node', (event) => onSelect(event.target.id() as string));
    instance.on('tap', (event) => {
      if (event.target === instance) onSelect(null);
    });
    setCy(instance);
    onReady(instance);
    return () => {
      onReady(null);
      instance.destroy();
    };
  }, [onSelect, onReady]);

  // Adds what is new, refreshes what changed, and lays the whole graph out again.
  useEffect(() => {
    if (!cy) return;
    const started = performance.now();
    cy.batch(() => {
      const add: ElementDefinition[] = [];
      for (const node of model.nodes.values()) {
        const present = cy.getElementById(node.id);
        if (present.nonempty()) {
          present.classes(classesOf(node));
          present.data('label', shortLabel(node.label));
        } else add.push(elementOf(node));
      }
      for (const [key, edge] of model.edges) {
        if (cy.getElementById(key).empty() && model.nodes.has(edge.from) && model.nodes.has(edge.to)) add.push({ group: 'edges', data: { id: key, source: edge.from, target: edge.to, kind: edge.kind } });
      }
      cy.add(add);
    });
    if (cy.nodes().empty()) return;
    // Nodes sit a label's width apart (18 characters at 9 px), so neighbours' labels never overlap.
    const layout = cy.nodes().length <= DAGRE_MAX_NODES
      ? cy.layout({ name: 'dagre', rankDir: 'TB', nodeSep: 96, rankSep: 46, edgeSep: 6, animate: false, fit: true, padding: 24 } as cytoscape.LayoutOptions)
      : fastLayered(cy);
    layout.one('layoutstop', () => {
      // A small graph fitted to the canvas would be drawn at four times its size: keep it at reading size.
      if (cy.zoom() > 1.25) {
        cy.zoom(1.25);
        cy.center();
      }
      setLayoutMs(Math.round(performance.now() - started));
      setLayouts((n) => n + 1);
    });
    layout.run();
  }, [cy, model]);

  useEffect(() => {
    if (!cy) return;
    cy.nodes(':selected').unselect();
    if (selected) cy.getElementById(selected).select();
  }, [cy, selected]);

  /** Whether a path is drawn now: with none before and none asked, the 10,000 elements of a large graph are not restyled. */
  const pathShown = useRef(false);
  useEffect(() => {
    if (!cy) return;
    if (path.length === 0 && !pathShown.current) return;
    pathShown.current = path.length > 0;
    cy.batch(() => {
      cy.elements().removeClass('faded on-path');
      if (path.length === 0) return;
      const on = cy.collection();
      for (const id of path) on.merge(cy.getElementById(id));
      on.addClass('on-path');
      cy.elements().difference(on).addClass('faded');
    });
  }, [cy, path, layouts]);

  return (
    <div className="lineage-stage">
      <div
        ref={container}
        className="lineage-canvas"
        data-testid="lineage-canvas"
        data-nodes={cy ? model.nodes.size : 0}
        data-layouts={layouts}
        data-layout-ms={layoutMs ?? ''}
        role="img"
        aria-label={`Lineage graph: ${model.nodes.size} nodes, ${model.edges.size} edges. The detail pane beside it lists the selected node; the graph's nodes are also reachable from the provenance browser.`}
      />
      {cy && <Minimap cy={cy} layouts={layouts} />}
    </div>
  );
}
