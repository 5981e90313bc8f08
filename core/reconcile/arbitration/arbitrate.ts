/**
 * `arbitrate`: which of a subject's candidate observations supplies one field of the joint
 * picture (docs/decisions/0007-reconciliation.md, "Arbitration"). A function of signed content
 * and the declaration only — the candidates' own records, never arrival order or local clocks —
 * so every mesh holding the same candidates picks the same winner, in any order they arrived.
 *
 * Each strategy ranks candidates by a vector of numbers computed from the whole set (larger
 * first); equal ranks fall to the declared tie-break, which ends with the observation id and so
 * orders any set totally. Sorting by that one total order is what makes the winner independent
 * of the candidates' order.
 */
import { canonicalize } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';
import { evaluateExpr, type ExprAttribute } from './expr.js';
import { COMPOSITE_ATTRIBUTES, DEFAULT_FRESHNESS_SCALE_SECONDS, DEFAULT_TIE_BREAK, ruleOf, type Arbitration, type Strategy, type TieBreakKey } from './schema.js';

/** One observation's claim on one field of a subject, as the picture hands it over. */
export interface Candidate {
  id: string;
  mesh: string;
  class: string;
  /** The stated time, ms since the epoch. */
  statedAt: number;
  hlc: { l: number; c: number };
  /** The field's value in this observation. */
  value: unknown;
  payload: unknown;
  authority: string;
  device: string;
  /** 0–1: how strong the signing credential is, as the admission judged it. */
  credentialStrength: number;
  /** Lineage: the observations this one was derived from. */
  sources: string[];
}

export interface Arbitrated {
  winner: Candidate;
  /** One sentence: which rule, which scores, which tie-break. */
  why: string;
  /** Per candidate id, the score the strategy compared (composite, custom, authority-weight). */
  scores?: Record<string, number>;
}

/**
 * What arbitration knows of the subject beyond the field's candidates: the mesh that first
 * reported it (core/reconcile/claims.ts's `originOf`, over the subject's whole history). Without
 * it, `originator-wins` takes the earliest lineage root among the candidates themselves.
 */
export interface ArbitrationContext {
  readonly originator?: string;
}

/** The strategy that decides a subject's field, and how the `why` names it. */
export interface ChosenStrategy {
  readonly strategy: Strategy | { kind: 'human-decision' };
  readonly label: string;
}

const sameMembers = (list: readonly string[] | undefined, test: (value: string) => boolean) => list === undefined || list.some(test);

/**
 * The first rule whose classes hold every candidate's class and whose fields hold the field;
 * else the default (or the shorthand policy). A rule's classes match the whole set, so the
 * choice does not depend on which candidate is looked at first.
 */
export function chooseStrategy(arbitration: Arbitration, field: string, candidates: readonly Candidate[]): ChosenStrategy {
  const rules = arbitration.rules ?? [];
  for (let i = 0; i < rules.length; i += 1) {
    const rule = rules[i]!;
    const classesMatch = rule.classes === undefined || candidates.every((c) => rule.classes!.includes(c.class));
    if (classesMatch && sameMembers(rule.fields, (f) => f === field)) {
      const scope = [rule.classes ? `classes ${rule.classes.join(', ')}` : '', rule.fields ? `fields ${rule.fields.join(', ')}` : ''].filter(Boolean).join('; ');
      return { strategy: rule.strategy, label: `rule ${i + 1}${scope ? ` (${scope})` : ''}, ${rule.strategy.kind}` };
    }
  }
  if (arbitration.default) return { strategy: arbitration.default, label: `the default, ${arbitration.default.kind}` };
  const policy = arbitration.policy ?? 'originator-wins';
  if (policy === 'human-decision') return { strategy: { kind: 'human-decision' }, label: 'the policy human-decision (the tie-break\'s pick stands until a person decides)' };
  return { strategy: { kind: policy }, label: `the policy ${policy}` };
}

interface Ranked {
  readonly candidate: Candidate;
  readonly rank: readonly number[];
}

const confidenceOf = (payload: unknown): number => {
  const value = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).confidence : undefined;
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : 0;
};
const unit = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const when = (ms: number): string => (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));
const short = (id: string): string => (id.length > 12 ? `${id.slice(0, 12)}…` : id);
const num = (x: number): string => String(Math.round(x * 1e6) / 1e6);

