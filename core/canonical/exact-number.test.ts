/** Numbers the strict reader keeps are exactly the ones RFC 8785 signs as given (I-JSON, RFC 7493 §2.2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from './jcs.js';
import { JsonError, readStrictJson } from './strict-json.js';

function reasonOf(text: string): string {
  try {
    readStrictJson(text);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    return error.reason;
  }
}

/** An oracle apart from the reader's: the literal's exact value as an integer times a power of ten. */
function exactValue(literal: string): { mantissa: bigint; exponent: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal)!;
  const fraction = match[3] ?? '';
  const mantissa = BigInt(`${match[1]}${match[2]}${fraction}`);
  return { mantissa, exponent: Number(match[4] ?? 0) - fraction.length };
}

function sameDecimal(a: string, b: string): boolean {
  const x = exactValue(a);
  const y = exactValue(b);
  const low = Math.min(x.exponent, y.exponent);
  return x.mantissa * 10n ** BigInt(x.exponent - low) === y.mantissa * 10n ** BigInt(y.exponent - low);
}

const literal = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,24}$/)),
    fc.option(fc.stringMatching(/^\d{1,25}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -340, max: 340 }), { nil: undefined }),
  )
  .map(([sign, whole, fraction, exponent]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : `e${exponent}`}`);
const doubleText = fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d));

describe('numbers that survive an IEEE 754 double', () => {
  it.each([
    ['1.0', 1],
    ['1e2', 100],
    ['0.1', 0.1],
    ['0.10', 0.1],
    ['-0', 0],
    ['-0.0e7', 0],
    ['5e-324', 5e-324],
    ['9007199254740992', 2 ** 53],
    ['1.7976931348623157e308', Number.MAX_VALUE],
  ])('keeps %s, read as the double RFC 8785 writes for it', (text, value) => {
    const read = readStrictJson(text);
    expect(Object.is(read, value)).toBe(true);
    expect(sameDecimal(text, canonicalize(read as number))).toBe(true);
  });

  it.each([
    ['123456789012345678901234567890', '1.2345678901234568e+29'],
    ['9007199254740993', '9007199254740992'],
    ['12345678901234567168', '12345678901234567000'],
    ['1e-400', '0'],
    ['4.9e-324', '5e-324'],
    ['0.1000000000000000055511151231257827', '0.1'],
  ])('refuses %s by name, saying what it would have become', (text, becomes) => {
    const error = (() => {
      try {
        readStrictJson(`{"n":${text}}`);
      } catch (caught) {
        return caught;
      }
    })() as JsonError;
    expect(error.reason).toBe('inexact-number');
    expect(error.message).toContain(`number ${text} at line 1, column 6 (character 5)`);
    expect(error.message).toContain(`signed as ${becomes}`);
    expect(error.message).not.toMatch(/[\n\r]/);
  });

  it('abbreviates a long literal in the one-line message', () => {
    const long = `0.1${'2'.repeat(5_000)}`;
    const error = (() => {
      try {
        readStrictJson(long);
      } catch (caught) {
        return caught as JsonError;
      }
    })()!;
    expect(error.reason).toBe('inexact-number');
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain('(5003 characters)');
  });

  it('refuses a long fraction of zeros in linear time', () => {
    const started = performance.now();
    expect(reasonOf(`0.1${'0'.repeat(2_000_000)}1`)).toBe('inexact-number');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('accepts a literal exactly when its value is that of the canonical form, which re-reads to the same double', () => {
    fc.assert(
      fc.property(fc.oneof(literal, doubleText), (text) => {
        const reason = reasonOf(text);
        const value = Number(text);
        if (!Number.isFinite(value)) {
          expect(reason).toBe('malformed-json');
          return;
        }
        const canonical = canonicalize(value);
        expect(reason).toBe(sameDecimal(text, canonical) ? 'accepted' : 'inexact-number');
        if (reason !== 'accepted') return;
        const read = readStrictJson(text) as number;
        expect(JSON.stringify(JSON.parse(text))).toBe(JSON.stringify(read));
        expect(Object.is(readStrictJson(canonicalize(read)), read)).toBe(true);
        expect(read === value).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
