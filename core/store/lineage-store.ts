/**
 * The lineage graph's reads (issue 16, "Lineage graph"): source edges both ways for a frontier of
 * ids, and per id what a node shows — origin mesh, kind, how it crossed, its taint and any
 * quarantine decision — read in a few statements per frontier rather than one per node, so a
 * 5,000-node neighbourhood stays a handful of index lookups per step.
 */
import type { ReadDb } from './database.js';

/** SQLite's default limit on bound parameters is 32,766; frontiers are cut well below it. */
const CHUNK = 500;

function* chunks<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let at = 0; at < items.length; at += CHUNK) yield items.slice(at, at + CHUNK);
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

export interface SourceEdge {
  /** The derived observation. */
  readonly observation: string;
  /** The observation it rests on (which this store may not hold). */
  readonly source: string;
}

/** The edges from each id to its sources (direction `ancestors`). */
export function sourceEdgesOf(db: ReadDb, ids: readonly string[]): SourceEdge[] {
  const edges: SourceEdge[] = [];
  for (const part of chunks(ids)) {
    edges.push(...(db.prepare(`SELECT observation_id AS observation, source_id AS source FROM observation_sources WHERE observation_id IN (${marks(part.length)}) ORDER BY observation_id, source_id`).all(...part) as SourceEdge[]));
  }
  return edges;
}

/** The edges from each id to the observations derived from it (direction `descendants`), at most `limit`. */
export function derivedEdgesOf(db: ReadDb, ids: readonly string[], limit: number): SourceEdge[] {
  const edges: SourceEdge[] = [];
  for (const part of chunks(ids)) {
    if (edges.length >= limit) break;
    edges.push(
      ...(db
        .prepare(`SELECT observation_id AS observation, source_id AS source FROM observation_sources WHERE source_id IN (${marks(part.length)}) ORDER BY source_id, observation_id LIMIT ?`)
        .all(...part, limit - edges.length) as SourceEdge[]),
    );
  }
  return edges;
}

export interface LineageNodeRow {
  readonly id: string;
  readonly mesh: string;
  readonly subject: string;
  readonly class: string;
  readonly device: string;
  readonly observedAt: string;
  readonly sources: number;
  /** The crossing that admitted it here, for a foreign observation. */
  readonly crossing: {
    readonly partner: string;
    readonly agent: string;
    readonly federation: string;
    readonly version: number;
    readonly bundle: string;
    readonly outcome: string;
    readonly admittedAt: string;
    /** JSON of the alternative label, when the crossing translated it. */
    readonly alternativeLabel: string | null;
    readonly attestations: string;
  } | null;
  readonly taint: { readonly cause: string; readonly since: string } | null;
  readonly quarantine: { readonly reason: string; readonly heldAt: string; readonly decision: string | null; readonly decidedBy: string | null; readonly decidedAt: string | null; readonly decisionReason: string | null } | null;
}

interface FlatRow {
  id: string;
  mesh: string;
  subject: string;
  class: string;
  device: string;
  observedAt: string;
  sources: number;
  cPartner: string | null;
  cAgent: string;
  cFederation: string;
  cVersion: number;
  cBundle: string;
  cOutcome: string;
  cAdmittedAt: string;
  cAlternative: string | null;
  cAttestations: string;
  tCause: string | null;
  tSince: string;
  qReason: string | null;
  qHeldAt: string;
  qDecision: string | null;
  qBy: string | null;
  qAt: string | null;
  qWhy: string | null;
}