function rankAll(chosen: ChosenStrategy, candidates: readonly Candidate[], arbitration: Arbitration, context: ArbitrationContext): { ranked: Ranked[]; scores?: Record<string, number>; basis: (winner: Ranked, runnerUp?: Ranked) => string } {
  const s = chosen.strategy;
  const newest = candidates.reduce((max, c) => Math.max(max, c.statedAt), -Infinity);
  const meshOrder = arbitration.meshOrder ?? [];
  const ageSeconds = (c: Candidate) => Math.max(0, (newest - c.statedAt) / 1000);
  // Rational, not exponential, decay: + and ÷ are correctly rounded on every platform.
  const freshness = (c: Candidate, scale: number) => scale / (scale + ageSeconds(c));
  const scored = (score: (c: Candidate) => number, describe: (w: number, r?: number) => string) => {
    const scores: Record<string, number> = {};
    const ranked = candidates.map((candidate) => {
      const value = score(candidate);
      scores[candidate.id] = value;
      return { candidate, rank: [value] };
    });
    return { ranked, scores, basis: (w: Ranked, r?: Ranked) => describe(w.rank[0]!, r?.rank[0]) };
  };

  switch (s.kind) {
    case 'human-decision':
      return { ranked: candidates.map((candidate) => ({ candidate, rank: [] })), basis: () => '' };
    case 'originator-wins': {
      // The originator first reported the subject: lineage first (a candidate citing another is
      // not first), then the earliest stated time among the roots, then the smaller id.
      const originator = context.originator ?? firstRoot(candidates).mesh;
      return {
        // Among the originator's own observations its latest by its HLC, which never runs backwards.
        ranked: candidates.map((candidate) => ({ candidate, rank: [candidate.mesh === originator ? 1 : 0, candidate.hlc.l, candidate.hlc.c] })),
        basis: (w) => (w.candidate.mesh === originator ? `as the latest observation of ${originator}, which first reported the subject` : `as the latest by HLC, since ${originator}, which first reported the subject, does not assert it`),
      };
    }
    case 'most-recent': {
      // A candidate another candidate derives from is superseded by it, whatever the clocks say.
      const cited = new Set(candidates.flatMap((c) => c.sources));
      return {
        ranked: candidates.map((candidate) => ({ candidate, rank: [cited.has(candidate.id) ? 0 : 1, candidate.statedAt] })),
        basis: (w) => `as the most recent not superseded through lineage (stated ${when(w.candidate.statedAt)})`,
      };
    }
    case 'priority': {
      const key = (c: Candidate) => (s.by === 'mesh' ? c.mesh : c.authority);
      const position = (c: Candidate) => {
        const i = s.order.indexOf(key(c));
        return i === -1 ? s.order.length : i;
      };
      return {
        ranked: candidates.map((candidate) => ({ candidate, rank: [-position(candidate)] })),
        basis: (w) => (position(w.candidate) < s.order.length ? `as ${s.by} ${key(w.candidate)} comes first in the priority order (${s.order.join(', ')})` : `as no candidate's ${s.by} is in the priority order (${s.order.join(', ')})`),
      };
    }
    case 'authority-weight': {
      // A weighted vote: a value's support is the sum of the weights of the meshes asserting it,
      // each mesh counted once, summed in sorted mesh order so every mesh adds the same way.
      const keyOf = (c: Candidate) => canonicalize(c.value === undefined ? null : c.value);
      const backers = new Map<string, Set<string>>();
      for (const c of candidates) {
        const k = keyOf(c);
        const set = backers.get(k) ?? new Set<string>();
        set.add(c.mesh);
        backers.set(k, set);
      }
      const support = new Map([...backers].map(([k, meshes]) => [k, [...meshes].sort().reduce((sum, m) => sum + (s.weights[m] ?? 0), 0)]));
      return scored((c) => support.get(keyOf(c)) ?? 0, (w, r) => `with its value backed by weight ${num(w)}${r === undefined ? '' : ` against ${num(r)}`}`);
    }
    case 'composite': {
      const scale = s.freshnessScaleSeconds ?? DEFAULT_FRESHNESS_SCALE_SECONDS;
      const attribute = (c: Candidate, a: (typeof COMPOSITE_ATTRIBUTES)[number]): number => {
        switch (a) {
          case 'freshness': return freshness(c, scale);
          case 'confidence': return confidenceOf(c.payload);
          case 'sourceClass': return s.sourceClassScores?.[c.class] ?? 0;
          case 'credentialStrength': return unit(c.credentialStrength);
        }
      };
      const total = (c: Candidate) => COMPOSITE_ATTRIBUTES.reduce((sum, a) => sum + (s.weights[a] ?? 0) * attribute(c, a), 0);
      return scored(total, (w, r) => `scoring ${num(w)} on composite admissibility${r === undefined ? '' : ` against ${num(r)}`}`);
    }
    case 'custom': {
      const scale = s.freshnessScaleSeconds ?? DEFAULT_FRESHNESS_SCALE_SECONDS;
      const rule = ruleOf(s);
      const attributes = (c: Candidate): Record<ExprAttribute, number> => {
        const rank = meshOrder.indexOf(c.mesh);
        return {
          freshness: freshness(c, scale),
          ageSeconds: ageSeconds(c),
          confidence: confidenceOf(c.payload),
          credentialStrength: unit(c.credentialStrength),
          meshRank: rank === -1 ? meshOrder.length : rank,
          sourceCount: c.sources.length,
        };
      };
      return scored((c) => evaluateExpr(rule, { attributes: attributes(c), mesh: c.mesh, class: c.class }), (w, r) => `scoring ${num(w)} by the custom rule${r === undefined ? '' : ` against ${num(r)}`}`);
    }
  }
}

