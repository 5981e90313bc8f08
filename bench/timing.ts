/** Measuring a rate: run an operation in batches until the time is up, report operations per second. */

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Name of the ceiling this figure is a ratio to, when it is one. */
  readonly ratio_to?: string;
}

/** The time is cut into this many slices and the best slice's rate is reported. */
const SLICES = 10;

/**
 * Operations per second: the best of ten equal slices of `seconds`. Other work on a shared
 * machine only ever slows a slice down, so the best slice is the figure that repeats; every
 * ceiling and every figure is measured the same way, so their ratios stay fair.
 */
export function opsPerSecond(seconds: number, batch: number, operation: () => void): number {
  // A short warm-up so the first figures are not the JIT's.
  for (let i = 0; i < Math.min(batch, 100); i++) operation();
  const sliceNanos = BigInt(Math.round((seconds * 1e9) / SLICES));
  let best = 0;
  for (let slice = 0; slice < SLICES; slice++) {
    const start = process.hrtime.bigint();
    const deadline = start + sliceNanos;
    let done = 0;
    let now = start;
    while (now < deadline) {
      for (let i = 0; i < batch; i++) operation();
      done += batch;
      now = process.hrtime.bigint();
    }
    best = Math.max(best, done / (Number(now - start) / 1e9));
  }
  return best;
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
