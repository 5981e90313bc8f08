/** Originator and alternative labels side by side: a translation is added, the originator's label never replaced. */
import { describe, expect, it } from 'vitest';
import { LabelError } from './errors.js';
import { parseLabel } from './label.js';
import { addAlternativeLabel, LabelSet, labelSetOf } from './label-set.js';

const deu = parseLabel({
  kind: 'originator',
  policy: { id: 'DEU' },
  classification: 'GEHEIM',
  categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['NLD', 'DEU'] }],
  createdAt: '2026-11-23T08:00:00Z',
});
const nato = parseLabel({ ...deu, kind: 'alternative', policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' }, classification: 'SECRET' });
const nld = parseLabel({ ...deu, kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM' });

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LabelError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('label sets', () => {
  it('adds translations beside the originator label, sorted by policy, without touching it', () => {
    const start = labelSetOf(deu);
    const set = addAlternativeLabel(addAlternativeLabel(start, nld), nato);
    expect(set.originator).toEqual(deu);
    expect(set.alternatives.map((a) => a.policy.id)).toEqual(['NATO', 'NLD']);
    expect(start.alternatives).toEqual([]);
    expect(LabelSet.safeParse(set).success).toBe(true);
    // The same translation again is no change at all.
    expect(addAlternativeLabel(set, nato)).toBe(set);
  });

  it('refuses to overwrite the originator, to translate into its own policy, or to replace a translation', () => {
    const set = addAlternativeLabel(labelSetOf(deu), nato);
    expect(reasonOf(() => addAlternativeLabel(set, { ...nato, kind: 'originator' }))).toBe('originator-overwrite');
    expect(reasonOf(() => addAlternativeLabel(set, { ...deu, kind: 'alternative', classification: 'STRENG GEHEIM' }))).toBe('alternative-same-policy');
    expect(reasonOf(() => addAlternativeLabel(set, { ...nato, classification: 'TOP SECRET' }))).toBe('alternative-conflict');
    expect(reasonOf(() => labelSetOf(nato))).toBe('malformed-label');
  });

  it('checks a set read from outside', () => {
    expect(LabelSet.safeParse({ originator: nato, alternatives: [] }).success).toBe(false);
    expect(LabelSet.safeParse({ originator: deu, alternatives: [deu] }).success).toBe(false);
    expect(LabelSet.safeParse({ originator: deu, alternatives: [nld, nato] }).success).toBe(false);
    expect(LabelSet.safeParse({ originator: deu, alternatives: [nato, nato] }).success).toBe(false);
  });
});
