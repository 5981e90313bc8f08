/**
 * Divergence of a subject (docs/decisions/0007, "The joint picture, divergence and the queue"):
 * over pairs of candidates from different meshes that are concurrent — neither an ancestor of
 * the other through lineage, stated times within the declared window — and that assert
 * different values of one field, the weighted share of the subject's fields in conflict, 0–1.
 * A function of signed content only, so every mesh holding the same observations scores alike.
 */
import { canonicalize } from '../canonical/jcs.js';
import { DEFAULT_CONCURRENCY_WINDOW_SECONDS, type Candidate } from './arbitration/index.js';

/** A candidate as 0007's `arbitrate` takes it: one observation's signed content, flattened. */
export type { Candidate } from './arbitration/index.js';

/** What the divergence score reads of the declaration's arbitration (0007's growth; defaults for today's declarations). */
export interface DivergenceRules {
  readonly divergenceThreshold: number;
  readonly concurrencyWindowSeconds?: number;
  readonly fieldWeights?: Readonly<Record<string, number>>;
  readonly classWeights?: Readonly<Record<string, number>>;
}

/** Without a declared window, the arbitration's default (effectiveArbitration fills the same one). */
export { DEFAULT_CONCURRENCY_WINDOW_SECONDS };

/** A payload that is not a JSON object is one field under this name. */
export const WHOLE_PAYLOAD_FIELD = '.';

export interface Conflict {
  readonly field: string;
  /** The two candidates (ids, sorted) whose values differ. */
  readonly pair: readonly [string, string];
}

export interface Divergence {
  /** Weighted share of fields in conflict, 0–1. */
  readonly score: number;
  readonly conflicts: readonly Conflict[];
  /** Every candidate in at least one conflict, sorted. */
  readonly competing: readonly string[];
  /** Fields in conflict, sorted. */
  readonly fields: readonly string[];
}

/**
 * Per payload object, its fields, computed once: a subject's recomputation reads every
 * candidate's fields three times (divergence, the merge, the held merge), and payloads are never
 * changed once parsed.
 */
const fieldMemo = new WeakMap<object, ReadonlyMap<string, unknown>>();

/** The payload's top-level members as fields (a non-object payload is the one field `.`). Read-only: shared between callers. */
export function fieldsOf(payload: unknown): ReadonlyMap<string, unknown> {
  if (payload === null || typeof payload !== 'object') return new Map([[WHOLE_PAYLOAD_FIELD, payload]]);
  let fields = fieldMemo.get(payload);
  if (!fields) {
    fields = Array.isArray(payload) ? new Map([[WHOLE_PAYLOAD_FIELD, payload]]) : new Map(Object.entries(payload as Record<string, unknown>));
    fieldMemo.set(payload, fields);
  }
  return fields;
}

/**
 * Ancestry within the candidates given, through their sources, transitively: a pair where one
 * derives from the other is causally ordered, never a conflict.
 */
export function ancestry(candidates: readonly Candidate[]): (a: string, b: string) => boolean {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return ancestryThrough((id) => byId.get(id)?.sources);
}

/**
 * Ancestry over the observations `sourcesOf` knows (undefined: not one of them, so no part of
 * the lineage here), walked only from the observations asked about, each once.
 */
