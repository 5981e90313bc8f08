/**
 * HLC properties (Kulkarni et al. 2014): never backwards, happened-before implies a smaller
 * stamp, l is the largest physical time in the event's causal past, and a stamp too far
 * ahead is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, HLC_ZERO, receive, tick, type HlcStamp } from './hlc.js';

const ms = fc.integer({ min: 0, max: 2_000_000_000_000 });

describe('hybrid logical clock', () => {
  it('follows the paper on simple cases', () => {
    expect(tick(HLC_ZERO, 100)).toEqual({ l: 100, c: 0 });
    expect(tick({ l: 100, c: 0 }, 100)).toEqual({ l: 100, c: 1 });
    expect(tick({ l: 100, c: 4 }, 90)).toEqual({ l: 100, c: 5 });
    expect(receive({ l: 100, c: 2 }, { l: 100, c: 7 }, 50, 1000)).toEqual({ ok: true, stamp: { l: 100, c: 8 } });
    expect(receive({ l: 100, c: 2 }, { l: 120, c: 7 }, 50, 1000)).toEqual({ ok: true, stamp: { l: 120, c: 8 } });
    expect(receive({ l: 100, c: 2 }, { l: 90, c: 7 }, 50, 1000)).toEqual({ ok: true, stamp: { l: 100, c: 3 } });
    expect(receive({ l: 100, c: 2 }, { l: 90, c: 7 }, 150, 1000)).toEqual({ ok: true, stamp: { l: 150, c: 0 } });
  });

  it('never runs backwards, even when the physical clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ms, fc.option(fc.record({ l: ms, c: fc.nat(1000) }))), { minLength: 1, maxLength: 60 }), (events) => {
        let state: HlcStamp = HLC_ZERO;
        for (const [now, remote] of events) {
          let next = tick(state, now);
          if (remote) {
            const received = receive(state, remote, now, Number.POSITIVE_INFINITY);
            expect(received.ok).toBe(true);
            if (received.ok) next = received.stamp;
          }
          expect(compare(next, state)).toBe(1);
          expect(next.l).toBeGreaterThanOrEqual(now);
          state = next;
        }
      }),
    );
  });

  it('orders a receive after both the sender and the receiver', () => {
    fc.assert(
      fc.property(ms, ms, fc.nat(1000), fc.nat(1000), ms, (la, lb, ca, cb, now) => {
        const local = { l: la, c: ca };
        const remote = { l: lb, c: cb };
        const after = receive(local, remote, now, Number.POSITIVE_INFINITY);
        if (!after.ok) throw new Error(after.message);
        expect(compare(after.stamp, local)).toBe(1);
        expect(compare(after.stamp, remote)).toBe(1);
        expect(after.stamp.l).toBe(Math.max(la, lb, now));
      }),
    );
  });

  // Random runs of a few nodes exchanging messages, with physical clocks that jump back and
  // forth; vector clocks give the true happened-before relation to check the stamps against.
  it('gives a smaller stamp to every event that happened before another', () => {
    const step = fc.record({
      node: fc.nat(3),
      kind: fc.constantFrom('local', 'send', 'receive'),
      drift: fc.integer({ min: -50, max: 50 }),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const nodes = 4;
        const clocks: HlcStamp[] = Array.from({ length: nodes }, () => HLC_ZERO);
        const physical = Array.from({ length: nodes }, (_, i) => 1_000 + i * 7);
        const vectors = Array.from({ length: nodes }, () => new Array<number>(nodes).fill(0));
        const inFlight: { stamp: HlcStamp; vector: number[]; physicalPast: number }[] = [];
        const pastMax = new Array<number>(nodes).fill(0);
        const events: { stamp: HlcStamp; vector: number[] }[] = [];
        for (const { node, kind, drift, pick } of steps) {
          physical[node] = Math.max(0, physical[node]! + drift);
          const now = physical[node]!;
          const vector = [...vectors[node]!];
          if (kind === 'receive' && inFlight.length > 0) {
            const message = inFlight.splice(pick % inFlight.length, 1)[0]!;
            const result = receive(clocks[node]!, message.stamp, now, Number.POSITIVE_INFINITY);
            if (!result.ok) throw new Error(result.message);
            clocks[node] = result.stamp;
            message.vector.forEach((v, i) => (vector[i] = Math.max(vector[i]!, v)));
            pastMax[node] = Math.max(pastMax[node]!, message.physicalPast);
          } else {
            clocks[node] = tick(clocks[node]!, now);
          }
          vector[node]! += 1;
          vectors[node] = vector;
          pastMax[node] = Math.max(pastMax[node]!, now);
          // l is exactly the largest physical time this event has heard of (the paper's Theorem 2 bound).
          expect(clocks[node]!.l).toBe(pastMax[node]);
          if (kind === 'send') inFlight.push({ stamp: clocks[node]!, vector, physicalPast: pastMax[node]! });
          events.push({ stamp: clocks[node]!, vector });
        }
        for (const e of events) {
          for (const f of events) {
            const happenedBefore = e !== f && e.vector.every((v, i) => v <= f.vector[i]!);
            if (happenedBefore) expect(compare(e.stamp, f.stamp)).toBe(-1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a remote stamp too far ahead of local time, and a malformed one', () => {
    expect(receive(HLC_ZERO, { l: 10_000, c: 0 }, 0, 5_000)).toMatchObject({ ok: false, reason: 'clock-too-far-ahead', aheadMs: 10_000 });
    expect(receive(HLC_ZERO, { l: 5_000, c: 0 }, 0, 5_000)).toMatchObject({ ok: true });
    for (const bad of [{ l: -1, c: 0 }, { l: 1.5, c: 0 }, { l: 1, c: Number.NaN }, { l: 2 ** 60, c: 0 }]) {
      expect(receive(HLC_ZERO, bad, 0, 5_000)).toMatchObject({ ok: false, reason: 'malformed-stamp' });
    }
    expect(() => tick(HLC_ZERO, Number.NaN)).toThrow(RangeError);
  });

  it('breaks ties by node id, and is a total order', () => {
    expect(compare({ l: 5, c: 1, node: 'a' }, { l: 5, c: 1, node: 'b' })).toBe(-1);
    expect(compare({ l: 5, c: 2, node: 'a' }, { l: 5, c: 1, node: 'b' })).toBe(1);
    expect(compare({ l: 5, c: 1, node: 'a' }, { l: 5, c: 1, node: 'a' })).toBe(0);
    expect(compare({ l: 5, c: 1 }, { l: 5, c: 1, node: 'a' })).toBe(0);
    const stamp = fc.record({ l: fc.nat(5), c: fc.nat(3), node: fc.constantFrom('a', 'b', 'Z', 'ä') });
    fc.assert(
      fc.property(stamp, stamp, stamp, (a, b, c) => {
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
        if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
