/**
 * The declaration's arbitration as issue 15 grows it: the old shorthand still parses to the same
 * bytes, a full policy is adopted, and every hostile policy is refused when the declaration is
 * validated, with its path and reason in one line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DeclarationError, declarationBytes, parseDeclaration, type Declaration } from './declaration.js';
import { declarationFor, testMesh, type TestMesh } from './test-fixtures.js';

let meshes: TestMesh[];
beforeAll(async () => {
  meshes = [await testMesh('DEU'), await testMesh('NLD'), await testMesh('POL')];
});

const withArbitration = (arbitration: unknown) => ({ ...declarationFor(meshes), arbitration }) as unknown as Declaration;

function refusalOf(arbitration: unknown): { reason: string; message: string } {
  try {
    parseDeclaration(withArbitration(arbitration));
  } catch (error) {
    if (error instanceof DeclarationError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('the declaration was accepted');
}

const full = {
  rules: [
    { classes: ['incident'], strategy: { kind: 'priority', by: 'mesh', order: ['NLD', 'DEU'] } },
    { classes: ['track'], fields: ['position'], strategy: { kind: 'composite', weights: { freshness: 0.5, confidence: 0.2, sourceClass: 0.1, credentialStrength: 0.2 }, sourceClassScores: { track: 1 } } },
    { fields: ['identity'], strategy: { kind: 'custom', rule: { op: 'max', args: [{ attr: 'confidence' }, { op: '*', args: [0.5, { mesh: 'POL' }] }] } } },
    { fields: ['speed'], strategy: { kind: 'authority-weight', weights: { DEU: 0.5, NLD: 0.3, POL: 0.2 } } },
  ],
  default: { kind: 'most-recent' },
  tieBreak: ['stated-time', 'mesh-order', 'observation-id'],
  meshOrder: ['DEU', 'NLD', 'POL'],
  divergenceThreshold: 0.3,
  concurrencyWindowSeconds: 120,
  fieldWeights: { position: 2, identity: 3, speed: 1 },
  classWeights: { track: 1, incident: 2 },
  decisionPrecedence: ['NLD', 'DEU', 'POL'],
};

describe('a declaration’s arbitration', () => {
  it('keeps the old shorthand valid and byte for byte the same (its signatures still verify)', () => {
    const old = declarationFor(meshes);
    const parsed = parseDeclaration(old);
    expect(parsed.arbitration).toEqual({ policy: 'originator-wins', divergenceThreshold: 0.2 });
    expect(declarationBytes(parsed).equals(declarationBytes(old))).toBe(true);
  });

  it('accepts the full policy: rules, strategies, weights, a custom rule and a total tie-break', () => {
    expect(parseDeclaration(withArbitration(full)).arbitration).toEqual(full);
  });

  it.each([
    ['an unknown mesh in a priority', { ...full, rules: [{ strategy: { kind: 'priority', by: 'mesh', order: ['FRA'] } }] }, 'unknown-mesh', 'declaration.arbitration.rules[0].strategy.order[0]: FRA is not a partner (DEU, NLD, POL)'],
    ['an unknown mesh in the decision precedence', { ...full, decisionPrecedence: ['DEU', 'USA'] }, 'unknown-mesh', 'declaration.arbitration.decisionPrecedence[1]: USA is not a partner'],
    ['an unknown mesh weighed', { ...full, default: { kind: 'authority-weight', weights: { DEU: 1, GBR: 1 } } }, 'unknown-mesh', 'declaration.arbitration.default.weights.GBR: GBR is not a partner'],
    ['an unknown mesh in a custom rule', { ...full, default: { kind: 'custom', rule: { mesh: 'FRA' } } }, 'unknown-mesh', 'declaration.arbitration.default.rule.mesh: FRA is not a partner'],
    ['an unknown class in a rule', { ...full, rules: [{ classes: ['track', 'radar'], strategy: { kind: 'most-recent' } }] }, 'unknown-class', 'declaration.arbitration.rules[0].classes[1]: radar is not a class the declaration names (track, incident)'],
    ['an unknown class weighed', { ...full, classWeights: { logistics: 1 } }, 'unknown-class', 'declaration.arbitration.classWeights.logistics: logistics is not a class the declaration names'],
    ['an unknown field', { ...full, rules: [{ fields: ['altitude'], strategy: { kind: 'most-recent' } }] }, 'unknown-field', 'declaration.arbitration.rules[0].fields[0]: altitude is not a field the declaration lists (position, identity, speed)'],
    ['composite weights that do not sum to 1', { ...full, default: { kind: 'composite', weights: { freshness: 0.5, confidence: 0.4 } } }, 'weights-do-not-sum', 'declaration.arbitration.default.weights: the weights sum to 0.9, not 1'],
    ['authority weights all zero', { ...full, default: { kind: 'authority-weight', weights: { DEU: 0 } } }, 'weights-do-not-sum', 'at least one mesh needs a positive weight'],
    ['a tie-break that does not end with the id', { ...full, tieBreak: ['observation-id', 'stated-time'] }, 'tie-break-not-total', 'declaration.arbitration.tieBreak: the tie-break must end with observation-id'],
    ['a mesh-order tie-break with no order', { ...full, meshOrder: undefined }, 'tie-break-not-total', 'declaration.arbitration.meshOrder: the tie-break uses mesh-order'],
    ['a custom rule too deep', { ...full, default: { kind: 'custom', rule: nest(9) } }, 'rule-too-deep', 'the rule is deeper than 8 levels'],
    ['a custom rule too long', { ...full, default: { kind: 'custom', rule: wide() } }, 'rule-too-long', 'the rule has more than 64 nodes'],
    ['a custom rule with an unknown operator', { ...full, default: { kind: 'custom', rule: { op: 'pow', args: [2, 3] } } }, 'ill-formed-rule', 'declaration.arbitration.default.rule: unknown operator pow'],
    ['a custom rule with code in it', { ...full, default: { kind: 'custom', rule: 'process.exit(1)' } }, 'ill-formed-rule', 'expected a number, {attr}, {mesh}, {class} or {op, args}'],
    ['a custom rule with a wrong arity', { ...full, default: { kind: 'custom', rule: { op: 'if', args: [1, 2] } } }, 'ill-formed-rule', 'declaration.arbitration.default.rule: if takes 3 arguments, not 2'],
    ['a custom rule reading an unknown attribute', { ...full, default: { kind: 'custom', rule: { op: '+', args: [1, { attr: 'constructor' }] } } }, 'ill-formed-rule', 'declaration.arbitration.default.rule.args[1]: unknown attribute constructor'],
    ['both the shorthand and a default', { ...full, policy: 'most-recent' }, 'ambiguous-policy', 'give the policy shorthand or a default strategy, not both'],
    ['neither the shorthand nor a default', { divergenceThreshold: 0.2, rules: [{ classes: ['track'], strategy: { kind: 'most-recent' } }] }, 'ambiguous-policy', 'a default strategy (or the policy shorthand) is needed'],
    ['an unknown strategy', { ...full, default: { kind: 'coin-toss' } }, 'malformed-declaration', 'declaration.arbitration.default.kind'],
  ])('refuses %s with its reason and path', (_what, arbitration, reason, words) => {
    const refused = refusalOf(arbitration);
    expect(refused.reason).toBe(reason);
    expect(refused.message).toContain(words);
    expect(refused.message).toMatch(/^The declaration is (refused|malformed): declaration\.arbitration/);
    expect(refused.message).not.toMatch(/\n/);
  });

  it('refuses a hostile rule of any size by its bounds, never walking past them', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { op: '-', args: [deep] };
    expect(refusalOf({ ...full, default: { kind: 'custom', rule: deep } }).reason).toBe('rule-too-deep');
    expect(refusalOf({ ...full, default: { kind: 'custom', rule: { op: '+', args: Array.from({ length: 100_000 }, () => 1) } } }).reason).toBe('ill-formed-rule');
  });
});

/** A chain of `n` nested nodes. */
function nest(n: number): unknown {
  let rule: unknown = { attr: 'confidence' };
  for (let i = 1; i < n; i += 1) rule = { op: '-', args: [rule] };
  return rule;
}

/** 73 nodes within depth 3: eight sums of eight. */
function wide(): unknown {
  return { op: '+', args: Array.from({ length: 8 }, () => ({ op: '+', args: Array.from({ length: 8 }, () => 1) })) };
}