export function ancestryThrough(sourcesOf: (id: string) => readonly string[] | undefined): (a: string, b: string) => boolean {
  const memo = new Map<string, Set<string>>();
  const ancestorsOf = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const found = new Set<string>();
    memo.set(id, found);
    const stack = [...(sourcesOf(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      const sources = sourcesOf(next);
      if (sources === undefined) continue;
      found.add(next);
      stack.push(...sources);
    }
    return found;
  };
  return (a, b) => ancestorsOf(a).has(b) || ancestorsOf(b).has(a);
}

export function divergenceOf(rules: DivergenceRules, candidates: readonly Candidate[]): Divergence {
  // Per field: the candidates asserting it, with their value (made canonical only when a pair is compared).
  const asserting = new Map<string, Assertion[]>();
  for (const candidate of candidates) {
    for (const [field, value] of fieldsOf(candidate.payload)) {
      let list = asserting.get(field);
      if (!list) asserting.set(field, (list = []));
      list.push({ candidate, value });
    }
  }
  return scoreAssertions(rules, asserting, ancestry(candidates));
}

/**
 * The divergence of a subject's current claims (core/reconcile/claims.ts): per field, each
 * mesh's claim, each candidate's `value` the field's value; `related` is the subject's lineage.
 */
export function divergenceOfClaims(rules: DivergenceRules, claims: ReadonlyMap<string, readonly Candidate[]>, related: (a: string, b: string) => boolean): Divergence {
  const asserting = new Map<string, Assertion[]>();
  for (const [field, list] of claims) asserting.set(field, list.map((candidate) => ({ candidate, value: candidate.value })));
  return scoreAssertions(rules, asserting, related);
}

function scoreAssertions(rules: DivergenceRules, asserting: ReadonlyMap<string, Assertion[]>, related: (a: string, b: string) => boolean): Divergence {
  const windowMs = (rules.concurrencyWindowSeconds ?? DEFAULT_CONCURRENCY_WINDOW_SECONDS) * 1000;
  const conflicts: Conflict[] = [];
  const competing = new Set<string>();
  let total = 0;
  let conflicted = 0;
  for (const field of [...asserting.keys()].sort()) {
    const list = asserting.get(field)!;
    const weight = weightOf(rules, field, list.map((e) => e.candidate.class));
    total += weight;
    let inConflict = false;
    // Only pairs from different meshes within the window can conflict: per mesh, sorted by stated
    // time, each candidate is compared with the other meshes' candidates inside its window alone,
    // so a subject's long history costs its concurrent stretch, not the square of its length.
    const meshes = [...byMesh(list).values()];
    for (let m = 0; m < meshes.length; m++) {
      for (let n = m + 1; n < meshes.length; n++) {
        const others = meshes[n]!;
        for (const a of meshes[m]!) {
          for (let j = firstAtOrAfter(others, a.candidate.statedAt - windowMs); j < others.length; j++) {
            const b = others[j]!;
            if (b.candidate.statedAt - a.candidate.statedAt > windowMs) break;
            if (canonicalOf(a) === canonicalOf(b) || related(a.candidate.id, b.candidate.id)) continue;
            inConflict = true;
            const pair = [a.candidate.id, b.candidate.id].sort() as [string, string];
            conflicts.push({ field, pair });
            competing.add(pair[0]).add(pair[1]);
          }
        }
      }
    }
    if (inConflict) conflicted += weight;
  }
  conflicts.sort((x, y) => (x.field === y.field ? (x.pair.join() < y.pair.join() ? -1 : 1) : x.field < y.field ? -1 : 1));
  const fields = [...new Set(conflicts.map((c) => c.field))];
  return { score: total === 0 ? 0 : conflicted / total, conflicts, competing: [...competing].sort(), fields };
}

type Assertion = { candidate: Candidate; value: unknown; canonical?: string };

/** The assertion's value as canonical JSON (RFC 8785), computed the first time it is compared: most of a long history is never inside another mesh's window. */
function canonicalOf(assertion: Assertion): string {
  return (assertion.canonical ??= canonicalize(assertion.value));
}

/** A field's assertions per mesh, each list sorted by stated time. */
function byMesh(list: readonly Assertion[]): Map<string, Assertion[]> {
  const meshes = new Map<string, Assertion[]>();
  for (const entry of list) {
    let own = meshes.get(entry.candidate.mesh);
    if (!own) meshes.set(entry.candidate.mesh, (own = []));
    own.push(entry);
  }
  for (const own of meshes.values()) own.sort((x, y) => x.candidate.statedAt - y.candidate.statedAt);
  return meshes;
}

/** The index of the first assertion stated at or after `at` (binary search over a sorted list). */
function firstAtOrAfter(sorted: readonly Assertion[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.candidate.statedAt < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A field's weight: its declared weight (1 without) × the heaviest declared weight of the classes asserting it (1 without). */
function weightOf(rules: DivergenceRules, field: string, classes: readonly string[]): number {
  const fieldWeight = rules.fieldWeights?.[field] ?? 1;
  const classWeight = Math.max(...classes.map((c) => rules.classWeights?.[c] ?? 1));
  return fieldWeight * classWeight;
}

/** What the app knows about a competing observation that hints at why the histories differ. */
export interface CauseSignals {
  readonly id: string;
  /** The field's value crossed through a translated term or an approximate attestation. */
  readonly translated?: boolean;
  /** The device's certificate was issued shortly before the observation. */
  readonly recentlyCertified?: boolean;
  /** The device published a burst around the observation. */
  readonly burst?: boolean;
  /** The device's credential expires or was revoked shortly after. */
  readonly nearRevocation?: boolean;
}

export type Cause = 'translation-seam' | 'genuine-disagreement' | 'suspected-injection';

/**
 * The cause estimate of 0007: suspected injection outranks a translation seam (an injected
 * record should be looked at first, whatever its terms); with neither sign, the histories
 * simply disagree.
 */
export function estimateCause(signals: readonly CauseSignals[]): { cause: Cause; reasons: string[] } {
  const reasons: string[] = [];
  for (const s of [...signals].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const short = `${s.id.slice(0, 16)}…`;
    if (s.recentlyCertified) reasons.push(`device of ${short} was certified shortly before it`);
    if (s.burst) reasons.push(`${short} came in a burst from its device`);
    if (s.nearRevocation) reasons.push(`the credential of ${short} is near revocation or expiry`);
  }
  if (reasons.length > 0) return { cause: 'suspected-injection', reasons };
  const seams = signals.filter((s) => s.translated).map((s) => `${s.id.slice(0, 16)}… crossed through a translated term or an approximate attestation`);
  if (seams.length > 0) return { cause: 'translation-seam', reasons: seams };
  return { cause: 'genuine-disagreement', reasons: ['concurrent observations from different meshes assert different values, with no sign of translation or injection'] };
}
