/** Measuring a rate: run an operation in batches until the time is up, report operations per second. */

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Name of the ceiling this figure is a ratio to, when it is one. */
  readonly ratio_to?: string;
}

export function opsPerSecond(seconds: number, batch: number, operation: () => void): number {
  // A short warm-up so the first figures are not the JIT's.
  for (let i = 0; i < Math.min(batch, 100); i++) operation();
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let done = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) operation();
    done += batch;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - start) / 1e9);
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
