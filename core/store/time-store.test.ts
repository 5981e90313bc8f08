/** The time store (migrations 13 and 16): a partner's samples of both kinds, newest first; one per bundle; a contradiction open until resolved. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { openDatabase, type WriteDb } from './database.js';
import { insertClockSamples } from './link-store.js';
import { insertContradiction, insertOneWaySample, oneWaySamples, openContradiction, resolveContradiction, sampledPartners, twoWaySamples } from './time-store.js';

let dir: TempDir;
let db: WriteDb;
beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(dir.file('entente.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

const bundle = (n: number) => n.toString(16).padStart(64, '0');

describe('the time store', () => {
  it('keeps one one-way sample per bundle and lists each kind newest first', () => {
    expect(insertOneWaySample(db, { partner: 'DEU', federation: 'f-one', bundle: bundle(1), t3: 5_000, t4: 1_000 })).toBe(true);
    // The same bundle imported again, or resumed: nothing new, the first sample stands.
    expect(insertOneWaySample(db, { partner: 'DEU', federation: 'f-one', bundle: bundle(1), t3: 9_999, t4: 9_999 })).toBe(false);
    insertOneWaySample(db, { partner: 'DEU', federation: 'f-one', bundle: bundle(2), t3: 6_000, t4: 3_000 });
    insertOneWaySample(db, { partner: 'FRA', federation: 'f-one', bundle: bundle(3), t3: 6_000, t4: 2_000 });
    expect(oneWaySamples(db, 'DEU', 10).map((s) => [s.bundle, s.t3, s.t4])).toEqual([[bundle(2), 6_000, 3_000], [bundle(1), 5_000, 1_000]]);
    expect(oneWaySamples(db, 'DEU', 1)).toHaveLength(1);

    insertClockSamples(db, [
      { partner: 'NLD', federation: 'f-one', t1: 10, t2: 20, t3: 21, t4: 30, offsetMs: 0.5, delayMs: 19 },
      { partner: 'NLD', federation: 'f-one', t1: 40, t2: 50, t3: 51, t4: 60, offsetMs: 0.5, delayMs: 19 },
    ]);
    expect(twoWaySamples(db, 'NLD', 10).map((s) => s.t1)).toEqual([40, 10]);
    expect(sampledPartners(db)).toEqual(['DEU', 'FRA', 'NLD']);
  });

  it('keeps a partner’s contradiction open until it is resolved', () => {
    expect(openContradiction(db, 'DEU')).toBeUndefined();
    insertContradiction(db, { partner: 'DEU', first: 'bundle:2', second: 'link:1', event: 'e'.repeat(64) });
    expect(openContradiction(db, 'DEU')).toEqual({ partner: 'DEU', first: 'bundle:2', second: 'link:1', event: 'e'.repeat(64), resolvedAt: null });
    expect(openContradiction(db, 'NLD')).toBeUndefined();
    resolveContradiction(db, 'DEU', '2026-12-01T00:00:00.000Z');
    expect(openContradiction(db, 'DEU')).toBeUndefined();
    expect(() => insertContradiction(db, { partner: 'DEU', first: 'a', second: 'b', event: 'short' })).toThrow(/CHECK/);
  });
});
