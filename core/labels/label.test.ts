/** The JSON form of a 4774 label: a strict schema, and one canonical order so equal labels are equal bytes. */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { LabelError } from './errors.js';
import { ConfidentialityLabel, isCanonicalLabel, normaliseLabel, parseLabel } from './label.js';

const natoSecret = {
  kind: 'originator',
  policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
  classification: 'SECRET',
  categories: [
    { tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', values: ['POL', 'DEU', 'NLD', 'DEU'] },
    { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['CRYPTO', 'ATOMAL'] },
  ],
  originator: { idType: 'uri', id: 'urn:entente:DEU:device:uav-7' },
  createdAt: '2026-11-23T08:00:00Z',
} as const;

function refusal(candidate: unknown): string {
  try {
    parseLabel(candidate);
  } catch (error) {
    if (error instanceof LabelError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('the label schema', () => {
  it('accepts a full label and returns it in canonical order', () => {
    const label = parseLabel(natoSecret);
    expect(label.categories.map((c) => c.tagName)).toEqual(['Additional Sensitivity', 'Releasable To']);
    expect(label.categories[0]!.values).toEqual(['ATOMAL', 'CRYPTO']);
    expect(label.categories[1]!.values).toEqual(['DEU', 'NLD', 'POL']);
    expect(isCanonicalLabel(label)).toBe(true);
  });

  it('refuses extra keys, wrong types, unbounded text and bad times, naming the field', () => {
    expect(refusal({ ...natoSecret, extra: 1 })).toMatch(/^malformed-label: .*label: Unrecognized key: "extra"/);
    expect(refusal({ ...natoSecret, policy: { id: 'NATO', oid: 'x' } })).toMatch(/label\.policy:/);
    expect(refusal({ ...natoSecret, kind: 'metadata' })).toMatch(/label\.kind:/);
    expect(refusal({ ...natoSecret, classification: '' })).toMatch(/label\.classification:/);
    expect(refusal({ ...natoSecret, classification: 'S'.repeat(65) })).toMatch(/label\.classification:/);
    expect(refusal({ ...natoSecret, privacyMark: 'x'.repeat(257) })).toMatch(/label\.privacyMark:/);
    expect(refusal({ ...natoSecret, createdAt: 'yesterday' })).toMatch(/label\.createdAt:/);
    expect(refusal({ ...natoSecret, createdAt: '2026-11-23T08:00:00' })).toMatch(/label\.createdAt:/);
    expect(refusal({ ...natoSecret, reviewAt: '2026-11-22T08:00:00Z' })).toMatch(/label\.reviewAt: is before createdAt/);
    expect(refusal({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'ALLOW', values: ['DEU'] }] })).toMatch(/label\.categories\.0\.type:/);
    expect(refusal({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: [] }] })).toMatch(/label\.categories\.0\.values:/);
    expect(refusal({ ...natoSecret, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: Array(257).fill('DEU') }] })).toMatch(/values/);
    const many = Array.from({ length: 33 }, (_, i) => ({ tagName: `T${i}`, type: 'INFORMATIVE', values: ['x'] }));
    expect(refusal({ ...natoSecret, categories: many })).toMatch(/label\.categories:/);
    expect(refusal(null)).toMatch(/^malformed-label/);
    expect(refusal('SECRET')).toMatch(/^malformed-label/);
  });

  it('refuses one tag twice rather than guessing how the two combine', () => {
    const twice = [
      { tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] },
      { tagName: 'Releasable To', type: 'PERMISSIVE', values: ['NLD'] },
    ];
    expect(refusal({ ...natoSecret, categories: twice })).toMatch(/label\.categories\.1\.tagName: category "Releasable To" appears twice/);
  });

  it('keeps text to one trimmed NFC line, so it survives XML and compares by bytes', () => {
    expect(refusal({ ...natoSecret, classification: 'SECRET\n' })).toMatch(/classification: must not contain control/);
    expect(refusal({ ...natoSecret, classification: ' SECRET' })).toMatch(/classification: must not start or end with whitespace/);
    expect(refusal({ ...natoSecret, classification: 'SE\u0000CRET' })).toMatch(/control/);
    expect(refusal({ ...natoSecret, privacyMark: 'x\uD800' })).toMatch(/lone surrogates/);
    expect(refusal({ ...natoSecret, privacyMark: 'x\uFFFE' })).toMatch(/U\+FFFE/);
    expect(refusal({ ...natoSecret, classification: 'TRE\u0300S SECRET' })).toMatch(/classification: must be in Unicode NFC/);
    expect(refusal({ ...natoSecret, classification: 'TR\u00C8S SECRET' })).toBe('accepted');
  });

  it('gives two labels that mean the same the same canonical bytes', () => {
    const shuffled = {
      createdAt: natoSecret.createdAt,
      originator: { id: natoSecret.originator.id, idType: 'uri' },
      categories: [
        { values: ['NLD', 'POL', 'DEU'], uri: 'urn:oid:1.3.26.1.4.2', type: 'PERMISSIVE', tagName: 'Releasable To' },
        { values: ['ATOMAL', 'CRYPTO', 'CRYPTO'], type: 'RESTRICTIVE', tagName: 'Additional Sensitivity' },
      ],
      classification: 'SECRET',
      policy: { uri: 'urn:oid:1.3.26.1.3.1', id: 'NATO' },
      kind: 'originator',
    };
    expect(JSON.stringify(parseLabel(shuffled))).toBe(JSON.stringify(parseLabel(natoSecret)));
    expect(canonicalize(parseLabel(shuffled))).toBe(canonicalize(parseLabel(natoSecret)));
  });

  it('never carries an undefined member, and normalising twice changes nothing', () => {
    const parsed = ConfidentialityLabel.parse({ ...natoSecret, privacyMark: undefined, reviewAt: undefined });
    const label = normaliseLabel(parsed);
    expect(Object.keys(label)).toEqual(['kind', 'policy', 'classification', 'categories', 'originator', 'createdAt']);
    expect(JSON.stringify(normaliseLabel(label))).toBe(JSON.stringify(label));
    const walk = (value: unknown): boolean =>
      value === undefined ? false : typeof value !== 'object' || value === null || Object.values(value).every(walk);
    expect(walk(label)).toBe(true);
  });

  it('tells a canonical label from one that is not', () => {
    const parsed = ConfidentialityLabel.parse(natoSecret);
    expect(isCanonicalLabel(parsed)).toBe(false);
    expect(isCanonicalLabel(normaliseLabel(parsed))).toBe(true);
    const dup = normaliseLabel(parsed);
    expect(isCanonicalLabel({ ...dup, categories: [{ ...dup.categories[0]!, values: ['ATOMAL', 'ATOMAL'] }] })).toBe(false);
  });
});
