/**
 * The declaration's `arbitration` (docs/decisions/0007-reconciliation.md, "Arbitration"): the
 * old three-policy shorthand, or per-class / per-field rules (first match wins) over a default
 * strategy, with a declared tie-break that always ends in the observation id, so it is total.
 * The schema checks shapes; `arbitrationIssues` checks what depends on the rest of the
 * declaration (its partners, classes and fields), so the declaration's validation refuses a bad
 * policy with a path and a reason, and nothing is refused at merge time.
 *
 * Every member added here is optional: a declaration signed before it grew still parses to the
 * same canonical bytes, so its signatures still verify (no defaults are written into it; they
 * are applied when read, by `effectiveArbitration`).
 */
import { z } from 'zod';
import { MeshCode } from '../../common/atoms.js';
import { ObservationClass } from '../../observation/record.js';
import { checkExpr, type Expr, type ExprIssue } from './expr.js';

/** The composite's attributes, each a score in 0–1 per candidate. */
export const COMPOSITE_ATTRIBUTES = ['freshness', 'confidence', 'sourceClass', 'credentialStrength'] as const;
export type CompositeAttribute = (typeof COMPOSITE_ATTRIBUTES)[number];
/** Declared weights must sum to 1 within this (0007). */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** The freshness scale when none is declared: a candidate an hour older than the newest scores ½. */
export const DEFAULT_FRESHNESS_SCALE_SECONDS = 3_600;

export const TIE_BREAK_KEYS = ['stated-time', 'mesh-order', 'observation-id'] as const;
export type TieBreakKey = (typeof TIE_BREAK_KEYS)[number];
/** The tie-break of a shorthand declaration that names none. */
export const DEFAULT_TIE_BREAK: readonly TieBreakKey[] = ['stated-time', 'observation-id'];

const FieldName = z.string().min(1).max(128).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'expected a field name of letters, digits, _ . -');
// eslint-disable-next-line no-control-regex -- control characters would let a policy forge lines in the why of an arbitration.
const Authority = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'expected text without control characters');
const Weight = z.number().min(0).max(1_000_000);
const Seconds = z.number().positive().max(31_536_000);

export const Strategy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('originator-wins') }),
  z.strictObject({ kind: z.literal('most-recent') }),
  z.strictObject({ kind: z.literal('priority'), by: z.enum(['mesh', 'authority']), order: z.array(z.union([MeshCode, Authority])).min(1).max(64) }),
  z.strictObject({ kind: z.literal('authority-weight'), weights: z.record(MeshCode, Weight) }),
  z.strictObject({
    kind: z.literal('composite'),
    weights: z.partialRecord(z.enum(COMPOSITE_ATTRIBUTES), z.number().min(0).max(1)),
    sourceClassScores: z.record(ObservationClass, z.number().min(0).max(1)).optional(),
    freshnessScaleSeconds: Seconds.optional(),
  }),
  z.strictObject({ kind: z.literal('custom'), rule: z.unknown(), freshnessScaleSeconds: Seconds.optional() }),
]);
export type Strategy = z.infer<typeof Strategy>;

export const ArbitrationRule = z.strictObject({
  classes: z.array(ObservationClass).min(1).max(256).optional(),
  fields: z.array(FieldName).min(1).max(256).optional(),
  strategy: Strategy,
});
export type ArbitrationRule = z.infer<typeof ArbitrationRule>;

export const SHORTHAND_POLICIES = ['originator-wins', 'most-recent', 'human-decision'] as const;

export const Arbitration = z.strictObject({
  /** The shorthand of declarations before 0007; with rules, it is the default. */
  policy: z.enum(SHORTHAND_POLICIES).optional(),
  rules: z.array(ArbitrationRule).max(64).optional(),
  default: Strategy.optional(),
  tieBreak: z.array(z.enum(TIE_BREAK_KEYS)).min(1).max(3).optional(),
  meshOrder: z.array(MeshCode).min(1).max(16).optional(),
  /** Divergence above this (0–1, the weighted share of fields that disagree) goes to a human. */
  divergenceThreshold: z.number().min(0).max(1),
  /** Stated times closer than this are concurrent for divergence. */
  concurrencyWindowSeconds: z.number().min(0).max(31_536_000).optional(),
  fieldWeights: z.record(FieldName, Weight).optional(),
  classWeights: z.record(ObservationClass, Weight).optional(),
  /** Which partner's decision prevails when two decide one queue item differently. */
  decisionPrecedence: z.array(MeshCode).min(1).max(16).optional(),
});
export type Arbitration = z.infer<typeof Arbitration>;

/** What the rest of the declaration lets a policy name. `fields` is absent when the declaration lists none. */
export interface ArbitrationNames {
  readonly meshes: readonly string[];
  readonly classes: readonly string[];
  readonly fields?: readonly string[];
}

export type ArbitrationIssueReason = ExprIssue['reason'] | 'unknown-mesh' | 'unknown-class' | 'unknown-field' | 'weights-do-not-sum' | 'tie-break-not-total' | 'ambiguous-policy';

export interface ArbitrationIssue {
  readonly path: (string | number)[];
  readonly message: string;
  readonly reason: ArbitrationIssueReason;
}

/**
 * The problems of a shape-valid arbitration within its declaration, each with its path under
 * `arbitration` and a reason code. Empty when the policy may be adopted.
 */
