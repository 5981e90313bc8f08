/**
 * The custom rule's expression language: a JSON syntax tree read by the fixed interpreter below,
 * never code. It has numbers, candidate attributes, two predicates on constants (the
 * candidate's mesh, its class), arithmetic, min/max, comparisons and `if`; no variables, no
 * loops, no strings evaluated. Bounded (depth ≤ 8, ≤ 64 nodes) and checked when the
 * declaration is validated, so every rule terminates in at most 64 steps per candidate.
 * Results are IEEE-754 doubles; + − × ÷ are correctly rounded everywhere, so every mesh
 * computes the same score bit for bit (no transcendental functions, whose last bit may vary).
 */

export const EXPR_MAX_DEPTH = 8;
export const EXPR_MAX_NODES = 64;

/** Candidate attributes a rule may read, each a number. */
export const EXPR_ATTRIBUTES = ['freshness', 'ageSeconds', 'confidence', 'credentialStrength', 'meshRank', 'sourceCount'] as const;
export type ExprAttribute = (typeof EXPR_ATTRIBUTES)[number];

const VARIADIC = ['+', '*', 'min', 'max'] as const;
const BINARY = ['-', '/', '<', '<=', '>', '>=', '==', '!='] as const;
export const EXPR_OPERATORS = [...VARIADIC, ...BINARY, 'if'] as const;
export type ExprOperator = (typeof EXPR_OPERATORS)[number];

export type Expr =
  | number
  | { attr: ExprAttribute }
  | { mesh: string }
  | { class: string }
  | { op: ExprOperator; args: Expr[] };

export interface ExprIssue {
  readonly path: (string | number)[];
  readonly message: string;
  readonly reason: 'rule-too-deep' | 'rule-too-long' | 'ill-formed-rule' | 'unknown-mesh' | 'unknown-class';
}

/** What a rule may name: the partners' meshes and the declaration's classes. */
export interface ExprNames {
  readonly meshes: readonly string[];
  readonly classes: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameKeys = (v: Record<string, unknown>, keys: readonly string[]) => {
  const own = Object.keys(v);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(v, k));
};

function arity(op: ExprOperator): [number, number] {
  if (op === 'if') return [3, 3];
  if (op === '-') return [1, 2];
  if ((BINARY as readonly string[]).includes(op)) return [2, 2];
  return [2, 8];
}

/**
 * Checks a candidate rule: shape, names, depth and size. Stops at the first problem, and never
 * walks deeper than the depth bound or further than the node bound, so a hostile tree of any
 * size costs at most 65 visits. Returns null when the rule is well formed.
 */
export function checkExpr(rule: unknown, names: ExprNames, at: (string | number)[] = []): ExprIssue | null {
  let nodes = 0;
  const visit = (node: unknown, depth: number, path: (string | number)[]): ExprIssue | null => {
    if (depth > EXPR_MAX_DEPTH) return { path, message: `the rule is deeper than ${EXPR_MAX_DEPTH} levels`, reason: 'rule-too-deep' };
    nodes += 1;
    if (nodes > EXPR_MAX_NODES) return { path, message: `the rule has more than ${EXPR_MAX_NODES} nodes`, reason: 'rule-too-long' };
    const ill = (message: string): ExprIssue => ({ path, message, reason: 'ill-formed-rule' });
    if (typeof node === 'number') return Number.isFinite(node) ? null : ill('a number in a rule must be finite');
    if (!isRecord(node)) return ill('expected a number, {attr}, {mesh}, {class} or {op, args}');
    if (sameKeys(node, ['attr'])) {
      return (EXPR_ATTRIBUTES as readonly unknown[]).includes(node.attr) ? null : ill(`unknown attribute ${String(node.attr)} (expected one of ${EXPR_ATTRIBUTES.join(', ')})`);
    }
    if (sameKeys(node, ['mesh'])) {
      return typeof node.mesh === 'string' && names.meshes.includes(node.mesh) ? null : { path: [...path, 'mesh'], message: `${String(node.mesh)} is not a partner (${names.meshes.join(', ')})`, reason: 'unknown-mesh' };
    }
    if (sameKeys(node, ['class'])) {
      return typeof node.class === 'string' && names.classes.includes(node.class) ? null : { path: [...path, 'class'], message: `${String(node.class)} is not a class the declaration names (${names.classes.join(', ')})`, reason: 'unknown-class' };
    }
    if (!sameKeys(node, ['op', 'args'])) return ill('expected a number, {attr}, {mesh}, {class} or {op, args}, with no other members');
    if (!(EXPR_OPERATORS as readonly unknown[]).includes(node.op)) return ill(`unknown operator ${String(node.op)} (expected one of ${EXPR_OPERATORS.join(' ')})`);
    const op = node.op as ExprOperator;
    if (!Array.isArray(node.args)) return ill(`${op} expects an args array`);
    const [min, max] = arity(op);
    if (node.args.length < min || node.args.length > max) return ill(`${op} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${node.args.length}`);
    for (let i = 0; i < node.args.length; i += 1) {
      const found = visit(node.args[i], depth + 1, [...path, 'args', i]);
      if (found) return found;
    }
    return null;
  };
  return visit(rule, 1, at);
}

/** What a rule reads of one candidate, computed by the arbitration over the whole candidate set. */
export interface ExprScope {
  readonly attributes: Readonly<Record<ExprAttribute, number>>;
  readonly mesh: string;
  readonly class: string;
}

/** Keeps every intermediate value a finite double with one zero, so no NaN or ∞ can spread. */
const finite = (x: number): number => (Number.isFinite(x) ? x + 0 : 0);

/**
 * Evaluates a checked rule for one candidate. Division by zero is 0, any non-finite
 * intermediate is 0, comparisons and predicates give 1 or 0, `if` takes its second argument
 * when the first is non-zero. A node past the depth bound (a rule that skipped validation)
 * evaluates to 0 rather than recursing on.
 */
export function evaluateExpr(rule: Expr, scope: ExprScope, depth = 1): number {
  if (depth > EXPR_MAX_DEPTH) return 0;
  if (typeof rule === 'number') return finite(rule);
  if ('attr' in rule) return finite(scope.attributes[rule.attr] ?? 0);
  if ('mesh' in rule) return scope.mesh === rule.mesh ? 1 : 0;
  if ('class' in rule) return scope.class === rule.class ? 1 : 0;
  const next = depth + 1;
  if (rule.op === 'if') {
    const [test, then, otherwise] = rule.args;
    if (test === undefined || then === undefined || otherwise === undefined) return 0;
    return evaluateExpr(test, scope, next) !== 0 ? evaluateExpr(then, scope, next) : evaluateExpr(otherwise, scope, next);
  }
  const values = rule.args.map((arg) => evaluateExpr(arg, scope, next));
  const [a = 0, b = 0] = values;
  switch (rule.op) {
    case '+': return finite(values.reduce((sum, v) => sum + v, 0));
    case '*': return finite(values.reduce((product, v) => finite(product * v), 1));
    case 'min': return finite(Math.min(...values));
    case 'max': return finite(Math.max(...values));
    case '-': return finite(values.length === 1 ? -a : a - b);
    case '/': return b === 0 ? 0 : finite(a / b);
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    default: return 0;
  }
}
