/**
 * How Cytoscape draws the lineage: shape by kind, fill by mesh, a dashed red outline for a
 * tainted node, a double amber one for a quarantined node, grey and dashed for an unresolved
 * reference; a path in focus stays bright while the rest fades.
 */
import type { StylesheetJson } from 'cytoscape';

export const COLOURS = { tainted: '#e06c6c', quarantined: '#d9a441', edge: '#6d8193', outline: '#0d141b', selected: '#ffffff', text: '#dbe4ec' } as const;

export const LINEAGE_STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      shape: 'data(shape)' as never,
      'background-color': 'data(colour)',
      width: 26,
      height: 26,
      label: 'data(label)',
      color: COLOURS.text,
      'font-size': 9,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      // Labels arrive cut to length (LineageCanvas.tsx): no wrapping to measure.
      'min-zoomed-font-size': 7,
      'border-width': 1,
      'border-color': COLOURS.outline,
    },
  },
  { selector: 'node[kind = "derivation"]', style: { width: 34, height: 22 } },
  { selector: 'node[kind = "crossing"], node[kind = "translation"], node[kind = "decision"], node[kind = "arbitration"]', style: { width: 22, height: 22 } },
  { selector: 'node.tainted', style: { 'border-width': 3, 'border-color': COLOURS.tainted, 'border-style': 'dashed' } },
  { selector: 'node.quarantined', style: { 'border-width': 4, 'border-color': COLOURS.quarantined, 'border-style': 'double' } },
  { selector: 'node.unresolved', style: { 'background-opacity': 0.25, 'border-width': 2, 'border-style': 'dashed', 'border-color': '#8a9bab' } },
  { selector: 'node.more', style: { 'outline-width': 2, 'outline-color': '#8a9bab', 'outline-style': 'dotted', 'outline-offset': 2 } as never },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': COLOURS.selected } },
  // Straight, not bezier: a lineage DAG has one edge per pair, and bezier control points cost per edge, per frame.
  {
    selector: 'edge',
    style: { width: 1.2, 'line-color': COLOURS.edge, 'target-arrow-color': COLOURS.edge, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.7, 'curve-style': 'straight' },
  },
  { selector: 'edge[kind != "source"]', style: { 'line-style': 'dashed' } },
  { selector: '.faded', style: { opacity: 0.15 } },
  { selector: 'node.on-path', style: { 'border-width': 3, 'border-color': '#ffffff' } },
  { selector: 'edge.on-path', style: { width: 3, 'line-color': '#ffffff', 'target-arrow-color': '#ffffff' } },
];
