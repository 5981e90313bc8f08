/**
 * Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks", OPODIS 2014):
 * a stamp (l, c) that stays close to physical time yet never runs backwards, and orders every
 * event after everything it could have seen. `l` is milliseconds since the Unix epoch, the
 * largest physical time the event has heard of; `c` counts events sharing that `l`.
 * The update rules are the paper's Figure 5, as restated in docs DOMAIN.md §6.
 *
 * @example
 *   let clock = HLC_ZERO;
 *   clock = tick(clock, Date.now());                       // a local or send event
 *   const r = receive(clock, remoteStamp, Date.now(), 60_000);
 *   if (r.ok) clock = r.stamp; else log(r.message);        // a stamp too far ahead is refused
 */

export interface HlcStamp {
  readonly l: number;
  readonly c: number;
}

/** A stamp with the id of the node that made it, the final tie-breaker in the total order. */
export interface NodeStamp extends HlcStamp {
  readonly node: string;
}

export const HLC_ZERO: HlcStamp = Object.freeze({ l: 0, c: 0 });

/** A local or send event: l' = max(l, pt); c' = l' == l ? c + 1 : 0. */
export function tick(state: HlcStamp, physicalNow: number): HlcStamp {
  assertPhysical(physicalNow);
  const l = Math.max(state.l, physicalNow);
  return { l, c: l === state.l ? state.c + 1 : 0 };
}

export type ReceiveResult =
  | { readonly ok: true; readonly stamp: HlcStamp }
  | { readonly ok: false; readonly reason: 'malformed-stamp' | 'clock-too-far-ahead'; readonly aheadMs: number | null; readonly message: string };

/**
 * A receive event. A remote `l` more than `maxAheadMs` ahead of our physical clock is refused,
 * not adopted: adopting it would drag this clock (and every stamp after it) into the future,
 * and the paper's bounded-drift guarantee assumes clocks within ε of each other. On refusal the
 * caller keeps its state; it may still record the message with a local `tick`.
 */
export function receive(state: HlcStamp, remote: HlcStamp, physicalNow: number, maxAheadMs: number): ReceiveResult {
  assertPhysical(physicalNow);
  if (!isStamp(remote)) {
    return { ok: false, reason: 'malformed-stamp', aheadMs: null, message: 'The remote clock stamp is not a pair of non-negative safe integers.' };
  }
  const aheadMs = remote.l - physicalNow;
  if (aheadMs > maxAheadMs) {
    return { ok: false, reason: 'clock-too-far-ahead', aheadMs, message: `The remote clock is ${aheadMs} ms ahead of ours; at most ${maxAheadMs} ms is accepted.` };
  }
  const l = Math.max(state.l, remote.l, physicalNow);
  let c: number;
  if (l === state.l && l === remote.l) c = Math.max(state.c, remote.c) + 1;
  else if (l === state.l) c = state.c + 1;
  else if (l === remote.l) c = remote.c + 1;
  else c = 0;
  return { ok: true, stamp: { l, c } };
}

/**
 * The total order on stamps: by l, then c, then node id (UTF-16 code units) when both carry one.
 * Returns -1, 0 or 1. Happened-before implies a smaller stamp; the converse does not hold.
 */
export function compare(a: HlcStamp | NodeStamp, b: HlcStamp | NodeStamp): -1 | 0 | 1 {
  if (a.l !== b.l) return a.l < b.l ? -1 : 1;
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  const na = 'node' in a ? a.node : undefined;
  const nb = 'node' in b ? b.node : undefined;
  if (na === undefined || nb === undefined || na === nb) return 0;
  return na < nb ? -1 : 1;
}

/** The same order; the name earlier code uses. */
export const compareHlc = compare;

export function isStamp(value: unknown): value is HlcStamp {
  if (typeof value !== 'object' || value === null) return false;
  const { l, c } = value as Record<string, unknown>;
  return Number.isSafeInteger(l) && (l as number) >= 0 && Number.isSafeInteger(c) && (c as number) >= 0;
}

/** Physical time comes from this process (Date.now()): a bad value is a programming error. */
function assertPhysical(physicalNow: number): void {
  if (!Number.isSafeInteger(physicalNow) || physicalNow < 0) {
    throw new RangeError(`Physical time must be whole milliseconds since the epoch, not ${physicalNow}.`);
  }
}
