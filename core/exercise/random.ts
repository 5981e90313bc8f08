/**
 * A small seeded generator for the exercise and the simulator: the same seed gives the same
 * tracks on every machine, so a demo or a benchmark can be run again and compared. Not for
 * anything secret — keys come from node:crypto, never from here.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** Approximately normal (mean 0, standard deviation 1): the sum of uniforms, bounded, never NaN. */
  gauss(): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): one 32-bit state word, period
 * 2^32, fast and good enough to make paths that do not look alike. The seed is any string,
 * hashed into the state with FNV-1a so "exercise" and "exercise2" start far apart.
 */
export function seededRandom(seed: string): Random {
  let state = fnv1a(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    between: (lo, hi) => lo + (hi - lo) * next(),
    below: (n) => Math.floor(next() * n),
    // Irwin–Hall with 6 terms, recentred and scaled to unit variance: within ±4.3, no tails to surprise a path.
    gauss: () => (next() + next() + next() + next() + next() + next() - 3) * Math.SQRT2,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick needs at least one item');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
