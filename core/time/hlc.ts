/**
 * Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks", OPODIS 2014):
 * a stamp (l, c) that stays close to physical time yet never runs backwards, and orders every
 * event after everything it could have seen. l is milliseconds since the Unix epoch.
 */

export interface HlcStamp {
  readonly l: number;
  readonly c: number;
}

export const HLC_ZERO: HlcStamp = { l: 0, c: 0 };

/** A local or send event. */
export function tick(state: HlcStamp, physicalNow: number): HlcStamp {
  const l = Math.max(state.l, physicalNow);
  return { l, c: l === state.l ? state.c + 1 : 0 };
}

export class ClockTooFarAhead extends Error {
  constructor(readonly aheadMs: number) {
    super(`The remote clock is ${aheadMs} ms ahead of ours, beyond what we accept.`);
    this.name = 'ClockTooFarAhead';
  }
}

/** Receiving a stamp from elsewhere; a remote stamp too far in our future is refused, not adopted. */
export function receive(state: HlcStamp, remote: HlcStamp, physicalNow: number, maxAheadMs: number): HlcStamp {
  if (remote.l - physicalNow > maxAheadMs) throw new ClockTooFarAhead(remote.l - physicalNow);
  const l = Math.max(state.l, remote.l, physicalNow);
  let c: number;
  if (l === state.l && l === remote.l) c = Math.max(state.c, remote.c) + 1;
  else if (l === state.l) c = state.c + 1;
  else if (l === remote.l) c = remote.c + 1;
  else c = 0;
  return { l, c };
}

export function compareHlc(a: HlcStamp, b: HlcStamp): number {
  return a.l - b.l || a.c - b.c;
}
