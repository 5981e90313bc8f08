/**
 * Properties of arbitration (issue 15, "Correctness"): for any valid policy and any candidates,
 * the winner is one of them (totality), the same in every order and with duplicates delivered
 * twice (determinism), and every rule within the bounds terminates with a finite score; any
 * JSON offered as a rule is either checked well formed or refused with a reason, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitrate, type Candidate } from './arbitrate.js';
import { checkExpr, evaluateExpr, EXPR_ATTRIBUTES, EXPR_MAX_DEPTH, EXPR_MAX_NODES, type Expr } from './expr.js';
import { Arbitration, arbitrationIssues, COMPOSITE_ATTRIBUTES } from './schema.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const MESHES = ['DEU', 'NLD', 'POL'];
const CLASSES = ['track', 'incident'];
const NAMES = { meshes: MESHES, classes: CLASSES };

/** Rule trees of any shape up to one level past the depth bound, so some are refused. */
const expr: fc.Arbitrary<Expr> = fc.letrec<{ node: Expr }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'medium', maxDepth: 10, withCrossShrink: true },
    fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })),
    fc.constantFrom(...EXPR_ATTRIBUTES).map((attr) => ({ attr })),
    fc.constantFrom(...MESHES).map((mesh) => ({ mesh })),
    fc.constantFrom(...CLASSES).map((c) => ({ class: c })),
    fc.tuple(fc.constantFrom('+', '*', 'min', 'max'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([op, args]) => ({ op, args }) as Expr),
    fc.tuple(fc.constantFrom('-', '/', '<', '<=', '>', '>=', '==', '!='), tie('node'), tie('node')).map(([op, a, b]) => ({ op, args: [a, b] }) as Expr),
    fc.tuple(tie('node'), tie('node'), tie('node')).map((args) => ({ op: 'if', args }) as Expr),
  ),
})).node;

/** Trees pushed to and past the bounds: a random tree under a chain of negations, or many trees under nested sums. */
const nearBounds: fc.Arbitrary<Expr> = fc.oneof(
  expr,
  fc.tuple(fc.integer({ min: 1, max: 10 }), expr).map(([k, tree]) => {
    let rule = tree;
    for (let i = 0; i < k; i += 1) rule = { op: '-', args: [rule] };
    return rule;
  }),
  fc.array(fc.array(expr, { minLength: 2, maxLength: 8 }).map((args) => ({ op: '+', args }) as Expr), { minLength: 2, maxLength: 8 }).map((args) => ({ op: 'max', args }) as Expr),
);

const weights = fc.array(fc.integer({ min: 0, max: 10 }), { minLength: COMPOSITE_ATTRIBUTES.length, maxLength: COMPOSITE_ATTRIBUTES.length }).filter((w) => w.some((x) => x > 0)).map((w) => {
  const total = w.reduce((a, b) => a + b, 0);
  // The last weight takes the rounding so the sum is 1 within the tolerance.
  const shares = w.map((x) => x / total);
  return Object.fromEntries(COMPOSITE_ATTRIBUTES.map((a, i) => [a, shares[i]!]));
});

const strategy = fc.oneof(
  fc.constant({ kind: 'originator-wins' as const }),
  fc.constant({ kind: 'most-recent' as const }),
  fc.shuffledSubarray(MESHES, { minLength: 1 }).map((order) => ({ kind: 'priority' as const, by: 'mesh' as const, order })),
  fc.shuffledSubarray(['DEU-C2', 'NLD-JFC', 'POL-OC'], { minLength: 1 }).map((order) => ({ kind: 'priority' as const, by: 'authority' as const, order })),
  fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b, c]) => ({ kind: 'authority-weight' as const, weights: { DEU: a, NLD: b, POL: c } })),
  weights.map((w) => ({ kind: 'composite' as const, weights: w, sourceClassScores: { track: 0.5, incident: 1 } })),
  expr.filter((rule) => checkExpr(rule, NAMES) === null).map((rule) => ({ kind: 'custom' as const, rule })),
);

const policy: fc.Arbitrary<Arbitration> = fc
  .record({
    rules: fc.array(fc.record({ classes: fc.option(fc.shuffledSubarray(CLASSES, { minLength: 1 }), { nil: undefined }), fields: fc.option(fc.constantFrom(['f'], ['g']), { nil: undefined }), strategy }, { requiredKeys: ['strategy'] }), { maxLength: 3 }),
    fallback: fc.oneof(strategy.map((s) => ({ default: s })), fc.constantFrom('originator-wins', 'most-recent', 'human-decision').map((p) => ({ policy: p }))),
    tieBreak: fc.constantFrom(['observation-id'], ['stated-time', 'observation-id'], ['mesh-order', 'observation-id'], ['stated-time', 'mesh-order', 'observation-id']),
    meshOrder: fc.shuffledSubarray(MESHES, { minLength: 1 }),
  })
  .map(({ rules, fallback, tieBreak, meshOrder }) => Arbitration.parse({ rules, ...fallback, tieBreak, meshOrder, divergenceThreshold: 0.2 }));

