/**
 * Ordering (0007 "Ordering"): three simulated meshes with clocks skewed by hours, one of which
 * jumps backwards at random, exchanging observations that derive from one another. Causally
 * related observations are never reordered, a mesh's own observations keep their order through
 * the jump, and intervals that overlap are concurrent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HLC_ZERO, receive, tick, type HlcStamp } from '../time/hlc.js';
import { isAncestor, order, orderWithBasis, type Orderable } from './order.js';

const HOUR = 3_600_000;
const MESHES = ['AAA', 'BBB', 'CCC'];

interface Simulated extends Orderable {
  readonly sources: readonly string[];
  /** When it really happened, and its place in its mesh's own sequence of events. */
  readonly real: number;
  readonly seq: number;
}

const step = fc.record({
  mesh: fc.nat(2),
  /** Derive from an observation already made (anywhere): a lineage edge, and for a foreign one a receive. */
  derive: fc.option(fc.nat(), { nil: undefined }),
  elapse: fc.integer({ min: 1, max: 10 * 60_000 }),
  /** The mesh's wall clock set back by up to a day before this event. */
  jumpBack: fc.option(fc.integer({ min: 1, max: 24 * HOUR }), { freq: 6, nil: undefined }),
  slackLo: fc.integer({ min: 0, max: 2 * HOUR }),
  slackHi: fc.integer({ min: 0, max: 2 * HOUR }),
});

type StepOf = typeof step extends fc.Arbitrary<infer T> ? T : never;

function simulate(skews: readonly number[], steps: readonly StepOf[]): Simulated[] {
  const start = 1_800_000_000_000;
  const clocks: HlcStamp[] = MESHES.map(() => HLC_ZERO);
  const setBack = MESHES.map(() => 0);
  const made: Simulated[] = [];
  let real = start;
  steps.forEach((s, seq) => {
    real += s.elapse;
    if (s.jumpBack !== undefined) setBack[s.mesh]! += s.jumpBack;
    const wall = Math.max(0, real + skews[s.mesh]! - setBack[s.mesh]!);
    const source = s.derive !== undefined && made.length > 0 ? made[s.derive % made.length]! : undefined;
    let clock = tick(clocks[s.mesh]!, wall);
    if (source && source.mesh !== MESHES[s.mesh]) {
      const received = receive(clocks[s.mesh]!, source.hlc, wall, Number.POSITIVE_INFINITY);
      if (received.ok) clock = tick(received.stamp, wall);
    }
    clocks[s.mesh] = clock;
    // Sound intervals: each holds the real time, with random slack either side.
    made.push({ id: `obs-${seq}`, mesh: MESHES[s.mesh]!, hlc: clock, sources: source ? [source.id] : [], real, seq, interval: { lo: real - s.slackLo, hi: real + s.slackHi } });
  });
  return made;
}

const sourcesIn = (made: readonly Simulated[]) => {
  const byId = new Map(made.map((m) => [m.id, m.sources]));
  return (id: string) => byId.get(id);
};

const point = (id: string, mesh: string, l: number, lo: number, hi = lo): Orderable => ({ id, mesh, hlc: { l, c: 0 }, interval: { lo, hi } });

describe('ordering', () => {
  it('puts lineage first, then one mesh’s clock, then intervals', () => {
    const sources = new Map<string, string[]>([['c', ['b']], ['b', ['a']]]);
    const of = (id: string) => sources.get(id);
    // c derives from a through b, though its clock and interval say it came first.
    expect(orderWithBasis(point('a', 'AAA', 900, 900), point('c', 'BBB', 100, 100), of)).toEqual({ relation: 'before', by: 'lineage' });
    expect(order(point('c', 'BBB', 100, 100), point('a', 'AAA', 900, 900), of)).toBe('after');
    // Same mesh: its HLC, whatever the intervals.
    expect(orderWithBasis(point('x', 'AAA', 5, 900), point('y', 'AAA', 6, 100), of)).toEqual({ relation: 'before', by: 'hlc' });
    // Different meshes: intervals; overlapping is concurrent, never forced.
    expect(orderWithBasis(point('x', 'AAA', 0, 0, 10), point('y', 'BBB', 0, 11, 20), of)).toEqual({ relation: 'before', by: 'interval' });
    expect(orderWithBasis(point('x', 'AAA', 0, 0, 10), point('y', 'BBB', 0, 10, 20), of)).toEqual({ relation: 'concurrent', by: 'interval' });
    expect(order(point('x', 'AAA', 0, Number.NEGATIVE_INFINITY, 10), point('y', 'BBB', 0, 5, Number.POSITIVE_INFINITY), of)).toBe('concurrent');
  });

  it('walks a cyclic or huge lineage within its bound', () => {
    const cyclic = new Map<string, string[]>([['a', ['b']], ['b', ['a']]]);
    expect(isAncestor('z', 'a', (id) => cyclic.get(id))).toBe(false);
    // A chain of 50,000: the ancestor at its far end is beyond the bound, so the walk stops.
    const chain = (id: string) => {
      const n = Number(id.slice(1));
      return n < 50_000 ? [`n${n + 1}`] : [];
    };
    expect(isAncestor('n50', 'n0', chain)).toBe(true);
    expect(isAncestor('n50000', 'n0', chain)).toBe(false);
    expect(isAncestor('n50000', 'n0', chain, 60_000)).toBe(true);
  });

  it('never reorders causally related observations under skew of hours and a clock that jumps back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -12 * HOUR, max: 12 * HOUR }), { minLength: 3, maxLength: 3 }), fc.array(step, { minLength: 2, maxLength: 60 }), (skews, steps) => {
        const made = simulate(skews, steps);
        const of = sourcesIn(made);
        for (const a of made) {
          for (const b of made) {
            if (a === b) continue;
            const relation = order(a, b, of);
            // Antisymmetric: b relative to a is the mirror.
            expect(order(b, a, of)).toBe(relation === 'before' ? 'after' : relation === 'after' ? 'before' : 'concurrent');
            // Lineage: a source always comes first.
            if (isAncestor(a.id, b.id, of)) expect(relation).toBe('before');
            // One mesh's own events keep their sequence, through any jump of its wall clock.
            if (a.mesh === b.mesh && a.seq < b.seq) expect(relation).toBe('before');
            // Across meshes, no order the real times contradict (the intervals are sound).
            if (a.mesh !== b.mesh && relation === 'before') expect(a.real).toBeLessThan(b.real);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
