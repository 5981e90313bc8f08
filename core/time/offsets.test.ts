/**
 * Offset intervals (RFC 5905 §8): a simulated pair of clocks — theirs skewed by up to hours and
 * drifting within the declared bound, random network delays, whole-millisecond readings — always
 * has its true offset inside the interval; samples that cannot all be true are found, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inOurClock, MAX_SAMPLES, ntpOffsetAndDelay, offsetInterval, sampleInterval, UNBOUNDED, type Sample } from './offsets.js';

const HOUR = 3_600_000;

/** Their clock as a function of real time, ours being real time: skew + r × (1 + ρ). */
interface PairOfClocks {
  readonly skew: number;
  readonly ppm: number;
}
const theirs = (clocks: PairOfClocks, r: number) => clocks.skew + r * (1 + clocks.ppm * 1e-6);
const trueOffset = (clocks: PairOfClocks, r: number) => theirs(clocks, r) - r;

const exchange = fc.record({
  start: fc.integer({ min: 0, max: 30 * 24 * HOUR }),
  out: fc.integer({ min: 0, max: 5_000 }),
  processing: fc.integer({ min: 0, max: 500 }),
  back: fc.integer({ min: 0, max: 5_000 }),
  // Some exchanges are bundles: one-way, carried for up to a week.
  oneWay: fc.boolean(),
  carried: fc.integer({ min: 0, max: 7 * 24 * HOUR }),
  fraction: fc.double({ min: 0, max: 1, noNaN: true }),
});

type ExchangeOf = typeof exchange extends fc.Arbitrary<infer T> ? T : never;

function simulate(clocks: PairOfClocks, epoch: number, e: ExchangeOf): Sample {
  const r1 = epoch + e.start + e.fraction;
  if (e.oneWay) {
    const t3 = Math.floor(theirs(clocks, r1));
    const t4 = Math.floor(r1 + e.carried);
    return { oneWay: true, t3, t4, at: t4 };
  }
  const r2 = r1 + e.out;
  const r3 = r2 + e.processing;
  const r4 = r3 + e.back;
  const t4 = Math.floor(r4);
  return { t1: Math.floor(r1), t2: Math.floor(theirs(clocks, r2)), t3: Math.floor(theirs(clocks, r3)), t4, at: t4 };
}

