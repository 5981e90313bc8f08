/** RFC 8785 canonical JSON against the RFC's own examples, and its invariants as properties. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalizationError } from './jcs.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors/rfc8785.json', import.meta.url), 'utf8')) as {
  sorting: { input: string; keyOrder: string[] };
  example: { input: string; output: string };
  numbers: { bits: string; output: string }[];
};

describe('canonicalize (RFC 8785)', () => {
  it('sorts members by UTF-16 code units (§3.2.3)', () => {
    const out = JSON.parse(canonicalize(JSON.parse(vectors.sorting.input))) as Record<string, string>;
    expect(Object.keys(out).sort()).toEqual(vectors.sorting.keyOrder);
    const text = canonicalize(JSON.parse(vectors.sorting.input));
    const positions = vectors.sorting.keyOrder.map((key) => text.indexOf(JSON.stringify(key)));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('reproduces the RFC example byte for byte', () => {
    expect(canonicalize(JSON.parse(vectors.example.input))).toBe(vectors.example.output);
  });

  it.each(vectors.numbers)('serializes the IEEE 754 value $bits as $output', ({ bits, output }) => {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    expect(canonicalize(value)).toBe(output);
  });

  it('refuses what I-JSON cannot hold', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '\ud800', { a: undefined }, new Date(0), () => 1, 1n]) {
      expect(() => canonicalize(bad)).toThrow(CanonicalizationError);
    }
  });

  it('is stable: canonical text parses back to the same canonical text, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(object));
      }),
    );
  });
});
