/**
 * Temporal ordering of observations (docs/decisions/0007-reconciliation.md, "Ordering"): causal
 * order from lineage first (one observation is a source of the other, transitively); then, within
 * one mesh, its hybrid logical clock, which never runs backwards however the mesh's wall clock
 * jumps (Kulkarni et al. 2014); then mesh-derived time intervals, and where those overlap the
 * pair is `concurrent` — shown as such, never forced into an order no clock can vouch for.
 *
 * This order serves what a person reads (the console's before / after / concurrent, `entente
 * time`). The picture is decided by signed content only, never by these intervals, which differ
 * per mesh.
 */
import { compare, type HlcStamp } from '../time/hlc.js';
import type { Interval } from '../time/offsets.js';

export type Relation = 'before' | 'after' | 'concurrent';

/** What decided a relation: the lineage, one mesh's clock, or the intervals. */
export type OrderBasis = 'lineage' | 'hlc' | 'interval';

export interface Orderable {
  readonly id: string;
  readonly mesh: string;
  readonly hlc: HlcStamp;
  /** Mesh-derived time in our clock: a point for our own observations, an interval for a foreign one. */
  readonly interval: Interval;
}

/** An observation's lineage sources, or undefined when this store does not hold it. */
export type SourcesOf = (id: string) => readonly string[] | undefined;

/**
 * At most this many observations visited per ancestry walk: a lineage deeper or wider than this
 * is not followed further (the walk answers "not found", and the clocks decide), so a hostile or
 * huge lineage costs a bounded walk, never a hang.
 */
export const MAX_ANCESTRY_WALK = 10_000;

/** Whether `ancestor` is a source of `descendant`, directly or through its sources' sources. */
export function isAncestor(ancestor: string, descendant: string, sourcesOf: SourcesOf, bound = MAX_ANCESTRY_WALK): boolean {
  if (ancestor === descendant) return false;
  const seen = new Set<string>([descendant]);
  const pending = [descendant];
  while (pending.length > 0) {
    const sources = sourcesOf(pending.pop()!) ?? [];
    for (const source of sources) {
      if (source === ancestor) return true;
      if (seen.has(source)) continue;
      if (seen.size >= bound) return false;
      seen.add(source);
      pending.push(source);
    }
  }
  return false;
}

/** `a` relative to `b`, and what decided it. */
export function orderWithBasis(a: Orderable, b: Orderable, sourcesOf: SourcesOf): { relation: Relation; by: OrderBasis } {
  if (isAncestor(a.id, b.id, sourcesOf)) return { relation: 'before', by: 'lineage' };
  if (isAncestor(b.id, a.id, sourcesOf)) return { relation: 'after', by: 'lineage' };
  if (a.mesh === b.mesh) {
    const byClock = compare(a.hlc, b.hlc);
    return { relation: byClock < 0 ? 'before' : byClock > 0 ? 'after' : 'concurrent', by: 'hlc' };
  }
  if (a.interval.hi < b.interval.lo) return { relation: 'before', by: 'interval' };
  if (b.interval.hi < a.interval.lo) return { relation: 'after', by: 'interval' };
  return { relation: 'concurrent', by: 'interval' };
}

/** order(a, b) of 0007: `before` / `after` / `concurrent`. */
export function order(a: Orderable, b: Orderable, sourcesOf: SourcesOf): Relation {
  return orderWithBasis(a, b, sourcesOf).relation;
}
