/**
 * Graded equivalence, after the W3C SKOS mapping relations (SKOS Reference §10): exact
 * (exactMatch: interchangeable), close (closeMatch: similar enough for some uses), broader and
 * narrower (broadMatch / narrowMatch). "term broader pivot" reads as SKOS does: the pivot is
 * the broader concept. Composing two mappings through a pivot gives at best the weaker of the
 * two, and broader composed with narrower says nothing (decision 0005).
 */
import { z } from 'zod';

export const Relation = z.enum(['exact', 'close', 'broader', 'narrower']);
export type Relation = z.infer<typeof Relation>;

/** How much a grade says: exact > close > broader, narrower (the last two equally little). */
const STRENGTH: Readonly<Record<Relation, number>> = { exact: 3, close: 2, broader: 1, narrower: 1 };

/** The same mapping read the other way: "A broader P" is "P narrower A". */
export function inverse(relation: Relation): Relation {
  return relation === 'broader' ? 'narrower' : relation === 'narrower' ? 'broader' : relation;
}

/**
 * A → pivot → B, given A's relation to the pivot and the pivot's relation to B (the inverse of
 * B's attestation). Null where the two say nothing together: two concepts on opposite sides of
 * the pivot's extent (broader∘narrower, narrower∘broader) need not overlap at all.
 */
export function compose(first: Relation, second: Relation): Relation | null {
  if (first === 'exact') return second;
  if (second === 'exact') return first;
  if (first === 'close') return second;
  if (second === 'close') return first;
  return first === second ? first : null;
}

/** The weaker of two grades; between broader and narrower (equally weak) the first. */
export function weakerOf(a: Relation, b: Relation): Relation {
  return STRENGTH[b] < STRENGTH[a] ? b : a;
}

/** Whether `a` says more than `b`. */
export function stronger(a: Relation, b: Relation): boolean {
  return STRENGTH[a] > STRENGTH[b];
}

/** Only an exact grade is used as is; any other is approximate. */
export const isApproximate = (grade: Relation): boolean => grade !== 'exact';
