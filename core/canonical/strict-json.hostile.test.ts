/** Hostile input for the strict JSON reader: refused quickly, by name, never by a crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonError, readStrictJson } from './strict-json.js';

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
});
