/**
 * What the console shows of stored observations: summaries for the table and one record's
 * detail with its lineage. Verification and label marking are passed in, so this module
 * only shapes what the store holds into what the contract promises. Fields are taken from the
 * signed record, never from the copies filed beside it (verification names a copy that differs).
 */
import type { JsonValue } from '../../common/json.js';
import { Refused } from '../../common/refused.js';
import { countObservations, hasObservation, listObservations, readObservation, type ObservationFilter, type ObservationRow } from '../../store/observation-store.js';
import type { ReadOperation } from '../context/operation.js';
import { listStandings, VERIFIED, type StandingView } from '../integrity/standing.js';
import { derivedTimes, instantsOf } from '../time/offsets.js';
import { foreignOrigin, type ForeignOriginView } from './foreign-origin.js';

/** A stored record's verification as the console shows it (the contract's Verification). */
export interface VerificationView {
  readonly ok: boolean;
  readonly reason: string | null;
  readonly message: string | null;
}

/** One row of the observations table (the contract's ObservationSummary). */
export interface ObservationSummaryView {
  readonly id: string;
  readonly mesh: string;
  readonly subject: string;
  readonly class: string;
  readonly observedAt: string;
  readonly timeReference: 'global' | 'mesh-derived' | 'local' | null;
  /**
   * When it happened in this mesh's clock (0007 "Time"): a point for our own, for a foreign one an
   * interval from the origin's clock samples (null where unbounded); null when no sample bounds it.
   */
  readonly derivedTime: { readonly lo: string | null; readonly hi: string | null } | null;
  readonly marking: string;
  /** The payload's APP-6 symbol code, when it gives a well-formed one. */
  readonly sidc: string | null;
  readonly device: string;
  readonly derived: boolean;
  /** Made by another mesh and admitted here. */
  readonly foreign: boolean;
  readonly verification: VerificationView;
  /** From the taints table alone (cheap for a page); the detail walks the lineage in full. */
  readonly standing: StandingView;
}

export interface ObservationPageView {
  readonly total: number;
  readonly observations: ObservationSummaryView[];
}

/** One observation with its lineage (the contract's ObservationDetail). */
export interface ObservationDetailView {
  /** Its standing is the full one: every source in its lineage looked for, its taint and verification read. */
  readonly summary: ObservationSummaryView;
  readonly record: JsonValue;
  /** Where it came from and how it crossed; null for this mesh's own. */
  readonly foreign: ForeignOriginView | null;
  readonly lineage: {
    readonly device: string;
    readonly derivation: { readonly name: string; readonly version: string } | null;
    readonly integrity: 'signature' | 'batch';
    readonly sources: { readonly id: string; readonly resolved: boolean; readonly subject: string | null; readonly class: string | null }[];
  };
}

type Summary = ObservationSummaryView;
type Verification = VerificationView;

export interface ObservationPresenter {
  /** Re-verifies a stored record (signature, chain, revocation); cached inside. */
  verify(row: ObservationRow): Verification;
  /** The originator label as marked for display. */
  marking(label: unknown): string;
  /** The full standing of a stored observation over its lineage. */
  standing(id: string): StandingView;
  /** The SIDC the writer's vocabulary gives a term in the payload, where the payload names no code itself. */
  symbolOf(mesh: string, payload: unknown): string | null;
}

interface StoredRecord {
  readonly mesh: string;
  readonly subject: string;
  readonly class: string;
  readonly label: unknown;
  readonly payload?: unknown;
  readonly time: { readonly reference: Summary['timeReference']; readonly wall: string };
  readonly device: { readonly id: string };
  readonly lineage: {
    readonly sources: readonly string[];
    readonly device: string;
    readonly derivation: { readonly name: string; readonly version: string } | null;
    readonly integrity: { readonly type: 'signature' | 'batch' };
  };
}

export function observationPage(op: ReadOperation, presenter: ObservationPresenter, filter: ObservationFilter): ObservationPageView {
  const db = op.read;
  const rows = listObservations(db, filter);
  const total = countObservations(db, filter);
  const standings = listStandings(db, rows.map((row) => row.id));
  const own = op.mesh().mesh.code;
  const timeOf = derivedTimes(db, own, op.clock.now());
  return { total, observations: rows.map((row) => summarize(row, own, presenter, presenter.verify(row), standings.get(row.id) ?? VERIFIED, timeOf)) };
}

