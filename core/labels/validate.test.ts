/** A label against its policy: accepted in canonical order, or refused with each named reason. */
import { describe, expect, it } from 'vitest';
import { LabelError } from './errors.js';
import { defaultNationalPolicy } from './national-policy.js';
import { NATO_POLICY } from './nato-policy.js';
import { validateLabel } from './validate.js';

const policies = [NATO_POLICY, defaultNationalPolicy('DEU'), defaultNationalPolicy('FRA')];
const natoSecret = {
  kind: 'originator',
  policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
  classification: 'SECRET',
  categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', values: ['NLD', 'DEU', 'NLD'] }],
  createdAt: '2026-11-23T08:00:00Z',
};
const releasableTo = (values: string[], extra: object = {}) => [{ tagName: 'Releasable To', type: 'PERMISSIVE', values, ...extra }];

function reasonOf(label: unknown): string {
  try {
    validateLabel(label, policies);
  } catch (error) {
    if (error instanceof LabelError) {
      expect(error.message).not.toContain('\n');
      return error.reason;
    }
    throw error;
  }
  return 'accepted';
}

describe('validating a label against its policy', () => {
  it('accepts NATO and national labels and returns them in canonical order', () => {
    expect(validateLabel(natoSecret, policies).categories[0]!.values).toEqual(['DEU', 'NLD']);
    expect(reasonOf({ ...natoSecret, policy: { id: 'NATO' } })).toBe('accepted');
    expect(reasonOf({ ...natoSecret, policy: { id: 'DEU' }, classification: 'GEHEIM', categories: releasableTo(['POL']) })).toBe('accepted');
    const restreinte = [{ tagName: 'Mention de protection', type: 'RESTRICTIVE', values: ['DIFFUSION RESTREINTE'] }];
    expect(reasonOf({ ...natoSecret, policy: { id: 'FRA' }, classification: 'NON PROTÉGÉ', categories: restreinte })).toBe('accepted');
    const atomal = [...natoSecret.categories, { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['ATOMAL'] }];
    expect(reasonOf({ ...natoSecret, classification: 'TOP SECRET', categories: atomal })).toBe('accepted');
  });

  it('names each way a label can be wrong', () => {
    expect(reasonOf({ ...natoSecret, extra: 1 })).toBe('malformed-label');
    expect(reasonOf({ ...natoSecret, createdAt: 'yesterday' })).toBe('malformed-label');
    expect(reasonOf({ ...natoSecret, policy: { id: 'ACME' } })).toBe('unknown-policy');
    expect(reasonOf({ ...natoSecret, policy: { id: 'NATO', uri: 'urn:oid:1.2.3' } })).toBe('policy-uri-mismatch');
    expect(reasonOf({ ...natoSecret, classification: 'SUPER SECRET' })).toBe('unknown-classification');
    // A national level is not a NATO one, even where the words agree elsewhere.
    expect(reasonOf({ ...natoSecret, classification: 'GEHEIM' })).toBe('unknown-classification');
    expect(reasonOf({ ...natoSecret, policy: { id: 'DEU' }, classification: 'SECRET' })).toBe('unknown-classification');
    expect(reasonOf({ ...natoSecret, categories: [{ tagName: 'Eyes Only', type: 'PERMISSIVE', values: ['DEU'] }] })).toBe('unknown-category');
    expect(reasonOf({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'RESTRICTIVE', values: ['DEU'] }] })).toBe('category-type-mismatch');
    expect(reasonOf({ ...natoSecret, categories: releasableTo(['DEU'], { uri: 'urn:oid:1.3.26.1.4.99' }) })).toBe('category-uri-mismatch');
    expect(reasonOf({ ...natoSecret, categories: releasableTo(['XXX']) })).toBe('invalid-category-value');
    expect(reasonOf({ ...natoSecret, categories: releasableTo(['deu']) })).toBe('invalid-category-value');
    const additional = [{ tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['ATOMAL', 'COSMIC'] }];
    expect(reasonOf({ ...natoSecret, categories: additional })).toBe('invalid-category-value');
  });

  it('says which value and which policy in its message', () => {
    expect(() => validateLabel({ ...natoSecret, categories: releasableTo(['DEU', 'XXX']) }, policies)).toThrow(
      '"XXX" is not a value of "Releasable To" in the NATO policy.',
    );
  });
});
