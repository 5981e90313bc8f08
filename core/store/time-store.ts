/**
 * Mesh-derived time in the store (migrations 13 and 16): a partner's clock samples, two-way from
 * its links (`clock_samples`) and one-way from its bundles (`one_way_clock_samples`), and the
 * contradictions between them already reported.
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

export interface TwoWaySampleRow {
  readonly seq: number;
  readonly partner: string;
  readonly federation: string;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

export interface OneWaySampleRow {
  readonly seq: number;
  readonly partner: string;
  readonly federation: string;
  readonly bundle: string;
  readonly t3: number;
  readonly t4: number;
}

/** A partner's newest two-way samples (by our receive time), at most `limit`. */
export function twoWaySamples(db: ReadDb, partner: string, limit: number): TwoWaySampleRow[] {
  return cachedStatement(db, 'SELECT seq, partner, federation, t1, t2, t3, t4 FROM clock_samples WHERE partner = ? ORDER BY t4 DESC, seq DESC LIMIT ?').all(partner, limit) as TwoWaySampleRow[];
}

/** A partner's newest one-way samples (by our admission time), at most `limit`. */
export function oneWaySamples(db: ReadDb, partner: string, limit: number): OneWaySampleRow[] {
  return cachedStatement(db, 'SELECT seq, partner, federation, bundle, t3, t4 FROM one_way_clock_samples WHERE partner = ? ORDER BY t4 DESC, seq DESC LIMIT ?').all(partner, limit) as OneWaySampleRow[];
}

/** A bundle's one-way sample; a bundle imported again (or resumed) adds nothing. Returns whether it was new. */
export function insertOneWaySample(db: WriteDb, row: Omit<OneWaySampleRow, 'seq'>): boolean {
  return cachedStatement(db, 'INSERT INTO one_way_clock_samples (partner, federation, bundle, t3, t4) VALUES (@partner, @federation, @bundle, @t3, @t4) ON CONFLICT (bundle) DO NOTHING').run(row).changes > 0;
}

/** Every partner with at least one sample of either kind, sorted. */
export function sampledPartners(db: ReadDb): string[] {
  return cachedStatement(db, 'SELECT partner FROM clock_samples UNION SELECT partner FROM one_way_clock_samples ORDER BY partner').pluck().all() as string[];
}

export interface ContradictionRow {
  readonly partner: string;
  readonly first: string;
  readonly second: string;
  readonly event: string;
  readonly resolvedAt: string | null;
}

/** The partner's contradiction still open (its samples do not meet yet), if any. */
export function openContradiction(db: ReadDb, partner: string): ContradictionRow | undefined {
  return cachedStatement(db, 'SELECT partner, first, second, event, resolved_at AS resolvedAt FROM clock_contradictions WHERE partner = ? AND resolved_at IS NULL ORDER BY seq DESC LIMIT 1').get(partner) as ContradictionRow | undefined;
}

export function insertContradiction(db: WriteDb, row: { partner: string; first: string; second: string; event: string }): void {
  cachedStatement(db, 'INSERT INTO clock_contradictions (partner, first, second, event) VALUES (@partner, @first, @second, @event)').run(row);
}

/** The partner's samples meet again: its open contradiction is closed. */
export function resolveContradiction(db: WriteDb, partner: string, at: string): void {
  cachedStatement(db, 'UPDATE clock_contradictions SET resolved_at = ? WHERE partner = ? AND resolved_at IS NULL').run(at, partner);
}
