/**
 * A lineage neighbourhood for the console's graph (issue 16, "Lineage graph"): from a few
 * observations, their sources and what was derived from them, `depth` steps each way, with the
 * crossings, translations and quarantine decisions that touched each one drawn as nodes of their
 * own. Bounded: at most `limit` observations, and it says when it stopped short, so a hostile or
 * merely huge lineage answers quickly instead of walking the store.
 */
import type { ReadDb } from '../../store/database.js';
import { derivedBeyond, derivedEdgesOf, lineageNodeRows, quarantinedOnly, sourceEdgesOf, withDerived, type LineageNodeRow } from '../../store/lineage-store.js';

export const LINEAGE_KINDS = ['observation', 'derivation', 'crossing', 'translation', 'arbitration', 'decision'] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];

export interface LineageRequest {
  readonly ids: readonly string[];
  readonly depth: number;
  readonly direction: 'ancestors' | 'descendants' | 'both';
  readonly limit: number;
}

export interface LineageGraphNode {
  /** The observation's id; for the nodes hung on it, `crossing:`, `translation:` or `decision:` and its id. */
  readonly id: string;
  readonly kind: LineageKind;
  /** The observation the node belongs to. */
  readonly observation: string;
  /** The mesh that made it (an observation), or whose agent carried it (a crossing); null when not held here. */
  readonly mesh: string | null;
  readonly label: string;
  readonly found: 'held' | 'quarantined' | 'unresolved';
  /** The taint's cause, when it is tainted. */
  readonly tainted: string | null;
  /** Held in quarantine, or the decision taken on it. */
  readonly quarantine: 'held' | 'released' | 'rejected' | null;
  readonly at: string | null;
  /** One line for the detail pane. */
  readonly detail: string;
  /** Whether sources (ancestors) or derived observations (descendants) lie beyond what was answered. */
  readonly more: { readonly ancestors: boolean; readonly descendants: boolean };
}

export interface LineageGraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'source' | 'crossing' | 'translation' | 'decision';
}

export interface LineageGraph {
  readonly nodes: LineageGraphNode[];
  readonly edges: LineageGraphEdge[];
  /** Observations in the answer (the auxiliary nodes not counted). */
  readonly observations: number;
  readonly truncated: boolean;
}

export function lineageNeighbourhood(db: ReadDb, request: LineageRequest): LineageGraph {
  const included = new Set<string>();
  const edges = new Map<string, { observation: string; source: string }>();
  let truncated = false;
  const admit = (id: string): boolean => {
    if (included.has(id)) return true;
    if (included.size >= request.limit) {
      truncated = true;
      return false;
    }
    included.add(id);
    return true;
  };
  let frontier = [...new Set(request.ids)].filter(admit);
  for (let step = 0; step < request.depth && frontier.length > 0 && !truncated; step++) {
    const next: string[] = [];
    const follow = (edge: { observation: string; source: string }, reached: string) => {
      const fresh = !included.has(reached);
      if (!admit(reached)) return;
      edges.set(`${edge.source} ${edge.observation}`, edge);
      if (fresh) next.push(reached);
    };
    if (request.direction !== 'descendants') for (const edge of sourceEdgesOf(db, frontier)) follow(edge, edge.source);
    if (request.direction !== 'ancestors') for (const edge of derivedEdgesOf(db, frontier, request.limit * 4)) follow(edge, edge.observation);
    frontier = next;
  }

  const ids = [...included];
  const held = lineageNodeRows(db, ids);
  const missing = ids.filter((id) => !held.has(id));
  const quarantined = quarantinedOnly(db, missing);
  const derived = withDerived(db, ids);
  const drawnSources = new Map<string, number>();
  const drawnDerived = new Map<string, number>();
  for (const { observation, source } of edges.values()) {
    drawnSources.set(observation, (drawnSources.get(observation) ?? 0) + 1);
    drawnDerived.set(source, (drawnDerived.get(source) ?? 0) + 1);
  }
  // A node that drew some of what was derived from it has more beyond only if some derived observation is not in the answer.
  const beyond = derivedBeyond(db, [...drawnDerived.keys()].filter((id) => derived.has(id)), included);

  const nodes: LineageGraphNode[] = [];
  const graphEdges: LineageGraphEdge[] = [...edges.values()].map(({ observation, source }) => ({ from: source, to: observation, kind: 'source' }));
  for (const id of ids) {
    const row = held.get(id);
    const descendants = derived.has(id) && (!drawnDerived.has(id) || beyond.has(id));
    if (row) {
      nodes.push(observationNode(row, { ancestors: row.sources > (drawnSources.get(id) ?? 0), descendants }));
      hangOn(row, nodes, graphEdges);
      continue;
    }
    const q = quarantined.get(id);
    if (q) {
      const state = q.decision === 'released' ? 'released' : q.decision === 'rejected' ? 'rejected' : 'held';
      nodes.push({ id, kind: 'observation', observation: id, mesh: q.origin, label: q.subject, found: 'quarantined', tainted: null, quarantine: state, at: q.heldAt, detail: `Held in quarantine (${q.reason}): ${q.class} from ${q.origin}.`, more: { ancestors: false, descendants } });
      if (q.decision) {
        nodes.push({ id: `decision:${id}`, kind: 'decision', observation: id, mesh: null, label: q.decision, found: 'quarantined', tainted: null, quarantine: state, at: q.decidedAt, detail: `${q.decision} by ${q.decidedBy ?? 'an operator'}: ${q.decisionReason ?? ''}`.trim(), more: { ancestors: false, descendants: false } });
        graphEdges.push({ from: id, to: `decision:${id}`, kind: 'decision' });
      }
      continue;
    }
    nodes.push({ id, kind: 'observation', observation: id, mesh: null, label: `${id.slice(0, 12)}…`, found: 'unresolved', tainted: null, quarantine: null, at: null, detail: 'Named as a source, but this workspace does not hold it: an unresolved reference.', more: { ancestors: false, descendants } });
  }
  return { nodes, edges: graphEdges, observations: ids.length, truncated };
}

