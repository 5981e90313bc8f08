/**
 * What a subject's picture is computed from (docs/decisions/0007, "A mesh's current claims"):
 * per field, each mesh's current claim — of the mesh's observations asserting the field, the one
 * with the greatest hybrid logical clock, then id — with the subject's decisions, the mesh that
 * first reported it, and its lineage. A mesh's HLC never runs backwards (core/time/hlc.ts), so
 * its later assertion of a field replaces its earlier one whatever its wall clock said; only
 * what the meshes claim now competes, at most one candidate per mesh and field.
 *
 * `evidenceOf` builds it from a subject's whole history in memory (replay, tests); the app keeps
 * the same evidence in the store as observations arrive (core/app/reconcile/evidence.ts), and a
 * property test holds the two equal in any delivery order.
 */
import { DECISION_CLASS } from './decision.js';
import { ancestry, fieldsOf, type Candidate } from './divergence.js';

export interface SubjectEvidence {
  /** Per field, sorted by field: each mesh's current claim on it, as a candidate whose `value` is the field's value. */
  readonly claims: ReadonlyMap<string, readonly Candidate[]>;
  /** The subject's decisions (class `decision`), each once. */
  readonly decisions: readonly Candidate[];
  /** The mesh of the observation that first reported the subject (`originOf`), if it holds data. */
  readonly originator: string | undefined;
  /** Whether one of two of the subject's observations derives from the other through their lineage, within the subject. */
  readonly related: (a: string, b: string) => boolean;
}

/** Whether `a` is a later claim of its mesh than `b`: a greater HLC (l, then c), then a greater id. */
export function laterClaim(a: Pick<Candidate, 'hlc' | 'id'>, b: Pick<Candidate, 'hlc' | 'id'>): boolean {
  if (a.hlc.l !== b.hlc.l) return a.hlc.l > b.hlc.l;
  if (a.hlc.c !== b.hlc.c) return a.hlc.c > b.hlc.c;
  return a.id > b.id;
}

/**
 * The observation that first reported the subject: among its data observations that cite none of
 * the others (lineage roots), the earliest stated, then the smaller id. Every lineage within a
 * subject is acyclic (an id is the hash of a record naming its sources), so a root exists; a set
 * without one would take the earliest of all.
 */
export function originOf(data: readonly Candidate[]): Candidate | undefined {
  const ids = new Set(data.map((c) => c.id));
  const roots = data.filter((c) => !c.sources.some((source) => ids.has(source)));
  return (roots.length > 0 ? roots : data).reduce<Candidate | undefined>((first, c) => (first === undefined || earlier(c, first) ? c : first), undefined);
}

/** Stated earlier, then the smaller id: the originator's order. */
export function earlier(a: Pick<Candidate, 'statedAt' | 'id'>, b: Pick<Candidate, 'statedAt' | 'id'>): boolean {
  return a.statedAt < b.statedAt || (a.statedAt === b.statedAt && a.id < b.id);
}

/** A subject's evidence from every observation held about it (any order; one id counts once). */
export function evidenceOf(all: readonly Candidate[]): SubjectEvidence {
  const unique = [...new Map(all.map((c) => [c.id, c])).values()];
  const data = unique.filter((c) => c.class !== DECISION_CLASS);
  const latest = new Map<string, Map<string, Candidate>>();
  for (const candidate of data) {
    for (const [field, value] of fieldsOf(candidate.payload)) {
      let perMesh = latest.get(field);
      if (!perMesh) latest.set(field, (perMesh = new Map()));
      const held = perMesh.get(candidate.mesh);
      if (held === undefined || laterClaim(candidate, held)) perMesh.set(candidate.mesh, { ...candidate, value });
    }
  }
  return {
    claims: claimsByField(latest),
    decisions: unique.filter((c) => c.class === DECISION_CLASS),
    originator: originOf(data)?.mesh,
    // Lineage among the data, as divergence has always read it: a decision links nothing.
    related: ancestry(data),
  };
}

/** Per field (sorted), its claims sorted by mesh: the order every reader sees them in. */
export function claimsByField(latest: ReadonlyMap<string, ReadonlyMap<string, Candidate>>): Map<string, Candidate[]> {
  const byMesh = (a: Candidate, b: Candidate) => (a.mesh < b.mesh ? -1 : a.mesh > b.mesh ? 1 : 0);
  return new Map([...latest.keys()].sort().map((field) => [field, [...latest.get(field)!.values()].sort(byMesh)]));
}

/** The observations behind the claims, each once (a candidate's `value` is its whole payload again). */
export function claimants(claims: ReadonlyMap<string, readonly Candidate[]>): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const list of claims.values()) for (const c of list) if (!byId.has(c.id)) byId.set(c.id, { ...c, value: c.payload });
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
