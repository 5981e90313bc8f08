/** Declared arbitration (docs/decisions/0007-reconciliation.md): the policy's schema, its validation, the rule interpreter, `arbitrate`. */
export { arbitrate, chooseStrategy, type Arbitrated, type ArbitrationContext, type Candidate, type ChosenStrategy } from './arbitrate.js';
export { checkExpr, evaluateExpr, EXPR_ATTRIBUTES, EXPR_MAX_DEPTH, EXPR_MAX_NODES, EXPR_OPERATORS, type Expr, type ExprIssue } from './expr.js';
export {
  Arbitration,
  arbitrationIssues,
  ArbitrationRule,
  COMPOSITE_ATTRIBUTES,
  DEFAULT_CONCURRENCY_WINDOW_SECONDS,
  DEFAULT_FRESHNESS_SCALE_SECONDS,
  DEFAULT_TIE_BREAK,
  effectiveArbitration,
  SHORTHAND_POLICIES,
  Strategy,
  TIE_BREAK_KEYS,
  WEIGHT_SUM_TOLERANCE,
  type ArbitrationIssue,
  type ArbitrationIssueReason,
  type ArbitrationNames,
  type EffectiveArbitration,
  type TieBreakKey,
} from './schema.js';
