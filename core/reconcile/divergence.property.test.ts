/**
 * The divergence score against its definition read literally (0007): every pair of candidates,
 * from different meshes, stated within the window, unrelated through lineage, asserting different
 * values of a field. The detector only visits each mesh's candidates inside the window; on random
 * subjects it must find exactly the conflicts the literal reading finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { ancestry, divergenceOf, fieldsOf, type Candidate } from './divergence.js';

const WINDOW_SECONDS = 5;

function literalConflicts(candidates: readonly Candidate[]): string[] {
  const related = ancestry(candidates);
  const found: string[] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const [a, b] = [candidates[i]!, candidates[j]!];
      if (a.mesh === b.mesh || Math.abs(a.statedAt - b.statedAt) > WINDOW_SECONDS * 1000 || related(a.id, b.id)) continue;
      const fa = fieldsOf(a.payload);
      const fb = fieldsOf(b.payload);
      for (const [field, value] of fa) {
        if (fb.has(field) && canonicalize(value) !== canonicalize(fb.get(field))) found.push(`${field}:${[a.id, b.id].sort().join('|')}`);
      }
    }
  }
  return found.sort();
}

const candidate = fc.record({
  mesh: fc.constantFrom('DEU', 'NLD', 'FRA'),
  statedAt: fc.integer({ min: 0, max: 20_000 }),
  payload: fc.dictionary(fc.constantFrom('lat', 'lon', 'speed'), fc.integer({ min: 0, max: 2 }), { minKeys: 1 }),
  cites: fc.array(fc.nat({ max: 30 }), { maxLength: 2 }),
});

describe('divergenceOf, against its literal definition', () => {
  it('finds exactly the conflicting pairs of every random subject', () => {
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 30 }), (drawn) => {
        const ids = drawn.map((_, n) => n.toString(16).padStart(4, '0'));
        const candidates: Candidate[] = drawn.map((d, n) => ({
          id: ids[n]!,
          mesh: d.mesh,
          class: 'track',
          statedAt: d.statedAt,
          hlc: { l: d.statedAt, c: 0 },
          value: d.payload,
          payload: d.payload,
          authority: d.mesh,
          device: 'uav-7',
          credentialStrength: 1,
          sources: d.cites.filter((c) => c < n).map((c) => ids[c]!),
        }));
        const divergence = divergenceOf({ divergenceThreshold: 0.5, concurrencyWindowSeconds: WINDOW_SECONDS }, candidates);
        expect(divergence.conflicts.map((c) => `${c.field}:${c.pair.join('|')}`).sort()).toEqual(literalConflicts(candidates));
      }),
      { numRuns: 300 },
    );
  });
});
