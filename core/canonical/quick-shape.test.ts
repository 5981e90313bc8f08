/** The quick checks agree with what they stand in for. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNestedDeeperThan, isSha256Hex } from './quick-shape.js';

describe('isSha256Hex', () => {
  it('says what /^[0-9a-f]{64}$/ says', () => {
    const pattern = /^[0-9a-f]{64}$/;
    const nearHex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgz\u0660\u0030\uff10 \n'), minLength: 62, maxLength: 66 });
    fc.assert(
      fc.property(fc.oneof(nearHex, fc.string(), fc.constant('a'.repeat(64))), (value) => {
        expect(isSha256Hex(value)).toBe(pattern.test(value));
      }),
      { numRuns: 5_000 },
    );
    for (const other of [undefined, null, 64, ['0'.repeat(64)], { length: 64 }]) expect(isSha256Hex(other)).toBe(false);
  });
});

describe('isNestedDeeperThan', () => {
  it('measures nesting without recursion, arrays and objects alike', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { a: deep };
    expect(isNestedDeeperThan(deep, 512)).toBe(true);
    expect(isNestedDeeperThan({ a: [1, { b: [2] }] }, 4)).toBe(false);
    expect(isNestedDeeperThan({ a: [1, { b: [2] }] }, 3)).toBe(true);
    expect(isNestedDeeperThan('flat', 0)).toBe(false);
  });
});
