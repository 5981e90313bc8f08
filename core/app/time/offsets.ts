/**
 * Mesh-derived time per partner (docs/decisions/0007-reconciliation.md, "Time"): the interval for
 * the partner's clock minus ours, from the samples this store holds — two-way from its live links
 * (migration 13's `clock_samples`), one-way from its bundles (a bundle's hello and manifest were
 * written at their t3, we admitted it at our t4). A contradiction among them is an integrity event,
 * `clock-samples-contradict`, recorded where samples are written, once per pair of samples.
 *
 * None of this decides the picture (0007: signed content only); it is what a person reads: a
 * foreign observation's time as an interval in our clock, and the before / after / concurrent view.
 */
import { DEFAULT_MAX_DRIFT_PPM } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ReadDb, WriteDb } from '../../store/database.js';
import { readObservation } from '../../store/observation-store.js';
import { insertContradiction, insertOneWaySample, oneWaySamples, openContradiction, resolveContradiction, twoWaySamples } from '../../store/time-store.js';
import { inOurClock, MAX_SAMPLES, offsetInterval, sampleInterval, type Interval, type Sample } from '../../time/offsets.js';
import type { Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import { federationRecords } from '../federations/federation-records.js';
import { recordIntegrityEventWith } from '../integrity/events.js';

export const CLOCK_SAMPLES_CONTRADICT = 'clock-samples-contradict';

/** A sample as stored, named `link:<seq>` or `bundle:<seq>`. */
export type KeyedSample = Sample & { readonly key: string; readonly federation: string };

export interface SampleView {
  readonly key: string;
  readonly kind: 'link' | 'bundle';
  readonly federation: string;
  /** Null for a bundle's one-way sample. */
  readonly t1: number | null;
  readonly t2: number | null;
  readonly t3: number;
  readonly t4: number;
  /** How long ago, in our clock, the sample was taken. */
  readonly ageMs: number;
  /** What this sample alone bounds the offset to, now. */
  readonly interval: Interval;
}

export interface PartnerOffset {
  readonly partner: string;
  /** Their clock minus ours, ms (lo may be −Infinity, hi +Infinity). */
  readonly interval: Interval;
  readonly driftPpm: number;
  /** The samples kept (the newest 64), newest first. */
  readonly samples: readonly SampleView[];
  /** The newest sample's age, null without samples. */
  readonly ageMs: number | null;
  /** The two samples that do not meet, when the interval fell back to the newest. */
  readonly contradiction: { readonly first: string; readonly second: string } | null;
}

/**
 * The drift bound for a partner: the largest any federation in force with it declares (a bound
 * too small would give an interval that excludes the truth; a larger one only widens it), the
 * default when none declares one.
 */
export function driftFor(db: ReadDb, partner: string, now: Date): number {
  let drift: number | undefined;
  for (const record of federationRecords(db)) {
    const declaration = evaluate(record, now).inForce?.declaration;
    if (!declaration?.partners.some((p) => p.mesh === partner)) continue;
    const declared = declaration.time?.maxDriftPpm ?? DEFAULT_MAX_DRIFT_PPM;
    drift = Math.max(drift ?? 0, declared);
  }
  return drift ?? DEFAULT_MAX_DRIFT_PPM;
}

/** The partner's newest samples of both kinds, newest first, at most 64. */
export function partnerSamples(db: ReadDb, partner: string): KeyedSample[] {
  const links: KeyedSample[] = twoWaySamples(db, partner, MAX_SAMPLES).map((r) => ({ key: `link:${r.seq}`, federation: r.federation, t1: r.t1, t2: r.t2, t3: r.t3, t4: r.t4, at: r.t4 }));
  const bundles: KeyedSample[] = oneWaySamples(db, partner, MAX_SAMPLES).map((r) => ({ key: `bundle:${r.seq}`, federation: r.federation, oneWay: true, t3: r.t3, t4: r.t4, at: r.t4 }));
  return [...links, ...bundles].sort((a, b) => b.at - a.at || a.key.localeCompare(b.key)).slice(0, MAX_SAMPLES);
}

/** The partner's interval at `at` (ms, our clock; now unless a past moment is asked for). */
export function partnerOffset(db: ReadDb, partner: string, now: Date, at: number = now.getTime()): PartnerOffset {
  const driftPpm = driftFor(db, partner, now);
  const samples = partnerSamples(db, partner);
  const result = offsetInterval(samples, at, driftPpm);
  const keyOf = (sample: Sample | undefined) => (sample as KeyedSample | undefined)?.key ?? '';
  return {
    partner,
    interval: result.interval,
    driftPpm,
    samples: samples.map((s) => ({
      key: s.key,
      kind: 'oneWay' in s ? 'bundle' : 'link',
      federation: s.federation,
      t1: 'oneWay' in s ? null : s.t1,
      t2: 'oneWay' in s ? null : s.t2,
      t3: s.t3,
      t4: s.t4,
      ageMs: Math.max(0, now.getTime() - s.at),
      interval: sampleInterval(s, at, driftPpm),
    })),
    ageMs: samples.length > 0 ? Math.max(0, now.getTime() - samples[0]!.at) : null,
    contradiction: result.contradiction ? { first: keyOf(result.contradiction[0]), second: keyOf(result.contradiction[1]) } : null,
  };
}

/**
 * After samples of `partner` were written: when its samples stop meeting, a
 * `clock-samples-contradict` integrity event naming the two that disagree (in the caller's
 * transaction, when it has one). One event per contradiction: none again while it lasts, however
 * many samples arrive, and a new one only after the samples met again. Returns the event's id
 * when one was recorded.
 */
export function noteClockSamples(db: WriteDb, context: MeshContext, log: Log, partner: string, now: Date): string | undefined {
  const offset = partnerOffset(db, partner, now);
  const open = openContradiction(db, partner);
  if (!offset.contradiction) {
    if (open) resolveContradiction(db, partner, now.toISOString());
    return undefined;
  }
  if (open) return undefined;
  const { first, second } = offset.contradiction;
  const [a, b] = [offset.samples.find((s) => s.key === first)!, offset.samples.find((s) => s.key === second)!];
  return db.transaction(() => {
    const event = recordIntegrityEventWith(
      db,
      context,
      log,
      {
        kind: CLOCK_SAMPLES_CONTRADICT,
        partner,
        evidence: { first, second, firstLo: a.interval.lo, secondHi: b.interval.hi, driftPpm: offset.driftPpm, fallbackLo: finite(offset.interval.lo), fallbackHi: finite(offset.interval.hi) },
        message: `${partner}'s clock samples ${first} and ${second} cannot both be true: one puts its clock at least ${Math.round(a.interval.lo)} ms ahead of ours, the other at most ${Math.round(b.interval.hi)} ms; the newest sample alone is used.`,
      },
      now,
    );
    insertContradiction(db, { partner, first, second, event });
    return event;
  })();
}

/** A bundle's one-way sample, once per bundle; then any contradiction it brings is noted. */
export function noteBundleClockSample(db: WriteDb, context: MeshContext, log: Log, sample: { partner: string; federation: string; bundle: string; t3: number; t4: number }, now: Date): void {
  db.transaction(() => {
    if (insertOneWaySample(db, sample)) noteClockSamples(db, context, log, sample.partner, now);
  })();
}

/** The bundle's t3: the later of the hello's and the manifest's times (both written in the sender's clock before it was sent). */
export function bundleSentAt(helloAt: string, exportedAt: string | undefined): number {
  const times = [Date.parse(helloAt), exportedAt === undefined ? Number.NaN : Date.parse(exportedAt)].filter(Number.isFinite);
  return Math.max(...times);
}

/**
 * A stored observation's mesh-derived time in our clock: a point (its HLC time) for our own; for a
 * foreign one, its stated HLC time − the origin's offset interval, evaluated at that moment;
 * null when nothing bounds the origin's clock (no samples), or no observation is stored under `id`.
 */
export function derivedTimeOf(db: ReadDb, ownMesh: string, id: string, now: Date): Interval | null {
  const row = readObservation(db, id);
  if (!row) return null;
  return derivedTime(db, ownMesh, { mesh: row.mesh, hlcL: row.hlcL }, now);
}

export function derivedTime(db: ReadDb, ownMesh: string, observation: { mesh: string; hlcL: number }, now: Date): Interval | null {
  return derivedTimes(db, ownMesh, now)(observation);
}

/**
 * Mesh-derived time for many observations (a page of them): each origin's samples and drift are
 * read once. The offset is taken as it was then: the observation's time in our clock is about its
 * HLC time less the offset now, and the samples are aged to that moment (drift runs both ways).
 */
export function derivedTimes(db: ReadDb, ownMesh: string, now: Date): (observation: { mesh: string; hlcL: number }) => Interval | null {
  const origins = new Map<string, { samples: KeyedSample[]; driftPpm: number; shift: number } | null>();
  const originOf = (mesh: string) => {
    if (!origins.has(mesh)) {
      const samples = partnerSamples(db, mesh);
      const driftPpm = driftFor(db, mesh, now);
      const current = offsetInterval(samples, now.getTime(), driftPpm).interval;
      const shift = Number.isFinite(current.lo + current.hi) ? (current.lo + current.hi) / 2 : Number.isFinite(current.lo) ? current.lo : Number.isFinite(current.hi) ? current.hi : 0;
      origins.set(mesh, samples.length > 0 ? { samples, driftPpm, shift } : null);
    }
    return origins.get(mesh)!;
  };
  return ({ mesh, hlcL }) => {
    if (mesh === ownMesh) return { lo: hlcL, hi: hlcL };
    const origin = originOf(mesh);
    if (!origin) return null;
    return inOurClock(hlcL, offsetInterval(origin.samples, hlcL - origin.shift, origin.driftPpm).interval);
  };
}

/** An interval of instants as the contract and the CLI show it: ISO times, null where unbounded. */
export function instantsOf(interval: Interval): { lo: string | null; hi: string | null } {
  return { lo: isoOrNull(interval.lo), hi: isoOrNull(interval.hi) };
}

function isoOrNull(ms: number): string | null {
  const date = new Date(Math.floor(ms));
  return Number.isFinite(ms) && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function finite(value: number): number | string {
  return Number.isFinite(value) ? value : value > 0 ? '+Infinity' : '-Infinity';
}
