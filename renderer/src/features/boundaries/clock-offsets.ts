/**
 * The one place the board learns a partner's clock offset (decision 0007, "Time"): the interval
 * [low, high] within which the partner's clock differs from ours. The core's `listClockOffsets`
 * is being added in parallel; until the contract has it, every partner reads as unknown and the
 * card shows "—". When it lands, this adapter calls it and nothing else in the board changes.
 */
export interface ClockOffset {
  /** Milliseconds the partner's clock is ahead of ours, at least and at most. */
  readonly lowMs: number;
  readonly highMs: number;
}

export function useClockOffsets(): ReadonlyMap<string, ClockOffset> {
  return NO_OFFSETS;
}

const NO_OFFSETS: ReadonlyMap<string, ClockOffset> = new Map();

/** "+120 ms … +480 ms", or "—" while nothing is known. */
export function formatOffset(offset: ClockOffset | undefined): string {
  if (!offset) return '—';
  const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(Math.round(ms)).toLocaleString('en-GB')} ms`;
  return `${signed(offset.lowMs)} … ${signed(offset.highMs)}`;
}
