/**
 * The geometry of the competing histories on one time axis (docs/decisions/0007, "Time"): each
 * observation's mesh-derived time is an interval in this mesh's clock — a point for our own, a
 * span for a foreign one, open on a side no clock sample bounds — and two observations whose
 * intervals overlap are concurrent: neither can be put before the other. Pure, so it is tested
 * without a browser; TimeAxis.tsx draws it.
 */

export interface AxisInput {
  readonly id: string;
  readonly mesh: string;
  /** The observation's stated time (its HLC wall time), ISO. */
  readonly statedAt: string;
  /** Mesh-derived time; null sides unbounded; null when no sample bounds the origin's clock. */
  readonly derivedTime: { readonly lo: string | null; readonly hi: string | null } | null;
}

export interface AxisBar {
  readonly id: string;
  readonly mesh: string;
  /** Milliseconds in this mesh's clock; ±Infinity where unbounded. */
  readonly lo: number;
  readonly hi: number;
  /** `bounded`: both sides known; `open`: a side unbounded; `unknown`: no clock sample, drawn around the stated time. */
  readonly bound: 'bounded' | 'open' | 'unknown';
  readonly stated: number;
}

export interface AxisModel {
  readonly bars: AxisBar[];
  /** The window drawn, ms: every finite bound inside, with a margin. */
  readonly from: number;
  readonly to: number;
  /** Pairs of bars (indices) that overlap: concurrent. */
  readonly concurrent: [number, number][];
  /** Where all the bars overlap, if they do (the span none of them can be ordered within). */
  readonly common: { readonly lo: number; readonly hi: number } | null;
}

const at = (iso: string | null, unbounded: number) => (iso === null ? unbounded : Date.parse(iso));

export function barOf(input: AxisInput): AxisBar {
  const stated = Date.parse(input.statedAt);
  if (input.derivedTime === null) return { id: input.id, mesh: input.mesh, lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY, bound: 'unknown', stated };
  const lo = at(input.derivedTime.lo, Number.NEGATIVE_INFINITY);
  const hi = at(input.derivedTime.hi, Number.POSITIVE_INFINITY);
  return { id: input.id, mesh: input.mesh, lo, hi, bound: Number.isFinite(lo) && Number.isFinite(hi) ? 'bounded' : 'open', stated };
}

/** Closed intervals overlap when neither ends before the other begins. */
export const overlaps = (a: { lo: number; hi: number }, b: { lo: number; hi: number }) => a.lo <= b.hi && b.lo <= a.hi;

export function axisModel(inputs: readonly AxisInput[]): AxisModel {
  const bars = inputs.map(barOf);
  const finite = bars.flatMap((b) => [b.lo, b.hi, b.stated]).filter(Number.isFinite);
  const lo = finite.length > 0 ? Math.min(...finite) : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  // A margin of a tenth either side (at least a second), so a point is not drawn on the frame.
  const margin = Math.max((hi - lo) / 10, 1_000);
  const concurrent: [number, number][] = [];
  for (let i = 0; i < bars.length; i++) for (let j = i + 1; j < bars.length; j++) if (overlaps(bars[i]!, bars[j]!)) concurrent.push([i, j]);
  const common = bars.reduce<{ lo: number; hi: number } | null>((acc, b) => (acc === null ? null : overlaps(acc, b) ? { lo: Math.max(acc.lo, b.lo), hi: Math.min(acc.hi, b.hi) } : null), {
    lo: Number.NEGATIVE_INFINITY,
    hi: Number.POSITIVE_INFINITY,
  });
  return { bars, from: lo - margin, to: hi + margin, concurrent, common: bars.length > 1 ? common : null };
}

/** x in [0, width] for an instant, clamped to the frame (an unbounded side runs to the edge). */
export function scale(model: Pick<AxisModel, 'from' | 'to'>, width: number): (ms: number) => number {
  const span = model.to - model.from;
  return (ms) => (ms === Number.NEGATIVE_INFINITY ? 0 : ms === Number.POSITIVE_INFINITY ? width : Math.min(width, Math.max(0, ((ms - model.from) / span) * width)));
}

/** Up to `count` round ticks across the window: steps of 1, 2 or 5 × a power of ten of seconds, minutes or hours. */
export function ticks(model: Pick<AxisModel, 'from' | 'to'>, count = 5): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000);
  const span = model.to - model.from;
  const step = steps.find((s) => span / s <= count) ?? Math.ceil(span / count / 86_400_000) * 86_400_000;
  const out: number[] = [];
  for (let t = Math.ceil(model.from / step) * step; t <= model.to; t += step) out.push(t);
  return out;
}

/** "08:00:05" in UTC for a tick; the axis says once that it is UTC. */
export function tickLabel(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A bar's extent for a person: "08:00:05.120 – 08:00:05.480 UTC (±180 ms)", "a point", "open before/after". */
export function describeBar(bar: AxisBar): string {
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  if (bar.bound === 'unknown') return `no clock sample bounds ${bar.mesh}'s clock: stated ${time(bar.stated)} UTC in ${bar.mesh}'s own clock`;
  if (bar.lo === bar.hi) return `${time(bar.lo)} UTC (a point: own clock)`;
  if (bar.bound === 'open') return Number.isFinite(bar.lo) ? `not before ${time(bar.lo)} UTC (no upper bound)` : `not after ${time(bar.hi)} UTC (no lower bound)`;
  return `${time(bar.lo)} – ${time(bar.hi)} UTC (±${Math.round((bar.hi - bar.lo) / 2).toLocaleString('en-GB')} ms)`;
}
