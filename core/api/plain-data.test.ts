/** The boundary's first check: only JSON-shaped data within limits crosses. */
import { describe, expect, it } from 'vitest';
import { findNonPlainData } from './plain-data.js';

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
});
