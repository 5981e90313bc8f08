/** The SKOS grade algebra of decision 0005, every pair written out rather than recomputed. */
import { describe, expect, it } from 'vitest';
import { compose, inverse, weakerOf, type Relation } from './grades.js';

const ALL: Relation[] = ['exact', 'close', 'broader', 'narrower'];

// first ∘ second: A's relation to the pivot, then the pivot's relation to B.
const COMPOSITION: Record<Relation, Record<Relation, Relation | null>> = {
  exact: { exact: 'exact', close: 'close', broader: 'broader', narrower: 'narrower' },
  close: { exact: 'close', close: 'close', broader: 'broader', narrower: 'narrower' },
  broader: { exact: 'broader', close: 'broader', broader: 'broader', narrower: null },
  narrower: { exact: 'narrower', close: 'narrower', broader: null, narrower: 'narrower' },
};

describe('grades', () => {
  it.each(ALL.flatMap((a) => ALL.map((b) => [a, b, COMPOSITION[a][b]] as const)))('%s ∘ %s = %s', (a, b, expected) => {
    expect(compose(a, b)).toBe(expected);
  });

  it('inverts broader and narrower, and keeps exact and close', () => {
    expect(ALL.map(inverse)).toEqual(['exact', 'close', 'narrower', 'broader']);
    for (const r of ALL) expect(inverse(inverse(r))).toBe(r);
  });

  it('carries the weaker grade: exact > close > broader, narrower', () => {
    expect(weakerOf('exact', 'close')).toBe('close');
    expect(weakerOf('close', 'exact')).toBe('close');
    expect(weakerOf('close', 'broader')).toBe('broader');
    expect(weakerOf('narrower', 'close')).toBe('narrower');
    expect(weakerOf('exact', 'exact')).toBe('exact');
    // A composition never says more than either of its parts.
    const strength = { exact: 3, close: 2, broader: 1, narrower: 1 };
    for (const a of ALL) for (const b of ALL) {
      const c = compose(a, b);
      if (c !== null) expect(strength[c]).toBe(Math.min(strength[a], strength[b]));
    }
  });
});
