/** The strict JSON reader: reads what JSON.parse reads, and refuses by name what would let signer and verifier disagree. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from './jcs.js';
import { JsonError, readStrictJson, type JsonLimits } from './strict-json.js';

function refusal(text: string | Uint8Array, limits?: Partial<JsonLimits>): JsonError | 'accepted' {
  try {
    readStrictJson(text, limits);
  } catch (error) {
    if (error instanceof JsonError) return error;
    throw error;
  }
  return 'accepted';
}

const reasonFor = (text: string | Uint8Array, limits?: Partial<JsonLimits>) => {
  const result = refusal(text, limits);
  return result === 'accepted' ? result : result.reason;
};

describe('readStrictJson', () => {
  it('reads ordinary JSON, with any JSON whitespace', () => {
    expect(readStrictJson('{"a":[1,{"b":"c"}],"d":"{\\"a\\":1,\\"a\\":2}"}')).toEqual({ a: [1, { b: 'c' }], d: '{"a":1,"a":2}' });
    expect(readStrictJson(' \t\r\n[ 1 , -0.5e+2 , true , false , null , "" , {} , [] ]\n')).toEqual([1, -50, true, false, null, '', {}, []]);
    expect(readStrictJson('"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\"\\\\"')).toBe('é😀/\b\f\n\r\t"\\');
    expect(readStrictJson('"\u2028\u2029"')).toBe('\u2028\u2029');
  });

  it('reads UTF-8 bytes, refusing ill-formed UTF-8', () => {
    expect(readStrictJson(Buffer.from('{"ö":"€"}', 'utf8'))).toEqual({ ö: '€' });
    expect(reasonFor(Buffer.from([0x22, 0xc3, 0x28, 0x22]))).toBe('malformed-json');
  });

  it('refuses a member name repeated in one object, at any depth and however it is escaped', () => {
    expect(reasonFor('{"amount":1,"amount":1000}')).toBe('duplicate-key');
    expect(reasonFor('{"a":{"x":1,"y":{"z":1},"x":2}}')).toBe('duplicate-key');
    expect(reasonFor('{"a":1,"\\u0061":2}')).toBe('duplicate-key');
    expect(reasonFor('{"toString":1,"toString":2}')).toBe('duplicate-key');
    expect(reasonFor('[{"a":1},{"a":2}]')).toBe('accepted');
    expect(reasonFor('{"a":{"a":{"a":1}}}')).toBe('accepted');
  });

  it('refuses keys that pollute prototypes', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(reasonFor(`{"x":[{"${key}":{"admin":true}}]}`)).toBe('forbidden-key');
    }
    expect(reasonFor('{"\\u005f_proto__":{}}')).toBe('forbidden-key');
  });

  it('caps depth at the limit exactly', () => {
    expect(reasonFor('[[[]]]', { maxDepth: 3 })).toBe('accepted');
    expect(reasonFor('[[[[]]]]', { maxDepth: 3 })).toBe('too-deep');
    expect(reasonFor('{"a":{"b":{"c":1}}}', { maxDepth: 3 })).toBe('accepted');
    expect(reasonFor('{"a":{"b":{"c":{}}}}', { maxDepth: 3 })).toBe('too-deep');
    expect(reasonFor('"[[[[[[[[[[["', { maxDepth: 1 })).toBe('accepted');
  });

  it('caps size in UTF-8 bytes', () => {
    expect(reasonFor(`"${'x'.repeat(100)}"`, { maxBytes: 50 })).toBe('too-large');
    expect(reasonFor(`"${'€'.repeat(20)}"`, { maxBytes: 50 })).toBe('too-large'); // 22 characters, 62 bytes
    expect(reasonFor(`"${'€'.repeat(10)}"`, { maxBytes: 50 })).toBe('accepted');
    expect(reasonFor(Buffer.alloc(51, 0x20), { maxBytes: 50 })).toBe('too-large');
  });

  it.each([
    ['', 'the text ends where a value is expected'],
    ['{"a":1,}', 'expected a member name'],
    ['[1,]', 'expected a JSON value'],
    ['{"a" 1}', "expected ':'"],
    ['{"a":1 "b":2}', "expected ',' or '}'"],
    ['[1 2]', "expected ',' or ']'"],
    ['01', 'unexpected text after the JSON value'],
    ['1.', 'after the decimal point'],
    ['-', 'expected a digit'],
    ['1e', 'in the exponent'],
    ['+1', 'expected a JSON value'],
    ['.5', 'expected a JSON value'],
    ['NaN', 'expected a JSON value'],
    ['tru', 'expected a JSON value'],
    ["{'a':1}", 'expected a member name'],
    ['"abc', 'not closed'],
    ['"a\tb"', 'control character'],
    ['"\\x41"', 'not a JSON escape'],
    ['"\\u12G4"', 'four hex digits'],
    ['"\\ud800"', 'lone UTF-16 surrogate'],
    ['"\\udc00\\ud800"', 'lone UTF-16 surrogate'],
    ['1e400', 'IEEE 754'],
    ['-1e400', 'IEEE 754'],
    ['\ufeff{}', 'U+FEFF'],
    ['{} {}', 'unexpected text'],
    ['[1]\u00a0', 'U+00A0'],
  ])('refuses %j as malformed, saying where and why', (text, why) => {
    const error = refusal(text);
    expect(error).toBeInstanceOf(JsonError);
    const { reason, message } = error as JsonError;
    expect(reason).toBe('malformed-json');
    expect(message).toContain(why);
    expect(message).toMatch(/line \d+, column \d+ \(character \d+\)/);
    expect(message).not.toMatch(/[\n\r]/);
  });

  it('names the position of a problem on a later line', () => {
    const error = refusal('{\n  "a": 1,\n  "a": 2\n}') as JsonError;
    expect(error.reason).toBe('duplicate-key');
    expect(error.message).toContain('line 3, column 3 (character 14)');
    expect(error.position).toBe(14);
  });

  it('keeps messages on one line whatever the input holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = refusal(text);
        if (result !== 'accepted') expect(result.message).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
      { numRuns: 1_000 },
    );
    const error = refusal('{"a\\nb":1,"a\\nb":2}') as JsonError;
    expect(error.message).toContain('"a\\nb"');
  });

  it('reads exactly what JSON.parse reads, for JSON it accepts', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        if (/"(__proto__|constructor|prototype)":/.test(text)) {
          expect(reasonFor(text)).toBe('forbidden-key');
          return;
        }
        expect(canonicalize(readStrictJson(text))).toBe(canonicalize(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on mutated JSON, except where it must refuse', () => {
    const base = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
    const mutated = fc
      .tuple(base, fc.nat(), fc.constantFrom(...'{}[]",:\\ 0-.eE1tfnu\u0000\ud800'.split(''), ''))
      .map(([text, at, ch]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + ch + text.slice(i + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let expected: unknown;
        let parses = true;
        try {
          expected = JSON.parse(text);
        } catch {
          parses = false;
        }
        const result = refusal(text);
        if (!parses) {
          // Refused; by the first problem met, which may be a forbidden or repeated name before the syntax error.
          expect(result).not.toBe('accepted');
        } else if (result === 'accepted') {
          expect(canonicalize(readStrictJson(text))).toBe(canonicalize(expected));
        } else {
          // JSON.parse accepts these; I-JSON and this reader do not.
          expect(['duplicate-key', 'forbidden-key', 'inexact-number', 'malformed-json']).toContain(result.reason);
          if (result.reason === 'malformed-json') expect(result.message).toMatch(/surrogate|IEEE 754/);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
