/** The strict JSON reader refuses what would let signer and verifier disagree, or exhaust the reader. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonError, readStrictJson } from './strict-json.js';

function reasonFor(text: string, limits?: { maxBytes: number; maxDepth: number }): string {
  try {
    readStrictJson(text, limits);
  } catch (error) {
    if (error instanceof JsonError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('readStrictJson', () => {
  it('reads ordinary JSON', () => {
    expect(readStrictJson('{"a":[1,{"b":"c"}],"d":"{\\"a\\":1,\\"a\\":2}"}')).toEqual({ a: [1, { b: 'c' }], d: '{"a":1,"a":2}' });
  });

  it('refuses a key repeated in one object, at any depth', () => {
    expect(reasonFor('{"amount":1,"amount":1000}')).toBe('duplicate-key');
    expect(reasonFor('{"a":{"x":1,"y":{"z":1},"x":2}}')).toBe('duplicate-key');
    expect(reasonFor('{"a":1,"\\u0061":2}')).toBe('duplicate-key');
    expect(reasonFor('[{"a":1},{"a":2}]')).toBe('accepted');
  });

  it('refuses 100,000-deep nesting quickly, without a stack overflow', () => {
    expect(reasonFor('['.repeat(100_000) + ']'.repeat(100_000))).toBe('too-deep');
    expect(reasonFor('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toBe('too-deep');
  });

  it('refuses oversized input, malformed JSON and prototype keys', () => {
    expect(reasonFor('"' + 'x'.repeat(100) + '"', { maxBytes: 50, maxDepth: 8 })).toBe('too-large');
    expect(reasonFor('{"a":1,}')).toBe('malformed-json');
    expect(reasonFor('{"x":{"__proto__":{"admin":true}}}')).toBe('forbidden-key');
  });

  it('never throws anything but a JsonError', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          readStrictJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