describe('offset intervals', () => {
  it('follows RFC 5905 §8 on a worked sample', () => {
    // Their clock 1000 ms ahead, 20 ms each way, 5 ms to answer.
    const sample = { t1: 10_000, t2: 11_020, t3: 11_025, t4: 10_045, at: 10_045 };
    expect(ntpOffsetAndDelay(sample)).toEqual({ offset: 1000, delay: 40 });
    // [θ − δ/2, θ + δ/2] = [t3 − t4, t2 − t1], widened by the 1 ms precision.
    expect(sampleInterval(sample, 10_000, 0)).toEqual({ lo: 979, hi: 1021 });
    // Its age is the distance to the farther end of the round trip: 45 ms at t1 or t4, 45 × 50 ppm wider.
    expect(sampleInterval(sample, 10_000, 50).hi).toBeCloseTo(1021.00225, 9);
    expect(sampleInterval(sample, 10_045, 50).hi).toBeCloseTo(1021.00225, 9);
    // A day later at 50 ppm: 4.32 s more either way.
    const day = sampleInterval(sample, 10_000 + 24 * HOUR, 50);
    expect(day.lo).toBeCloseTo(979 - 4320, 6);
    expect(day.hi).toBeCloseTo(1021 + 4320, 6);
    // A bundle bounds from below only.
    expect(sampleInterval({ oneWay: true, t3: 50_000, t4: 40_000, at: 40_000 }, 40_000, 50)).toEqual({ lo: 9_999, hi: Number.POSITIVE_INFINITY });
    expect(offsetInterval([], 0, 50)).toEqual({ interval: UNBOUNDED });
  });

  it('intersects samples, and a foreign time in our clock is the interval turned round', () => {
    const a = { t1: 0, t2: 1_100, t3: 1_100, t4: 200, at: 200 }; // [900, 1100] ± 1
    const b = { t1: 300, t2: 1_350, t3: 1_360, t4: 400, at: 400 }; // [960, 1050] ± 1
    const { interval, contradiction } = offsetInterval([a, b], 400, 0);
    expect(contradiction).toBeUndefined();
    expect(interval).toEqual({ lo: 959, hi: 1051 });
    expect(inOurClock(10_000, interval)).toEqual({ lo: 8_949, hi: 9_041 });
  });

  it('holds the true offset of a simulated pair of clocks: skew of hours, random delays, drift within the bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -12 * HOUR, max: 12 * HOUR }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        fc.array(exchange, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 60 * 24 * HOUR }),
        fc.boolean(),
        (skew, bound, share, epoch, exchanges, later, past) => {
          const clocks = { skew, ppm: bound * share };
          const samples = exchanges.map((e) => simulate(clocks, epoch, e));
          // Now, or any moment of the past the interval is asked for (a foreign observation's time).
          const now = past ? epoch - later : Math.max(...samples.map((s) => s.t4)) + later;
          const { interval, contradiction } = offsetInterval(samples, now, bound);
          expect(contradiction).toBeUndefined();
          const truth = trueOffset(clocks, now);
          expect(interval.lo).toBeLessThanOrEqual(truth);
          expect(interval.hi).toBeGreaterThanOrEqual(truth);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps only the newest 64 samples', () => {
    // An old sample far tighter than the rest would narrow the interval if it were kept.
    const tight = { t1: 0, t2: 1_000, t3: 1_000, t4: 0, at: 0 };
    const loose = Array.from({ length: MAX_SAMPLES }, (_, i) => ({ t1: 100 + i, t2: 1_000 + 100 + i, t3: 1_000 + 200 + i, t4: 300 + i, at: 300 + i }));
    const { interval } = offsetInterval([tight, ...loose], 1_000, 0);
    expect(interval.hi - interval.lo).toBeGreaterThan(2);
    expect(offsetInterval([tight, ...loose.slice(1)], 1_000, 0).interval).toEqual({ lo: 999, hi: 1001 });
  });

  it('names the two samples that contradict each other, and falls back to the newest', () => {
    // The partner's clock was set back by an hour between the two exchanges, beyond any drift.
    const before = { t1: 0, t2: 1_010, t3: 1_011, t4: 20, at: 20 };
    const after = { t1: 10_000, t2: 10_000 + 1_010 - HOUR, t3: 10_000 + 1_011 - HOUR, t4: 10_020, at: 10_020 };
    const result = offsetInterval([before, after], 10_020, 50);
    expect(result.contradiction).toEqual([before, after]);
    expect(result.interval).toEqual(sampleInterval(after, 10_020, 50));
    // A sample with negative delay contradicts itself.
    const impossible = { t1: 0, t2: 100, t3: 500, t4: 10, at: 10 };
    const alone = offsetInterval([impossible], 10, 0);
    expect(alone.contradiction).toEqual([impossible, impossible]);
    expect(alone.interval).toEqual(UNBOUNDED);
  });

  it('finds contradictions in arbitrary samples and never crashes', () => {
    const ms = fc.integer({ min: 0, max: 2_000_000_000_000 });
    const sample: fc.Arbitrary<Sample> = fc.oneof(
      fc.record({ t1: ms, t2: ms, t3: ms, t4: ms, at: ms }),
      fc.record({ oneWay: fc.constant(true as const), t3: ms, t4: ms, at: ms }),
    );
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 100 }), ms, fc.integer({ min: 0, max: 1_000 }), (samples, now, ppm) => {
        const { interval, contradiction } = offsetInterval(samples, now, ppm);
        expect(interval.lo).toBeLessThanOrEqual(interval.hi);
        const kept = [...samples].sort((a, b) => b.at - a.at || b.t4 - a.t4).slice(0, MAX_SAMPLES);
        const each = kept.map((s) => sampleInterval(s, now, ppm));
        const meet = Math.max(...each.map((i) => i.lo)) <= Math.min(...each.map((i) => i.hi));
        expect(contradiction === undefined).toBe(kept.length === 0 || meet);
        if (contradiction) {
          const [a, b] = contradiction.map((s) => sampleInterval(s, now, ppm));
          expect(a!.lo).toBeGreaterThan(b!.hi);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a drift bound that is not a number of ppm', () => {
    expect(() => offsetInterval([], 0, -1)).toThrow(RangeError);
    expect(() => offsetInterval([], 0, Number.NaN)).toThrow(RangeError);
  });
});
