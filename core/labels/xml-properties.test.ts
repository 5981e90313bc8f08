/**
 * Properties of the 4774 XML reader and writer (fast-check): arbitrary text, bytes and damaged
 * documents only ever produce a LabelError, quickly; every valid label survives the round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelError } from './errors.js';
import { normaliseLabel, parseLabel, type ConfidentialityLabel } from './label.js';
import { isLabelText } from './text.js';
import { labelFromXml, labelToXml, STANAG_4774_NS } from './xml-4774.js';

/** Runs the reader; returns the label, or the LabelError's reason. Anything else fails the property. */
function outcome(input: string | Uint8Array): ConfidentialityLabel | string {
  const started = performance.now();
  try {
    return labelFromXml(input);
  } catch (error) {
    if (!(error instanceof LabelError)) throw error;
    return error.reason;
  } finally {
    expect(performance.now() - started).toBeLessThan(1_000);
  }
}

// Mostly the characters XML is made of, so random text gets past the first byte of the parser.
const xmlish = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('<', '>', '/', '&', ';', '#', 'x', '"', "'", '=', ' ', '!', '?', '[', ']', '-', ':', 'a', 'slab', 'xmlns', 'amp', 'DOCTYPE', 'CDATA', '\n') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const sample = labelToXml(
  parseLabel({
    kind: 'originator',
    policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
    classification: 'SECRET',
    privacyMark: 'A & B',
    categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', values: ['DEU', 'NLD', 'POL'] }],
    originator: { idType: 'uri', id: 'urn:entente:DEU:device:uav-7' },
    createdAt: '2026-11-23T08:00:00Z',
    reviewAt: '2027-11-23T08:00:00Z',
  }),
);

describe('the XML reader on arbitrary input', () => {
  it('throws nothing but LabelError for random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: xmlish, maxLength: 300 })),
        (text) => {
          outcome(text);
          outcome(`<slab:originatorConfidentialityLabel xmlns:slab="${STANAG_4774_NS}">${text}`);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('throws nothing but LabelError for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => void outcome(bytes)),
      { numRuns: 2_000 },
    );
  });

  it('throws nothing but LabelError for a real label damaged at random, and what it accepts is a valid label', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: sample.length }),
        fc.nat({ max: 40 }),
        fc.string({ unit: xmlish, maxLength: 40 }),
        (at, cut, insert) => {
          const damaged = sample.slice(0, at) + insert + sample.slice(at + cut);
          const result = outcome(damaged);
          if (typeof result !== 'string') expect(parseLabel(result)).toEqual(result);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

// Label text as the schema allows it: control characters dropped, trimmed, NFC.
const text = (max: number) =>
  fc
    .string({ unit: fc.oneof(fc.constantFrom('A', 'Z', 'è', 'Ś', ' ', '&', '<', '>', '"', "'", ']]>', '-', '.'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: max })
    .map((s) => s.replace(/[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu, '').normalize('NFC').trim())
    .filter((s) => s.length > 0 && s.length <= max && isLabelText(s));

const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') });

const category = fc.record(
  {
    tagName: text(40),
    type: fc.constantFrom('PERMISSIVE', 'RESTRICTIVE', 'INFORMATIVE' as const),
    uri: text(60),
    values: fc.array(text(20), { minLength: 1, maxLength: 6 }),
  },
  { requiredKeys: ['tagName', 'type', 'values'] },
);

const label: fc.Arbitrary<ConfidentialityLabel> = fc
  .record(
    {
      kind: fc.constantFrom('originator', 'alternative' as const),
      policy: fc.record({ id: text(20), uri: text(60) }, { requiredKeys: ['id'] }),
      classification: text(30),
      privacyMark: text(60),
      categories: fc.uniqueArray(category, { selector: (c) => c.tagName, maxLength: 5 }),
      originator: fc.record({ idType: text(20), id: text(60) }),
      created: instant,
      reviewAfter: fc.option(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), { nil: undefined }),
    },
    { requiredKeys: ['kind', 'policy', 'classification', 'categories', 'created'] },
  )
  .map(({ created, reviewAfter, ...rest }) => ({
    ...rest,
    createdAt: new Date(created).toISOString(),
    ...(reviewAfter === undefined ? {} : { reviewAt: new Date(created + reviewAfter).toISOString() }),
  }));

describe('the XML round trip', () => {
  it('reads back every valid label as written, in canonical order', () => {
    fc.assert(
      fc.property(label, (candidate) => {
        const canonical = normaliseLabel(parseLabel(candidate));
        const xml = labelToXml(candidate);
        expect(labelFromXml(xml)).toEqual(canonical);
        expect(labelFromXml(new TextEncoder().encode(xml))).toEqual(canonical);
        expect(labelToXml(canonical)).toBe(xml);
      }),
      { numRuns: 1_000 },
    );
  });
});
