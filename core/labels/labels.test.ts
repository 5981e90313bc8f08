/** Labels against their policies: accepted in canonical order, or refused with a named reason. */
import { describe, expect, it } from 'vitest';
import { markingOf } from './markings.js';
import { defaultNationalPolicy, NATO_POLICY } from './nato-policy.js';
import { LabelError, validateLabel } from './validate.js';

const policies = [NATO_POLICY, defaultNationalPolicy('DEU')];
const natoSecret = {
  kind: 'originator',
  policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
  classification: 'SECRET',
  categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['NLD', 'DEU', 'NLD'] }],
  createdAt: '2026-11-23T08:00:00Z',
};

function reasonOf(label: unknown): string {
  try {
    validateLabel(label, policies);
  } catch (error) {
    if (error instanceof LabelError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('labels', () => {
  it('accepts a NATO label and puts it in canonical order', () => {
    const label = validateLabel(natoSecret, policies);
    expect(label.categories[0]!.values).toEqual(['DEU', 'NLD']);
    expect(markingOf(label, NATO_POLICY)).toBe('NATO SECRET // REL TO DEU, NLD');
    expect(markingOf({ ...label, classification: 'TOP SECRET', categories: [] }, NATO_POLICY)).toBe('COSMIC TOP SECRET');
  });

  it('refuses each kind of wrong label by name', () => {
    expect(reasonOf({ ...natoSecret, extra: 1 })).toBe('malformed-label');
    expect(reasonOf({ ...natoSecret, createdAt: 'yesterday' })).toBe('malformed-label');
    expect(reasonOf({ ...natoSecret, policy: { id: 'ACME' } })).toBe('unknown-policy');
    expect(reasonOf({ ...natoSecret, classification: 'SUPER SECRET' })).toBe('unknown-classification');
    expect(reasonOf({ ...natoSecret, categories: [{ tagName: 'Eyes Only', type: 'PERMISSIVE', values: ['DEU'] }] })).toBe('unknown-category');
    expect(reasonOf({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'RESTRICTIVE', values: ['DEU'] }] })).toBe('unknown-category');
    expect(reasonOf({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['XXX'] }] })).toBe('invalid-category-value');
  });

  it('gives each mesh a default national policy under its own code', () => {
    const label = validateLabel({ ...natoSecret, policy: { id: 'DEU' }, classification: 'CONFIDENTIAL' }, policies);
    expect(markingOf(label, policies[1])).toBe('DEU CONFIDENTIAL // REL TO DEU, NLD');
  });
});