const T0 = Date.parse('2026-12-01T00:00:00Z');
/** Up to 8 candidates with unique ids, few distinct values and stated times (so ties happen), and lineage to earlier ones. */
const candidates: fc.Arbitrary<Candidate[]> = fc
  .array(
    fc.record({
      mesh: fc.constantFrom(...MESHES),
      class: fc.constantFrom(...CLASSES),
      statedAt: fc.integer({ min: 0, max: 4 }).map((k) => T0 + k * 60_000),
      hlc: fc.record({ l: fc.integer({ min: 0, max: 3 }).map((k) => T0 + k), c: fc.integer({ min: 0, max: 2 }) }),
      value: fc.constantFrom('a', 'b', 'c', 1, null),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      authority: fc.constantFrom('DEU-C2', 'NLD-JFC', 'POL-OC', 'other'),
      credentialStrength: fc.constantFrom(0, 0.5, 1),
      cites: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((drafts) => {
    const ids = drafts.map((_, i) => ((i * 2_654_435_761) >>> 0).toString(16).padStart(64, '0'));
    return drafts.map(({ confidence, cites, ...d }, i) => ({
      ...d,
      id: ids[i]!,
      payload: confidence === undefined ? {} : { confidence },
      device: 'dev',
      sources: i === 0 ? [] : [...new Set(cites.map((c) => ids[c % i]!))].sort(),
    }));
  });

const permutation = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('arbitration properties', () => {
  it('is total and deterministic: same winner, why and scores in any order, duplicates included', () => {
    fc.assert(
      fc.property(policy, candidates, fc.constantFrom('f', 'g', 'h'), (arbitration, set, field) => {
        const expected = arbitrate(arbitration, 'subject', field, set);
        expect(set).toContain(expected.winner);
        fc.assert(
          fc.property(permutation(set), fc.array(fc.nat(set.length - 1), { maxLength: 3 }), (order, twice) => {
            const delivered = [...order, ...twice.map((i) => order[i]!)];
            const got = arbitrate(arbitration, 'subject', field, delivered);
            expect(got).toEqual(expected);
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: runs },
    );
  });

  it('terminates with a finite score for every rule within the bounds', () => {
    const verdicts = new Map<string, number>();
    fc.assert(
      fc.property(nearBounds, candidates, (rule, set) => {
        const found = checkExpr(rule, NAMES);
        verdicts.set(found?.reason ?? 'accepted', (verdicts.get(found?.reason ?? 'accepted') ?? 0) + 1);
        if (found !== null) return;
        for (const c of set) {
          const score = evaluateExpr(rule, { attributes: { freshness: 1, ageSeconds: 0, confidence: 0.5, credentialStrength: 1, meshRank: 2, sourceCount: c.sources.length }, mesh: c.mesh, class: c.class });
          expect(Number.isFinite(score)).toBe(true);
        }
        const out = arbitrate(Arbitration.parse({ default: { kind: 'custom', rule }, divergenceThreshold: 0 }), 's', 'f', set);
        expect(Object.values(out.scores!).every(Number.isFinite)).toBe(true);
      }),
      { numRuns: runs },
    );
    // The trees reach past the bounds too, so both sides of them were exercised.
    expect(verdicts.get('accepted') ?? 0).toBeGreaterThan(runs / 4);
    expect(verdicts.get('rule-too-deep') ?? 0).toBeGreaterThan(0);
    expect(verdicts.get('rule-too-long') ?? 0).toBeGreaterThan(0);
  });

  it('checks any JSON offered as a rule without a crash: accepted only within the bounds, else refused with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(nearBounds, fc.jsonValue({ maxDepth: 12 })), (rule) => {
        const found = checkExpr(rule, NAMES);
        if (found === null) {
          expect(depthOf(rule)).toBeLessThanOrEqual(EXPR_MAX_DEPTH);
          expect(nodesOf(rule)).toBeLessThanOrEqual(EXPR_MAX_NODES);
        } else {
          expect(['rule-too-deep', 'rule-too-long', 'ill-formed-rule', 'unknown-mesh', 'unknown-class']).toContain(found.reason);
          expect(found.message).not.toMatch(/\n/);
        }
        const issues = arbitrationIssues(Arbitration.parse({ default: { kind: 'custom', rule }, divergenceThreshold: 0 }), NAMES);
        expect(issues.length).toBe(found === null ? 0 : 1);
      }),
      { numRuns: runs * 3 },
    );
  });
});

function depthOf(node: unknown): number {
  if (typeof node === 'object' && node !== null && Array.isArray((node as { args?: unknown }).args)) return 1 + Math.max(0, ...(node as { args: unknown[] }).args.map(depthOf));
  return 1;
}
function nodesOf(node: unknown): number {
  if (typeof node === 'object' && node !== null && Array.isArray((node as { args?: unknown }).args)) return 1 + (node as { args: unknown[] }).args.reduce((n: number, a) => n + nodesOf(a), 0);
  return 1;
}
