/** HLC properties: never backwards, and a received stamp is always before what follows it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockTooFarAhead, compareHlc, HLC_ZERO, receive, tick, type HlcStamp } from './hlc.js';

describe('hybrid logical clock', () => {
  it('never runs backwards, even when the physical clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 50 }), (times) => {
        let state: HlcStamp = HLC_ZERO;
        for (const now of times) {
          const next = tick(state, now);
          expect(compareHlc(next, state)).toBeGreaterThan(0);
          state = next;
        }
      }),
    );
  });

  it('orders a receive after both the sender and the receiver', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), fc.nat(1000), fc.nat(1000), (la, lb, ca, cb) => {
        const local = { l: la, c: ca };
        const remote = { l: lb, c: cb };
        const after = receive(local, remote, Math.min(la, lb), Number.POSITIVE_INFINITY);
        expect(compareHlc(after, local)).toBeGreaterThan(0);
        expect(compareHlc(after, remote)).toBeGreaterThan(0);
      }),
    );
  });

  it('refuses a remote stamp too far ahead of local time', () => {
    expect(() => receive(HLC_ZERO, { l: 10_000, c: 0 }, 0, 5_000)).toThrow(ClockTooFarAhead);
  });
});
