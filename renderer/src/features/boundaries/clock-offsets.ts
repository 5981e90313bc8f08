/**
 * The one place the board learns a partner's clock offset (decision 0007, "Time"): the interval
 * [low, high] within which the partner's clock differs from ours, from the core's
 * `listClockOffsets`. A side nothing bounds yet (a bundle's one-way sample bounds only the low
 * side) is null and shown open; a partner with no sample at all reads "—".
 */
import { useMemo } from 'react';
import { useContract } from '../../shared/use-contract.js';

export interface ClockOffset {
  /** Milliseconds the partner's clock is ahead of ours, at least and at most; null where unbounded. */
  readonly lowMs: number | null;
  readonly highMs: number | null;
}

export function useClockOffsets(): ReadonlyMap<string, ClockOffset> {
  const { data } = useContract('listClockOffsets', {}, { refreshOn: ['linksChanged', 'crossingChanged'] });
  return useMemo(() => {
    const offsets = new Map<string, ClockOffset>();
    for (const view of data?.offsets ?? []) {
      if (view.samples.length > 0) offsets.set(view.partner, { lowMs: view.interval.lo, highMs: view.interval.hi });
    }
    return offsets;
  }, [data]);
}

/** "+120 ms … +480 ms", "at least −3,600,000 ms" for a one-sided bound, or "—" while nothing is known. */
export function formatOffset(offset: ClockOffset | undefined): string {
  if (!offset || (offset.lowMs === null && offset.highMs === null)) return '—';
  const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(Math.round(ms)).toLocaleString('en-GB')} ms`;
  if (offset.highMs === null) return `at least ${signed(offset.lowMs!)}`;
  if (offset.lowMs === null) return `at most ${signed(offset.highMs)}`;
  return `${signed(offset.lowMs)} … ${signed(offset.highMs)}`;
}