/** The earliest lineage root among `candidates` (stated time, then id); the earliest of all should none be a root. */
function firstRoot(candidates: readonly Candidate[]): Candidate {
  const ids = new Set(candidates.map((c) => c.id));
  const roots = candidates.filter((c) => !c.sources.some((src) => ids.has(src)));
  return (roots.length > 0 ? roots : candidates).reduce((a, b) => (b.statedAt < a.statedAt || (b.statedAt === a.statedAt && b.id < a.id) ? b : a));
}

/** Compares by one tie-break key: negative when `a` goes first. */
function tieBreakBy(key: TieBreakKey, a: Candidate, b: Candidate, meshOrder: readonly string[]): number {
  switch (key) {
    case 'stated-time':
      return a.statedAt === b.statedAt ? 0 : a.statedAt > b.statedAt ? -1 : 1;
    case 'mesh-order': {
      const pa = meshOrder.indexOf(a.mesh);
      const pb = meshOrder.indexOf(b.mesh);
      return (pa === -1 ? meshOrder.length : pa) - (pb === -1 ? meshOrder.length : pb);
    }
    case 'observation-id':
      // Code-unit order, not locale order: the same on every machine.
      return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
  }
}

const compareRanks = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y ? -1 : 1;
  }
  return 0;
};

/** Candidates with one id are one observation; should two differ, the canonically smaller stays, whichever came first. */
function distinct(candidates: readonly Candidate[]): readonly Candidate[] {
  // The common case, every id once (the picture hands over distinct observations): the list as it is.
  const ids = new Set<string>();
  for (const c of candidates) ids.add(c.id);
  if (ids.size === candidates.length) return candidates;
  const byId = new Map<string, Candidate>();
  for (const c of candidates) {
    const held = byId.get(c.id);
    if (held === undefined) byId.set(c.id, c);
    else if (held !== c && canonicalize(c) < canonicalize(held)) byId.set(c.id, c);
  }
  return [...byId.values()];
}

/**
 * Picks the candidate whose value a subject's field takes. Total for one or more candidates,
 * and the same whatever their order. @throws Refused('no-candidates') for none.
 */
export function arbitrate(arbitration: Arbitration, subject: string, field: string, candidates: readonly Candidate[], context: ArbitrationContext = {}): Arbitrated {
  if (candidates.length === 0) throw new Refused('no-candidates', `Nothing to arbitrate for ${subject}.${field}: no candidate asserts it.`);
  const set = distinct(candidates);
  const chosen = chooseStrategy(arbitration, field, set);
  const tieBreak = arbitration.tieBreak ?? DEFAULT_TIE_BREAK;
  // The id closes every tie-break, declared or not, so the order is total even for a draft policy that skipped validation.
  const keys: TieBreakKey[] = tieBreak.includes('observation-id') ? [...tieBreak] : [...tieBreak, 'observation-id'];
  const meshOrder = arbitration.meshOrder ?? [];
  const { ranked, scores, basis } = rankAll(chosen, set, arbitration, context);
  const decidedBy = (a: Candidate, b: Candidate): TieBreakKey | undefined => keys.find((k) => tieBreakBy(k, a, b, meshOrder) !== 0);
  const before = (a: Ranked, b: Ranked): number => {
    const byRank = compareRanks(a.rank, b.rank);
    if (byRank !== 0) return byRank;
    const key = decidedBy(a.candidate, b.candidate);
    return key === undefined ? 0 : tieBreakBy(key, a.candidate, b.candidate, meshOrder);
  };
  // The first two in that total order, found in one pass: a subject's field may have hundreds of candidates, and only these two are read.
  let first = ranked[0]!;
  let second: Ranked | undefined;
  for (let i = 1; i < ranked.length; i += 1) {
    const r = ranked[i]!;
    if (before(r, first) < 0) [first, second] = [r, first];
    else if (second === undefined || before(r, second) < 0) second = r;
  }
  const winner = first.candidate;
  const head = `${subject}.${field}: ${chosen.label} picked ${short(winner.id)} from ${winner.mesh}`;
  if (!second) return { winner, why: `${head} as the only candidate.`, ...(scores ? { scores } : {}) };
  const because = basis(first, second);
  const tied = ranked.filter((r) => compareRanks(r.rank, first.rank) === 0).length;
  const tie = tied > 1 ? `${tied} candidates tied${because ? ' on that' : ''} and the tie-break ${decidedBy(winner, second.candidate) ?? 'observation-id'} decided` : '';
  const clauses = [because, tie].filter(Boolean).join(', ');
  return { winner, why: `${head}${clauses ? ` ${clauses}` : ''} (of ${ranked.length} candidates).`, ...(scores ? { scores } : {}) };
}