export function arbitrationIssues(arbitration: Arbitration, names: ArbitrationNames): ArbitrationIssue[] {
  const issues: ArbitrationIssue[] = [];
  const add = (path: (string | number)[], reason: ArbitrationIssueReason, message: string) => issues.push({ path, reason, message });
  const mesh = (value: string, path: (string | number)[]) => {
    if (!names.meshes.includes(value)) add(path, 'unknown-mesh', `${value} is not a partner (${names.meshes.join(', ')})`);
  };
  const cls = (value: string, path: (string | number)[]) => {
    if (!names.classes.includes(value)) add(path, 'unknown-class', `${value} is not a class the declaration names (${names.classes.join(', ')})`);
  };
  const field = (value: string, path: (string | number)[]) => {
    if (names.fields && !names.fields.includes(value)) add(path, 'unknown-field', `${value} is not a field the declaration lists (${names.fields.join(', ')})`);
  };
  const unique = (list: readonly string[], path: (string | number)[]) => {
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) add([...path, i], 'ambiguous-policy', `${v} is named twice`);
    });
  };

  const strategy = (s: Strategy, path: (string | number)[]) => {
    switch (s.kind) {
      case 'priority':
        unique(s.order, [...path, 'order']);
        if (s.by === 'mesh') s.order.forEach((m, i) => mesh(m, [...path, 'order', i]));
        break;
      case 'authority-weight': {
        const entries = Object.entries(s.weights);
        entries.forEach(([m]) => mesh(m, [...path, 'weights', m]));
        if (!entries.some(([, w]) => w > 0)) add([...path, 'weights'], 'weights-do-not-sum', 'at least one mesh needs a positive weight');
        break;
      }
      case 'composite': {
        // Summed in the attributes' fixed order, as the arbitration sums the scores.
        const sum = COMPOSITE_ATTRIBUTES.reduce((total, a) => total + (s.weights[a] ?? 0), 0);
        if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) add([...path, 'weights'], 'weights-do-not-sum', `the weights sum to ${sum}, not 1`);
        Object.keys(s.sourceClassScores ?? {}).forEach((c) => cls(c, [...path, 'sourceClassScores', c]));
        break;
      }
      case 'custom': {
        const found = checkExpr(s.rule, names, [...path, 'rule']);
        if (found) add(found.path, found.reason, found.message);
        break;
      }
      default:
        break;
    }
  };

  if (arbitration.policy !== undefined && arbitration.default !== undefined) {
    add(['default'], 'ambiguous-policy', 'give the policy shorthand or a default strategy, not both');
  }
  if (arbitration.policy === undefined && arbitration.default === undefined) {
    add(['default'], 'ambiguous-policy', 'a default strategy (or the policy shorthand) is needed for what no rule matches');
  }
  (arbitration.rules ?? []).forEach((rule, i) => {
    rule.classes?.forEach((c, j) => cls(c, ['rules', i, 'classes', j]));
    rule.fields?.forEach((f, j) => field(f, ['rules', i, 'fields', j]));
    strategy(rule.strategy, ['rules', i, 'strategy']);
  });
  if (arbitration.default) strategy(arbitration.default, ['default']);

  if (arbitration.tieBreak) {
    unique(arbitration.tieBreak, ['tieBreak']);
    // Observation ids are unique (content digests), so a tie-break ending in them orders any set.
    if (arbitration.tieBreak.at(-1) !== 'observation-id') add(['tieBreak'], 'tie-break-not-total', 'the tie-break must end with observation-id, or two candidates could tie');
    if (arbitration.tieBreak.includes('mesh-order') && !arbitration.meshOrder) add(['meshOrder'], 'tie-break-not-total', 'the tie-break uses mesh-order, so the meshOrder must be declared');
  }
  if (arbitration.meshOrder) {
    unique(arbitration.meshOrder, ['meshOrder']);
    arbitration.meshOrder.forEach((m, i) => mesh(m, ['meshOrder', i]));
  }
  if (arbitration.decisionPrecedence) {
    unique(arbitration.decisionPrecedence, ['decisionPrecedence']);
    arbitration.decisionPrecedence.forEach((m, i) => mesh(m, ['decisionPrecedence', i]));
  }
  Object.keys(arbitration.classWeights ?? {}).forEach((c) => cls(c, ['classWeights', c]));
  return issues;
}

/** The concurrency window of a declaration that names none (ours, not 0007's): five minutes. */
export const DEFAULT_CONCURRENCY_WINDOW_SECONDS = 300;

export interface EffectiveArbitration {
  readonly tieBreak: readonly TieBreakKey[];
  readonly concurrencyWindowSeconds: number;
  /** The declared precedence, else the mesh order, else the partners as the declaration lists them. */
  readonly decisionPrecedence: readonly string[];
}

/** The members a shorthand declaration leaves out, filled in the same way on every mesh. */
export function effectiveArbitration(arbitration: Arbitration, partners: readonly string[]): EffectiveArbitration {
  return {
    tieBreak: arbitration.tieBreak ?? DEFAULT_TIE_BREAK,
    concurrencyWindowSeconds: arbitration.concurrencyWindowSeconds ?? DEFAULT_CONCURRENCY_WINDOW_SECONDS,
    decisionPrecedence: arbitration.decisionPrecedence ?? arbitration.meshOrder ?? partners,
  };
}

/** A custom strategy's rule once validated. */
export const ruleOf = (strategy: Extract<Strategy, { kind: 'custom' }>): Expr => strategy.rule as Expr;
