/**
 * The lineage graph as the console holds it: the neighbourhoods the core answered, merged by node
 * id, so expanding a node step by step adds to what is drawn instead of replacing it. Pure; the
 * Cytoscape view reads it.
 */
import type { MethodResult } from '../../../../core/api/index.js';

export type LineageAnswer = MethodResult<'getLineage'>;
export type LineageNode = LineageAnswer['nodes'][number];
export type LineageEdge = LineageAnswer['edges'][number];
export type NodeKind = LineageNode['kind'];

export interface GraphModel {
  readonly nodes: ReadonlyMap<string, LineageNode>;
  readonly edges: ReadonlyMap<string, LineageEdge>;
  /** Whether any answer stopped at its size bound. */
  readonly truncated: boolean;
  /** The display markings of the observations drawn, for the classification banner; sorted, each once. */
  readonly markings: readonly string[];
}

export const EMPTY_GRAPH: GraphModel = { nodes: new Map(), edges: new Map(), truncated: false, markings: [] };

export const edgeKey = (edge: LineageEdge) => `${edge.from}>${edge.to}`;

/**
 * Adds an answer to the model. A node seen again keeps the union of what lies beyond it only
 * while the newer answer still says so: an expansion that drew its sources clears `more`.
 */
export function mergeLineage(model: GraphModel, answer: LineageAnswer): GraphModel {
  const nodes = new Map(model.nodes);
  for (const node of answer.nodes) {
    const before = nodes.get(node.id);
    nodes.set(node.id, before ? { ...node, more: { ancestors: before.more.ancestors && node.more.ancestors, descendants: before.more.descendants && node.more.descendants } } : node);
  }
  const edges = new Map(model.edges);
  for (const edge of answer.edges) edges.set(edgeKey(edge), edge);
  const markings = answer.markings.every((m) => model.markings.includes(m)) ? model.markings : [...new Set([...model.markings, ...answer.markings])].sort();
  return { nodes, edges, truncated: model.truncated || answer.truncated, markings };
}

/** Node shapes per kind: distinct outlines, so kinds read apart without colour. Shared by the canvas and the SVG export. */
export const SHAPES: Record<NodeKind, 'ellipse' | 'round-rectangle' | 'diamond' | 'hexagon' | 'triangle' | 'octagon'> = {
  observation: 'ellipse',
  derivation: 'round-rectangle',
  crossing: 'diamond',
  translation: 'hexagon',
  arbitration: 'triangle',
  decision: 'octagon',
};

export const KIND_LABELS: Record<NodeKind, string> = {
  observation: 'Observation',
  derivation: 'Derivation',
  crossing: 'Crossing',
  translation: 'Translation',
  arbitration: 'Arbitration',
  decision: 'Decision',
};

/** Colours that stay apart on the dark panel and for the common colour-vision deficiencies (Okabe–Ito, lightened). */
const MESH_PALETTE = ['#56b4e9', '#e69f00', '#009e73', '#f0e442', '#cc79a7', '#d55e00', '#7fb8da', '#b3b3b3'];
export const NEUTRAL = '#5b6b7a';

/** A mesh's colour: the same on every screen and export, from the mesh code alone. */
export function meshColour(mesh: string | null): string {
  if (!mesh) return NEUTRAL;
  let hash = 0;
  for (const char of mesh) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return MESH_PALETTE[hash % MESH_PALETTE.length]!;
}

/** The meshes in the model, for the legend. */
export function meshesOf(model: GraphModel): string[] {
  return [...new Set([...model.nodes.values()].map((n) => n.mesh).filter((m): m is string => m !== null))].sort();
}
