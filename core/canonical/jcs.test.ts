/** RFC 8785 canonical JSON against the RFC's own examples, and its invariants as properties. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANONICAL_MAX_DEPTH, canonicalBytes, canonicalize, CanonicalizationError } from './jcs.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors/rfc8785.json', import.meta.url), 'utf8')) as {
  sorting: { input: string; keyOrder: string[]; output: string };
  example: { input: string; output: string };
  numbers: { bits: string; output: string }[];
  invalidNumbers: { bits: string; value: string }[];
};

const double = (bits: string) => Buffer.from(bits, 'hex').readDoubleBE(0);

describe('canonicalize (RFC 8785)', () => {
  it('sorts members by UTF-16 code units (§3.2.3)', () => {
    const text = canonicalize(JSON.parse(vectors.sorting.input));
    expect(text).toBe(vectors.sorting.output);
    const positions = vectors.sorting.keyOrder.map((key) => text.indexOf(`${JSON.stringify(key)}:`));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
  });

  it('reproduces the §3.2.2 example byte for byte', () => {
    expect(canonicalize(JSON.parse(vectors.example.input))).toBe(vectors.example.output);
    expect(canonicalBytes(JSON.parse(vectors.example.input)).equals(Buffer.from(vectors.example.output, 'utf8'))).toBe(true);
  });

  it.each(vectors.numbers)('serializes the IEEE 754 value $bits as $output (Appendix B)', ({ bits, output }) => {
    expect(canonicalize(double(bits))).toBe(output);
  });

  it.each(vectors.invalidNumbers)('refuses the IEEE 754 value $bits ($value)', ({ bits }) => {
    expect(() => canonicalize([double(bits)])).toThrow(CanonicalizationError);
  });

  it('writes no whitespace and escapes only what §3.2.2.2 asks', () => {
    expect(canonicalize({ a: [1, { b: null }], c: 'x\u2028\u0080\u001f\n"\\/' })).toBe('{"a":[1,{"b":null}],"c":"x\u2028\u0080\\u001f\\n\\"\\\\/"}');
    expect(canonicalize(-0)).toBe('0');
  });

  it('refuses what I-JSON cannot hold, by a CanonicalizationError', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const bad: unknown[] = [
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      '\ud800',
      'a\udc00b',
      { ['\udfff']: 1 },
      { a: undefined },
      undefined,
      new Date(0),
      new Map(),
      Object.assign(Object.create({ inherited: true }) as object, { a: 1 }),
      () => 1,
      1n,
      Symbol('s'),
      sparse,
    ];
    for (const value of bad) expect(() => canonicalize(value)).toThrow(CanonicalizationError);
  });

  it('refuses cyclic or absurdly deep values instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/deeper than/);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(CanonicalizationError);
    let fits: unknown = 1;
    for (let i = 0; i < CANONICAL_MAX_DEPTH; i++) fits = [fits];
    expect(canonicalize(fits)).toHaveLength(2 * CANONICAL_MAX_DEPTH + 1);
  });

  it('accepts objects without a prototype (as JSON readers may make them)', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(canonicalize(bare)).toBe('{"a":2,"b":1}');
  });

  it('is idempotent: canonical text parses back to the same canonical text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on member order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.infiniteStream(fc.nat()), (object, randomness) => {
        const entries = Object.entries(object);
        // A random permutation (Fisher–Yates), deep key order left as generated.
        for (let i = entries.length - 1; i > 0; i--) {
          const j = randomness.next().value % (i + 1);
          [entries[i], entries[j]] = [entries[j]!, entries[i]!];
        }
        expect(canonicalize(Object.fromEntries(entries))).toBe(canonicalize(object));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.stringify on everything but member order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalize(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the same text whether members arrive in canonical order (the quick path) or not', () => {
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
    };
    const tricky = { a: ['\u2028', '\u0007', '"\\', '😀', 'é'], b: [-0, 1e21, 5e-7, 0.1, 2 ** 53 + 2], c: { '': null, A: true, a: false } };
    const ordered = JSON.parse(canonicalize(tricky)) as unknown;
    expect(canonicalize(ordered)).toBe(canonicalize(reversed(tricky)));
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(reversed(value));
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('still refuses lone surrogates, holes and odd objects that arrive in canonical order', () => {
    const sparse: unknown[] = ['a'];
    sparse[2] = 'c';
    for (const value of [{ a: '\ud800' }, { a: sparse }, { a: new Date(0) }, { a: { toJSON: () => 1 } }, { a: Number.NaN }]) {
      expect(() => canonicalize(value)).toThrow(CanonicalizationError);
    }
  });
});
