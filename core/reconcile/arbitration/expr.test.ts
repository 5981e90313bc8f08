import { describe, expect, it } from 'vitest';
import { checkExpr, evaluateExpr, type Expr, type ExprScope } from './expr.js';

const scope: ExprScope = { attributes: { freshness: 0.5, ageSeconds: 3600, confidence: 0.8, credentialStrength: 1, meshRank: 1, sourceCount: 2 }, mesh: 'NLD', class: 'track' };
const run = (rule: Expr) => evaluateExpr(rule, scope);
const names = { meshes: ['DEU', 'NLD'], classes: ['track'] };

describe('the custom rule interpreter', () => {
  it('computes arithmetic, min/max, comparisons, predicates and if', () => {
    expect(run({ op: '+', args: [{ attr: 'confidence' }, { op: '*', args: [2, { attr: 'freshness' }] }] })).toBeCloseTo(1.8, 12);
    expect(run({ op: '-', args: [{ attr: 'sourceCount' }] })).toBe(-2);
    expect(run({ op: '-', args: [10, { attr: 'meshRank' }] })).toBe(9);
    expect(run({ op: 'min', args: [3, { attr: 'ageSeconds' }, 7] })).toBe(3);
    expect(run({ op: 'max', args: [3, { attr: 'ageSeconds' }] })).toBe(3600);
    expect([run({ op: '<', args: [1, 2] }), run({ op: '>=', args: [1, 2] }), run({ op: '==', args: [{ attr: 'credentialStrength' }, 1] }), run({ op: '!=', args: [1, 1] })]).toEqual([1, 0, 1, 0]);
    expect([run({ mesh: 'NLD' }), run({ mesh: 'DEU' }), run({ class: 'track' }), run({ class: 'incident' })]).toEqual([1, 0, 1, 0]);
    expect(run({ op: 'if', args: [{ mesh: 'NLD' }, 5, 6] })).toBe(5);
    expect(run({ op: 'if', args: [{ op: '>', args: [{ attr: 'ageSeconds' }, 7200] }, 5, 6] })).toBe(6);
  });

  it('defines what arithmetic leaves undefined: ÷0 is 0, overflow is 0, never NaN or −0', () => {
    expect(run({ op: '/', args: [1, 0] })).toBe(0);
    expect(run({ op: '/', args: [{ attr: 'confidence' }, { op: '-', args: [1, 1] }] })).toBe(0);
    expect(run({ op: '*', args: [1e300, 1e300] })).toBe(0);
    expect(run({ op: '-', args: [{ op: '*', args: [1e300, 1e10] }, { op: '*', args: [1e300, 1e10] }] })).toBe(0);
    expect(Object.is(run({ op: '*', args: [-1, 0] }), 0)).toBe(true);
  });

  it('refuses bad rules with the path to the node at fault', () => {
    expect(checkExpr({ op: '+', args: [1, { op: '/', args: [1] }] }, names)).toEqual({ path: ['args', 1], reason: 'ill-formed-rule', message: '/ takes 2 arguments, not 1' });
    expect(checkExpr({ op: '+', args: [1, 2], extra: true }, names)?.reason).toBe('ill-formed-rule');
    expect(checkExpr({ attr: '__proto__' }, names)?.reason).toBe('ill-formed-rule');
    expect(checkExpr({ class: 'incident' }, names)).toMatchObject({ reason: 'unknown-class', path: ['class'] });
    expect(checkExpr([1, 2], names)?.reason).toBe('ill-formed-rule');
    expect(checkExpr(null, names)?.reason).toBe('ill-formed-rule');
    expect(checkExpr({ op: 'if', args: [{ mesh: 'NLD' }, 1, 0] }, names)).toBeNull();
  });

  it('evaluates a rule that skipped validation to 0 past the depth bound instead of recursing on', () => {
    let rule: Expr = 7;
    for (let i = 0; i < 50; i += 1) rule = { op: '+', args: [rule, 0] };
    expect(run(rule)).toBe(0);
  });
});
