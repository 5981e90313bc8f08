/** Hostile input for the strict JSON reader: refused quickly, by name, never by a crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_JSON_LIMITS, JsonError, readStrictJson } from './strict-json.js';

function timedReason(text: string): { reason: string; ms: number } {
  const started = performance.now();
  try {
    readStrictJson(text);
    return { reason: 'accepted', ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    return { reason: error.reason, ms: performance.now() - started };
  }
}

describe('readStrictJson under hostile input', () => {
  it.each([
    ['arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['unclosed arrays', '['.repeat(100_000)],
    ['a million brackets', '['.repeat(1_000_000)],
  ])('refuses 100,000-deep %s quickly, without a stack overflow', (_name, text) => {
    const { reason, ms } = timedReason(text);
    expect(reason).toBe('too-deep');
    expect(ms).toBeLessThan(250);
  });

  it('refuses an oversized text before reading it', () => {
    const { reason, ms } = timedReason(`[${'1,'.repeat(3_000_000)}1]`);
    expect(reason).toBe('too-large');
    expect(ms).toBeLessThan(250);
  });

  it('reads a wide object with thousands of members, finding the duplicate at the end', () => {
    const members = Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`);
    expect(timedReason(`{${members.join(',')}}`).reason).toBe('accepted');
    expect(timedReason(`{${members.join(',')},"k7":0}`).reason).toBe('duplicate-key');
  });

  it('throws nothing but JsonError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[[\]{}",:0-9a-z\\ .eE+-]*$/)), (text) => {
        try {
          readStrictJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonError);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('throws nothing but JsonError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          readStrictJson(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonError);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it.each([
    ['a million empty arrays', `[${'[],'.repeat(1_398_100)}[]]`, 'too-many-containers', 1 << 17],
    ['a million empty objects', `[${'{},'.repeat(1_398_100)}{}]`, 'too-many-containers', 1 << 17],
    ['two million zeros', `[${'0,'.repeat(2_097_000)}0]`, 'too-many-values', 1 << 19],
  ])('refuses %s in 4 MiB by name, having read only up to the limit', (_name, text, reason, limit) => {
    expect(text.length).toBeLessThanOrEqual(DEFAULT_JSON_LIMITS.maxBytes);
    const error = (() => {
      try {
        readStrictJson(text);
      } catch (caught) {
        return caught as JsonError;
      }
    })()!;
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(`more than ${limit}`);
    // Where it stopped is the work done: the reader built nothing past the limit-th value.
    expect(error.position).toBeLessThan((limit + 1) * 3 + 2);
  });

  it('keeps the heap a small multiple of the input for the costliest shape it accepts', () => {
    const text = `[${'[],'.repeat((1 << 17) - 2)}[]]`;
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const value = readStrictJson(text) as unknown[];
    const grown = process.memoryUsage().heapUsed - before;
    expect(value).toHaveLength((1 << 17) - 1);
    expect(grown).toBeLessThan(text.length * 40);
  });
});