/** What the graph shows of each id this store holds as an observation; ids it does not hold are absent from the map. */
export function lineageNodeRows(db: ReadDb, ids: readonly string[]): Map<string, LineageNodeRow> {
  const found = new Map<string, LineageNodeRow>();
  for (const part of chunks(ids)) {
    const rows = db
      .prepare(
        `SELECT o.id, o.mesh, o.subject, o.class, o.device, o.observed_at AS observedAt,
           (SELECT count(*) FROM observation_sources s WHERE s.observation_id = o.id) AS sources,
           c.partner AS cPartner, c.agent AS cAgent, c.federation AS cFederation, c.version AS cVersion, c.bundle AS cBundle,
           c.outcome AS cOutcome, c.admitted_at AS cAdmittedAt, ct.alternative_label AS cAlternative, ct.attestations AS cAttestations,
           t.cause AS tCause, t.since AS tSince,
           q.reason AS qReason, q.held_at AS qHeldAt, q.decision AS qDecision, q.decided_by AS qBy, q.decided_at AS qAt, q.decision_reason AS qWhy
         FROM observations o
         LEFT JOIN crossings c ON c.observation_id = o.id
         -- A crossing's repeated terms (label, attestations, …) are kept once each (migration 15).
         LEFT JOIN crossing_terms ct ON ct.sha256 = c.terms
         LEFT JOIN taints t ON t.observation_id = o.id
         LEFT JOIN quarantine q ON q.observation_id = o.id
         WHERE o.id IN (${marks(part.length)})`,
      )
      .all(...part) as FlatRow[];
    for (const r of rows) {
      found.set(r.id, {
        id: r.id,
        mesh: r.mesh,
        subject: r.subject,
        class: r.class,
        device: r.device,
        observedAt: r.observedAt,
        sources: r.sources,
        crossing:
          r.cPartner === null
            ? null
            : { partner: r.cPartner, agent: r.cAgent, federation: r.cFederation, version: r.cVersion, bundle: r.cBundle, outcome: r.cOutcome, admittedAt: r.cAdmittedAt, alternativeLabel: r.cAlternative, attestations: r.cAttestations },
        taint: r.tCause === null ? null : { cause: r.tCause, since: r.tSince },
        quarantine: r.qReason === null ? null : { reason: r.qReason, heldAt: r.qHeldAt, decision: r.qDecision, decidedBy: r.qBy, decidedAt: r.qAt, decisionReason: r.qWhy },
      });
    }
  }
  return found;
}

/** Items held in quarantine (not admitted as observations) among these ids: the graph shows them as held. */
export function quarantinedOnly(db: ReadDb, ids: readonly string[]): Map<string, { origin: string; subject: string; class: string; reason: string; heldAt: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; decisionReason: string | null }> {
  const found = new Map<string, { origin: string; subject: string; class: string; reason: string; heldAt: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; decisionReason: string | null }>();
  for (const part of chunks(ids)) {
    const rows = db
      .prepare(
        `SELECT observation_id AS id, origin, subject, class, reason, held_at AS heldAt, decision, decided_by AS decidedBy, decided_at AS decidedAt, decision_reason AS decisionReason
         FROM quarantine WHERE observation_id IN (${marks(part.length)})`,
      )
      .all(...part) as { id: string; origin: string; subject: string; class: string; reason: string; heldAt: string; decision: string | null; decidedBy: string | null; decidedAt: string | null; decisionReason: string | null }[];
    for (const { id, ...rest } of rows) found.set(id, rest);
  }
  return found;
}

/** Which of these ids some held observation names as a source: the nodes that have descendants beyond a neighbourhood. */
export function withDerived(db: ReadDb, ids: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const part of chunks(ids)) {
    for (const id of db.prepare(`SELECT DISTINCT source_id FROM observation_sources WHERE source_id IN (${marks(part.length)})`).pluck().all(...part) as string[]) found.add(id);
  }
  return found;
}

/**
 * Which of these ids have a derived observation outside `included`: the nodes whose descendants
 * a neighbourhood did not draw in full. One statement per chunk of ids, the answer's set bound
 * once as JSON, in place of one query per node (a 5,000-node neighbourhood asked 5,000 here).
 */
export function derivedBeyond(db: ReadDb, ids: readonly string[], included: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  if (ids.length === 0) return found;
  const inside = JSON.stringify([...included]);
  for (const part of chunks(ids)) {
    const beyond = db
      .prepare(`SELECT DISTINCT source_id FROM observation_sources WHERE source_id IN (${marks(part.length)}) AND observation_id NOT IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(...part, inside) as string[];
    for (const id of beyond) found.add(id);
  }
  return found;
}

/** The distinct labels (as the records state them, JSON text) of the held observations among `ids`. */
export function distinctLabels(db: ReadDb, ids: readonly string[]): string[] {
  const labels = new Set<string>();
  for (const part of chunks(ids)) {
    for (const label of db.prepare(`SELECT DISTINCT json_extract(record, '$.label') FROM observations WHERE id IN (${marks(part.length)})`).pluck().all(...part) as string[]) labels.add(label);
  }
  return [...labels];
}