export function observationDetail(op: ReadOperation, presenter: ObservationPresenter, id: string): ObservationDetailView | undefined {
  const db = op.read;
  const row = readObservation(db, id);
  if (!row) return undefined;
  const verification = presenter.verify(row);
  if (isUnreadable(verification)) {
    throw new Refused('malformed-record', `Observation ${id.slice(0, 16)}… cannot be shown: its stored record was changed in the file. ${verification.message ?? ''}`.trim());
  }
  const record = JSON.parse(row.record) as StoredRecord;
  const own = op.mesh().mesh.code;
  return {
    summary: summarize(row, own, presenter, verification, presenter.standing(id), derivedTimes(db, own, op.clock.now())),
    record: record as unknown as JsonValue,
    foreign: foreignOrigin(db, own, id, record),
    lineage: {
      device: record.lineage.device,
      derivation: record.lineage.derivation,
      integrity: record.lineage.integrity.type,
      sources: record.lineage.sources.map((source) => {
        const held = hasObservation(db, source) ? readObservation(db, source) : undefined;
        const fields = held && subjectAndClassOf(held.record);
        return { id: source, resolved: held !== undefined, subject: fields?.subject ?? null, class: fields?.class ?? null };
      }),
    },
  };
}

function summarize(row: ObservationRow, ownMesh: string, presenter: ObservationPresenter, verification: Verification, standing: StandingView, timeOf: ReturnType<typeof derivedTimes>): Summary {
  // A record that fails its shape check may hold anything (no label, 100,000 levels of nesting):
  // its row is listed from the indexed columns alone, flagged by its verification.
  const record = isUnreadable(verification) ? undefined : (JSON.parse(row.record) as StoredRecord);
  const mesh = record?.mesh ?? row.mesh;
  return {
    id: row.id,
    mesh,
    subject: record?.subject ?? row.subject,
    class: record?.class ?? row.class,
    observedAt: record?.time.wall ?? row.observedAt,
    timeReference: record?.time.reference ?? null,
    derivedTime: derivedTimeView(timeOf({ mesh, hlcL: row.hlcL })),
    marking: record ? presenter.marking(record.label) : '(unreadable record)',
    sidc: record ? (sidcOf(record.payload) ?? presenter.symbolOf(record.mesh, record.payload)) : null,
    device: record?.device.id ?? row.device,
    derived: (record?.lineage.sources ?? row.sources).length > 0,
    foreign: mesh !== ownMesh,
    verification,
    standing,
  };
}

function derivedTimeView(interval: ReturnType<ReturnType<typeof derivedTimes>>): Summary['derivedTime'] {
  return interval && instantsOf(interval);
}

/** A source's subject and class as its own record says them, or null when the record does not read. */
function subjectAndClassOf(recordText: string): { subject: string; class: string } | null {
  try {
    const { subject, class: cls } = JSON.parse(recordText) as Partial<StoredRecord>;
    return typeof subject === 'string' && typeof cls === 'string' ? { subject, class: cls } : null;
  } catch {
    return null;
  }
}

/** Records that did not even have the shape of a governed observation (everything else did). */
function isUnreadable(verification: Verification): boolean {
  return !verification.ok && verification.reason === 'malformed-record';
}

/**
 * The symbol code a payload names, under the keys the console reads: a letter SIDC of up to 15
 * characters (APP-6(B), MIL-STD-2525B/C) or a number SIDC of 20 or 30 digits (APP-6(D),
 * MIL-STD-2525D/E). Anything else is not a code, and the console draws its fallback.
 */
export function sidcOf(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  for (const key of ['sidc', 'symbol', 'symbolCode']) {
    const value = (payload as Record<string, unknown>)[key];
    if (typeof value === 'string' && SIDC_PATTERN.test(value)) return value;
  }
  return null;
}

// A letter SIDC is written with its trailing modifier positions or without them (10–15 characters).
const SIDC_PATTERN = /^(?:[A-Za-z][A-Za-z0-9*-]{9,14}|\d{20}|\d{30})$/;
