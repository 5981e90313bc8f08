/** The time store (migrations 13 and 16): a partner's samples of both kinds, newest first; one per bundle; a contradiction open until resolved. */
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test-support/temp-database.js';
import { insertClockSamples } from './link-store.js';
import { insertContradiction, insertOneWaySample, oneWaySamples, openContradiction, resolveContradiction, sampledPartners, twoWaySamples } from './time-store.js';

const temp = useTempDatabase();

const bundle = (n: number) => n.toString(16).padStart(64, '0');

describe('the time store', () => {
  it('keeps one one-way sample per bundle and lists each kind newest first', () => {
    expect(insertOneWaySample(temp.db, { partner: 'DEU', federation: 'f-one', bundle: bundle(1), t3: 5_000, t4: 1_000 })).toBe(true);
    // The same bundle imported again, or resumed: nothing new, the first sample stands.
    expect(insertOneWaySample(temp.db, { partner: 'DEU', federation: 'f-one', bundle: bundle(1), t3: 9_999, t4: 9_999 })).toBe(false);
    insertOneWaySample(temp.db, { partner: 'DEU', federation: 'f-one', bundle: bundle(2), t3: 6_000, t4: 3_000 });
    insertOneWaySample(temp.db, { partner: 'FRA', federation: 'f-one', bundle: bundle(3), t3: 6_000, t4: 2_000 });
    expect(oneWaySamples(temp.db, 'DEU', 10).map((s) => [s.bundle, s.t3, s.t4])).toEqual([[bundle(2), 6_000, 3_000], [bundle(1), 5_000, 1_000]]);
    expect(oneWaySamples(temp.db, 'DEU', 1)).toHaveLength(1);

    insertClockSamples(temp.db, [
      { partner: 'NLD', federation: 'f-one', t1: 10, t2: 20, t3: 21, t4: 30, offsetMs: 0.5, delayMs: 19 },
      { partner: 'NLD', federation: 'f-one', t1: 40, t2: 50, t3: 51, t4: 60, offsetMs: 0.5, delayMs: 19 },
    ]);
    expect(twoWaySamples(temp.db, 'NLD', 10).map((s) => s.t1)).toEqual([40, 10]);
    expect(sampledPartners(temp.db)).toEqual(['DEU', 'FRA', 'NLD']);
  });

  it('keeps a partner’s contradiction open until it is resolved', () => {
    expect(openContradiction(temp.db, 'DEU')).toBeUndefined();
    insertContradiction(temp.db, { partner: 'DEU', first: 'bundle:2', second: 'link:1', event: 'e'.repeat(64) });
    expect(openContradiction(temp.db, 'DEU')).toEqual({ partner: 'DEU', first: 'bundle:2', second: 'link:1', event: 'e'.repeat(64), resolvedAt: null });
    expect(openContradiction(temp.db, 'NLD')).toBeUndefined();
    resolveContradiction(temp.db, 'DEU', '2026-12-01T00:00:00.000Z');
    expect(openContradiction(temp.db, 'DEU')).toBeUndefined();
    expect(() => insertContradiction(temp.db, { partner: 'DEU', first: 'a', second: 'b', event: 'short' })).toThrow(/CHECK/);
  });
});
