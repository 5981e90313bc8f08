/**
 * Offset bounds between two mesh clocks (docs/decisions/0007-reconciliation.md, "Time"): from the
 * clock samples exchanges carry, the interval in which the partner's clock minus ours must lie.
 *
 * A two-way sample is NTP's four timestamps (RFC 5905 §8): t1 our send, t2 their receive, t3 their
 * send, t4 our receive, each in its own side's milliseconds. RFC 5905 §8 gives the offset
 * θ = ((t2 − t1) + (t3 − t4)) / 2 and the delay δ = (t4 − t1) − (t3 − t2), and the true offset lies
 * in [θ − δ/2, θ + δ/2] — which is exactly [t3 − t4, t2 − t1]: their send cannot follow our
 * receive, their receive cannot precede our send. A negative delay is a sample no pair of honest
 * clocks can produce (its interval is empty). A one-way sample (a bundle written at their t3 and
 * admitted here at t4) bounds the offset from below only: θ ≥ t3 − t4.
 *
 * Each sample's interval widens by the clocks' resolution (whole milliseconds, RFC 5905 §7.3's
 * precision: each reading may be up to 1 ms short, so a difference of two readings may be off by
 * up to 1 ms either way) and by the declared relative drift × the sample's age, since the offset
 * itself moves at the drift rate after the sample bounded it. The partner's interval is the
 * intersection of the newest samples; an empty intersection is a contradiction, named by the two
 * samples that disagree, and the interval falls back to the newest sample alone.
 */

/** Milliseconds; `lo` may be −Infinity and `hi` +Infinity (nothing bounds that side). */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

export type TwoWaySample = { readonly t1: number; readonly t2: number; readonly t3: number; readonly t4: number; readonly at: number };
export type OneWaySample = { readonly oneWay: true; readonly t3: number; readonly t4: number; readonly at: number };
/** `at`: when the sample was taken, in our clock: which samples are the newest. */
export type Sample = TwoWaySample | OneWaySample;

/** The newest samples kept per partner (0007). */
export const MAX_SAMPLES = 64;

/** Each timestamp is whole milliseconds, floored: a difference of two readings is off by less than this either way. */
export const PRECISION_MS = 1;

export const UNBOUNDED: Interval = Object.freeze({ lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY });

export interface OffsetResult {
  readonly interval: Interval;
  /** The two samples whose intervals do not meet (the same sample twice when it contradicts itself). */
  readonly contradiction?: [Sample, Sample];
}

export function isOneWay(sample: Sample): sample is OneWaySample {
  return 'oneWay' in sample && sample.oneWay === true;
}

/** RFC 5905 §8: offset θ and round-trip delay δ of a two-way sample. */
export function ntpOffsetAndDelay(s: Pick<TwoWaySample, 't1' | 't2' | 't3' | 't4'>): { offset: number; delay: number } {
  return { offset: (s.t2 - s.t1 + (s.t3 - s.t4)) / 2, delay: s.t4 - s.t1 - (s.t3 - s.t2) };
}

/**
 * How far `now` is from the moment the sample's bound holds at. A two-way sample bounds the
 * offset at their receive and their send, both somewhere in [t1, t4] of our clock: the farther
 * end counts. A one-way sample's bound is loosest taken at t4 (the bundle may have been written
 * any time before; an older writing only raises the bound, by more than drift takes off).
 * Drift runs both ways, so a moment before the sample is aged as one after it.
 */
function ageOf(sample: Sample, now: number): number {
  if (isOneWay(sample)) return Math.abs(now - sample.t4);
  return Math.max(Math.abs(now - sample.t1), Math.abs(now - sample.t4));
}

/**
 * One sample's interval at `now` (our clock; earlier or later than the sample): [θ − δ/2, θ + δ/2] (one-way: [t3 − t4, +∞)),
 * widened by the precision and by `driftPpm` × 10⁻⁶ × its age. Empty (lo > hi) only when the
 * sample contradicts itself.
 */
export function sampleInterval(sample: Sample, now: number, driftPpm: number): Interval {
  assertSample(sample);
  assertDrift(driftPpm);
  const widen = PRECISION_MS + driftPpm * 1e-6 * ageOf(sample, now);
  const lo = sample.t3 - sample.t4 - widen;
  if (isOneWay(sample)) return { lo, hi: Number.POSITIVE_INFINITY };
  const { offset, delay } = ntpOffsetAndDelay(sample);
  return { lo: offset - delay / 2 - widen, hi: offset + delay / 2 + widen };
}

/**
 * The partner's offset interval (their clock − ours) as of `now`: the intersection of the newest
 * {@link MAX_SAMPLES} samples' intervals. No samples: unbounded. An empty intersection names the
 * sample with the highest lower bound and the one with the lowest upper bound, and falls back to
 * the newest sample that does not contradict itself (unbounded when none).
 */
export function offsetInterval(samples: readonly Sample[], now: number, driftPpm: number): OffsetResult {
  assertDrift(driftPpm);
  if (!Number.isFinite(now)) throw new RangeError(`Now must be a finite number of milliseconds, not ${now}.`);
  const kept = newest(samples, MAX_SAMPLES);
  if (kept.length === 0) return { interval: UNBOUNDED };
  const intervals = kept.map((sample) => sampleInterval(sample, now, driftPpm));
  let loAt = 0;
  let hiAt = 0;
  intervals.forEach((interval, i) => {
    if (interval.lo > intervals[loAt]!.lo) loAt = i;
    if (interval.hi < intervals[hiAt]!.hi) hiAt = i;
  });
  const interval = { lo: intervals[loAt]!.lo, hi: intervals[hiAt]!.hi };
  if (interval.lo <= interval.hi) return { interval };
  const fallback = intervals.find((candidate) => candidate.lo <= candidate.hi) ?? UNBOUNDED;
  return { interval: fallback, contradiction: [kept[loAt]!, kept[hiAt]!] };
}

/** Newest first (by `at`, then by our receive time), at most `limit`. */
function newest(samples: readonly Sample[], limit: number): Sample[] {
  return [...samples].sort((a, b) => b.at - a.at || b.t4 - a.t4).slice(0, limit);
}

/**
 * A foreign mesh's time `t` (its own clock) in ours: t − offset, an interval. Ours minus theirs
 * is −θ, so the bounds swap: [t − hi, t − lo].
 */
export function inOurClock(theirTime: number, offset: Interval): Interval {
  return { lo: theirTime - offset.hi, hi: theirTime - offset.lo };
}

export function intersect(a: Interval, b: Interval): Interval | null {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return intersect(a, b) !== null;
}

export function isEmpty(interval: Interval): boolean {
  return interval.lo > interval.hi;
}

function assertSample(sample: Sample): void {
  const values = isOneWay(sample) ? [sample.t3, sample.t4, sample.at] : [sample.t1, sample.t2, sample.t3, sample.t4, sample.at];
  if (!values.every(Number.isFinite)) throw new RangeError('A clock sample holds finite milliseconds only.');
}

function assertDrift(driftPpm: number): void {
  if (!(Number.isFinite(driftPpm) && driftPpm >= 0)) throw new RangeError(`The drift bound must be a non-negative number of ppm, not ${driftPpm}.`);
}
