/** The boundary's first check: only JSON-shaped data within limits crosses. */
import { describe, expect, it } from 'vitest';
import { BOUNDARY_LIMITS, findNonPlainData } from './plain-data.js';

const limits = { maxDepth: 4, maxStringLength: 10, maxNodes: 20 };

describe('findNonPlainData', () => {
  it('accepts JSON-shaped data within the limits', () => {
    expect(findNonPlainData({ a: [1, 'two', true, null, { b: 2.5 }] }, limits)).toBeNull();
    expect(findNonPlainData(Object.create(null) as object, limits)).toBeNull();
  });

  it('refuses each kind of non-plain value, naming where it is', () => {
    expect(findNonPlainData({ a: { b: Number.NaN } }, limits)).toMatch(/\$\.a\.b/);
    expect(findNonPlainData({ a: Number.POSITIVE_INFINITY }, limits)).not.toBeNull();
    expect(findNonPlainData({ d: new Date() }, limits)).not.toBeNull();
    expect(findNonPlainData({ m: new Map() }, limits)).not.toBeNull();
    expect(findNonPlainData({ f: () => 1 }, limits)).not.toBeNull();
    expect(findNonPlainData({ u: undefined }, limits)).not.toBeNull();
    expect(findNonPlainData({ s: Symbol('x') }, limits)).not.toBeNull();
    expect(findNonPlainData({ n: 10n }, limits)).not.toBeNull();
    const withGetter = Object.defineProperty({}, 'secret', { get: () => 1, enumerable: true });
    expect(findNonPlainData(withGetter, limits)).not.toBeNull();
  });

  it('refuses keys that could pollute prototypes', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(findNonPlainData(JSON.parse(`{"ok":{"${key}":{}}}`), limits), key).toMatch(new RegExp(key));
    }
  });

  it('enforces depth, string length and value count', () => {
    expect(findNonPlainData({ a: { b: { c: { d: { e: 1 } } } } }, limits)).toMatch(/deeper/);
    expect(findNonPlainData({ s: 'x'.repeat(11) }, limits)).toMatch(/longer/);
    expect(findNonPlainData(Array.from({ length: 30 }, () => 1), limits)).toMatch(/more than 20/);
  });

  it('survives nesting far past the limit without recursion', () => {
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = { inner: deep };
    expect(findNonPlainData(deep)).toMatch(/deeper/);
  });

  it('accepts exactly up to each boundary limit, and refuses one past it', () => {
    const nest = (levels: number): unknown => Array.from({ length: levels }).reduce<unknown>((inner) => ({ a: inner }), 1);
    expect(BOUNDARY_LIMITS).toEqual({ maxDepth: 32, maxStringLength: 1_000_000, maxNodes: 100_000 });
    expect(findNonPlainData(nest(32))).toBeNull();
    expect(findNonPlainData(nest(33))).toMatch(/deeper than 32/);
    expect(findNonPlainData({ s: 'x'.repeat(1_000_000) })).toBeNull();
    expect(findNonPlainData({ s: 'x'.repeat(1_000_001) })).toMatch(/longer than 1000000/);
    // The array itself is one value: 99,999 entries make 100,000.
    expect(findNonPlainData(new Array<number>(99_999).fill(0))).toBeNull();
    expect(findNonPlainData(new Array<number>(100_000).fill(0))).toMatch(/more than 100000 values/);
  });

  it('bounds keys like strings, and keeps a long key out of the sentence', () => {
    const refusal = findNonPlainData({ ['k'.repeat(1_000_001)]: 1 });
    expect(refusal).toMatch(/key longer than 1000000/);
    expect(refusal!.length).toBeLessThan(200);
    expect(findNonPlainData(Object.defineProperty({}, 'k'.repeat(5_000), { get: () => 1, enumerable: true }))!.length).toBeLessThan(200);
  });

  // Walking 2^32 − 1 slots would outlast the test's timeout: finishing at all is the proof; no
  // wall-clock assertion here (speed belongs to the bench, and a busy machine fails timed tests).
  it('refuses a huge sparse array or a wide object at once, without walking it', () => {
    expect(findNonPlainData({ list: new Array(2 ** 32 - 1) })).toMatch(/more than 100000 values/);
    expect(findNonPlainData(Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])))).toMatch(/more than 100000 values/);
  });

  it('refuses arrays JSON would not reproduce, and never runs a getter', () => {
    let getterRan = false;
    const withIndexGetter = Object.defineProperty([0], '0', { get: () => ((getterRan = true), 1), enumerable: true });
    expect(findNonPlainData({ list: withIndexGetter }, limits)).toMatch(/\$\.list\[0\] is an accessor/);
    expect(getterRan).toBe(false);
    expect(findNonPlainData(Object.assign(new Array<number>(3), { 0: 1, 2: 3 }), limits)).toMatch(/sparse/);
    expect(findNonPlainData(Object.assign([1], { extra: 'hidden from JSON' }), limits)).toMatch(/extra properties/);
    expect(findNonPlainData(Object.assign([1], { [Symbol('s')]: 1 }), limits)).not.toBeNull();
  });

  it('refuses properties JSON would not carry: hidden, or keyed by a symbol', () => {
    expect(findNonPlainData(Object.defineProperty({}, 'role', { value: 'device', enumerable: false }), limits)).toMatch(/\$\.role is a hidden/);
    expect(findNonPlainData({ [Symbol('s')]: 1 }, limits)).toMatch(/symbol key/);
  });
});