function observationNode(row: LineageNodeRow, more: LineageGraphNode['more']): LineageGraphNode {
  const quarantine = row.quarantine ? (row.quarantine.decision === 'released' ? 'released' : row.quarantine.decision === 'rejected' ? 'rejected' : 'held') : null;
  return {
    id: row.id,
    kind: row.sources > 0 ? 'derivation' : 'observation',
    observation: row.id,
    mesh: row.mesh,
    label: row.subject,
    found: 'held',
    tainted: row.taint?.cause ?? null,
    quarantine,
    at: row.observedAt,
    detail: `${row.class} by ${row.mesh}:${row.device}${row.sources > 0 ? `, derived from ${row.sources} source${row.sources === 1 ? '' : 's'}` : ''}${row.taint ? `; tainted (${row.taint.cause}) since ${row.taint.since}` : ''}.`,
    more,
  };
}

/** The crossing that brought a foreign observation here, its translation, and a quarantine decision, as nodes after it. */
function hangOn(row: LineageNodeRow, nodes: LineageGraphNode[], edges: LineageGraphEdge[]): void {
  let last = row.id;
  const quarantine = nodes[nodes.length - 1]!.quarantine;
  const base = { observation: row.id, found: 'held' as const, tainted: row.taint?.cause ?? null, quarantine, more: { ancestors: false, descendants: false } };
  if (row.crossing) {
    const c = row.crossing;
    const id = `crossing:${row.id}`;
    nodes.push({ ...base, id, kind: 'crossing', mesh: c.partner, label: `${c.agent} · ${c.federation} v${c.version}`, at: c.admittedAt, detail: `Carried by ${c.agent} under ${c.federation} v${c.version} in bundle ${c.bundle.slice(0, 12)}…; ${c.outcome}.` });
    edges.push({ from: last, to: id, kind: 'crossing' });
    last = id;
    if (c.alternativeLabel !== null) {
      const attestations = safeLength(c.attestations);
      const tid = `translation:${row.id}`;
      nodes.push({ ...base, id: tid, kind: 'translation', mesh: null, label: alternativeClassification(c.alternativeLabel), at: c.admittedAt, detail: `Label translated into this mesh's policy under ${attestations} attestation${attestations === 1 ? '' : 's'}.` });
      edges.push({ from: last, to: tid, kind: 'translation' });
      last = tid;
    }
  }
  const q = row.quarantine;
  if (q?.decision) {
    const did = `decision:${row.id}`;
    nodes.push({ ...base, id: did, kind: 'decision', mesh: null, label: q.decision, at: q.decidedAt, detail: `${q.decision} by ${q.decidedBy ?? 'an operator'}: ${q.decisionReason ?? ''}`.trim() });
    edges.push({ from: last, to: did, kind: 'decision' });
  }
}

function safeLength(json: string): number {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}

function alternativeClassification(json: string): string {
  try {
    const label = JSON.parse(json) as { policy?: { id?: unknown }; classification?: unknown };
    return `${String(label.policy?.id ?? '?')} ${String(label.classification ?? '?')}`.slice(0, 256);
  } catch {
    return 'translated label';
  }
}
