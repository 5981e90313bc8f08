/** The joint picture and the queue as people and programs read them (`entente picture`, `entente queue`, the contract). */
import type { JsonValue } from '../../common/json.js';
import { Refused } from '../../common/refused.js';
import type { GovernedObservation } from '../../observation/record.js';
import { countPicturePending } from '../../store/picture-pending-store.js';
import { arbitrationsOf, competingOrigins, countHeldSubjects, countPictureSubjects, countQueueItems, findQueueItems, listPictureSubjects, readKeptSubject, readPictureFields, readPictureSubject, readPictureSum, readQueueItem, type PictureSubjectFilter, type PictureSubjectRow, type QueueItemRow, type QueueQuery, type QueueStatus } from '../../store/reconcile-store.js';
import { readObservation } from '../../store/observation-store.js';
import { EMPTY_PICTURE_DIGEST } from '../../reconcile/picture.js';
import { markingOf } from '../../labels/index.js';
import { policiesOf } from '../observations/observation-service.js';
import { storedMarkings } from '../observations/stored-marking.js';
import type { ReadOperation } from '../context/operation.js';
import { derivedTimes, instantsOf } from '../time/offsets.js';
import { rulesInForce } from './rules.js';

export interface PictureSubjectView {
  readonly subject: string;
  readonly state: 'merged' | 'held';
  readonly divergence: number;
  readonly digest: string;
  readonly item: string | null;
  fields: PictureFieldView[];
  /** The display markings of the observations that name the subject on screen (subjectMarkings), for the banner. */
  readonly markings: string[];
}

export interface PictureFieldView {
  readonly field: string;
  readonly value: JsonValue;
  readonly observation: string;
  readonly mesh: string;
  /** Present when arbitration chose this observation among concurrent conflicting claims: why it won, and when that was recorded (0007: every arbitration recorded with why). */
  readonly arbitrated?: { readonly why: string; readonly at: string };
  /** The supplying observation's display marking (STANAG 4774): the value is shown under it, and the console's banner rises to it. */
  readonly marking?: string;
}

export interface PictureView {
  /** Sum mod 2^256 of the subject digests (docs/decisions/0007): equal on meshes holding the same signed content. */
  readonly digest: string;
  readonly subjects: number;
  readonly held: number;
  readonly queueOpen: number;
  /** Subjects whose rows a bundle import has yet to bring up to date (deferred-picture.ts). */
  readonly pending: number;
  /** The subjects the filter lets through (all of them without one; 1 for a subject named). */
  readonly matching: number;
  readonly items: PictureSubjectView[];
}

export interface PictureOptions extends PictureSubjectFilter {
  /** One subject, exactly; refused `not-found` when the picture holds none by that name. */
  readonly subject?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export function pictureView(op: ReadOperation, options: PictureOptions = {}): PictureView {
  const db = op.read;
  const sum = readPictureSum(db) ?? { digest: EMPTY_PICTURE_DIGEST, subjects: 0 };
  const filter: PictureSubjectFilter = { ...(options.subjectPrefix ? { subjectPrefix: options.subjectPrefix } : {}), ...(options.state ? { state: options.state } : {}) };
  const held = countHeldSubjects(db);
  let rows: PictureSubjectRow[];
  let matching: number;
  if (options.subject !== undefined) {
    const row = readPictureSubject(db, options.subject);
    if (!row) throw new Refused('not-found', `The picture holds no subject ${JSON.stringify(options.subject)}.`);
    rows = [row];
    matching = 1;
  } else {
    rows = listPictureSubjects(db, { ...filter, limit: options.limit ?? 100, offset: options.offset ?? 0 });
    // Without a prefix the counts are at hand: the whole picture's in picture_sum, the held ones in their index.
    if (filter.subjectPrefix !== undefined) matching = countPictureSubjects(db, filter);
    else if (filter.state === 'held') matching = held;
    else if (filter.state === 'merged') matching = sum.subjects - held;
    else matching = sum.subjects;
  }
  return {
    digest: sum.digest,
    subjects: sum.subjects,
    matching,
    held,
    queueOpen: countQueueItems(db, ['open', 'escalated']),
    pending: countPicturePending(db),
    items: rows.map((row) => {
      const fields = fieldViews(op, row.subject);
      return { subject: row.subject, state: row.state, divergence: row.divergence, digest: row.digest, item: row.item, fields, markings: subjectMarkings(op, row, fields) };
    }),
  };
}

/**
 * The display markings of what names a subject on screen: its origin, its fields' suppliers and,
 * where it diverged, the queue item's competing observations. A held subject may show no value at
 * all, yet its name is still the originators' data, under their labels.
 */
function subjectMarkings(op: ReadOperation, row: PictureSubjectRow, fields: readonly PictureFieldView[]): string[] {
  const db = op.read;
  const ids = new Set<string>();
  const origin = readKeptSubject(db, row.subject)?.origin;
  if (origin) ids.add(origin.observation);
  if (row.item) for (const id of JSON.parse(readQueueItem(db, row.item)?.competing ?? '[]') as string[]) ids.add(id);
  const markings = new Set(fields.flatMap((f) => (f.marking === undefined ? [] : [f.marking])));
  const markingOf = storedMarkings(op);
  for (const o of competingOrigins(db, JSON.stringify([...ids].filter((id) => !fields.some((f) => f.observation === id))))) markings.add(markingOf(o.label));
  return [...markings].sort();
}

/** A subject's fields with their suppliers' markings and, where arbitration chose the supplier, the recorded reason (the newest for that winner). */
function fieldViews(op: ReadOperation, subject: string): PictureFieldView[] {
  const db = op.read;
  const why = new Map(arbitrationsOf(db, subject).map((a) => [`${a.field}\u0000${a.winner}`, { why: a.why.slice(0, 1_000), at: a.at }]));
  const fields = readPictureFields(db, subject);
  const markingOf = storedMarkings(op);
  const markings = new Map(competingOrigins(db, JSON.stringify([...new Set(fields.map((f) => f.observation))])).map((o) => [o.id, markingOf(o.label)]));
  return fields.map((f) => {
    const arbitrated = why.get(`${f.field}\u0000${f.observation}`);
    const marking = markings.get(f.observation);
    return { field: f.field, value: JSON.parse(f.value) as JsonValue, observation: f.observation, mesh: f.mesh, ...(arbitrated ? { arbitrated } : {}), ...(marking === undefined ? {} : { marking }) };
  });
}

export interface CompetingView {
  readonly id: string;
  readonly mesh: string;
  readonly class: string;
  readonly device: string;
  readonly statedAt: string;
  readonly hlc: { readonly l: number; readonly c: number };
  /** The display marking of the observation's label (STANAG 4774). */
  readonly marking: string;
  readonly payload: JsonValue;
  /**
   * Mesh-derived time in this mesh's clock (0007 "Time"): a point for our own, an interval for a
   * foreign one (null where unbounded); null when no clock sample bounds the origin's clock.
   */
  readonly derivedTime: { readonly lo: string | null; readonly hi: string | null } | null;
}

/** In a list, each competing observation's id, mesh, class and marking only (the meshes involved, the banner's level). */
export type CompetingSummary = Pick<CompetingView, 'id'> & Partial<Pick<CompetingView, 'mesh' | 'class' | 'marking'>>;

export interface QueueItemView<Competing = CompetingView> {
  readonly id: string;
  readonly kind: 'divergence' | 'decision-clash';
  readonly subject: string;
  readonly status: QueueStatus;
  readonly score: number;
  readonly fields: string[];
  readonly cause: QueueItemRow['cause'];
  readonly reasons: string[];
  /** Per field in conflict, what the declared policy would have chosen and why. */
  readonly policyChoice: Record<string, { observation: string; why: string }>;
  readonly decision: string | null;
  readonly openedAt: string;
  readonly updatedAt: string;
  /** The competing histories: each competing observation (or clashing decision), oldest first; in a list, their origins only. */
  readonly competing: Competing[];
}

export function queueItemView(op: ReadOperation, id: string): QueueItemView {
  const row = readQueueItem(op.read, id);
  if (!row) throw new Refused('unknown-item', `No queue item ${id.slice(0, 16)}… is held here.`);
  return viewOf(row, historiesOf(op, row));
}

export interface QueueListOptions extends Partial<Omit<QueueQuery, 'statuses'>> {
  /** The closed items too (decided, superseded). */
  readonly all?: boolean;
  /** Only items in this status (within `all`'s choice). */
  readonly status?: QueueStatus;
  readonly limit?: number;
  readonly offset?: number;
}

export type QueuePage = {
  readonly open: number;
  /** The items matching the options, in all. */
  readonly total: number;
  /** The divergence threshold in force (0007: above it a subject is held), and the federation it comes from (null: none in force, nothing is held). */
  readonly threshold: number;
  readonly federation: { readonly id: string; readonly version: number } | null;
  readonly items: QueueItemView<CompetingSummary>[];
};

export function queueViews(op: ReadOperation, options: QueueListOptions = {}): QueuePage {
  const { all, status, limit, offset, ...narrowing } = options;
  const statuses: QueueStatus[] = status !== undefined ? [status] : all ? ['open', 'escalated', 'decided', 'superseded'] : ['open', 'escalated'];
  const { total, rows } = findQueueItems(op.read, { ...narrowing, statuses, limit: limit ?? 100, offset: offset ?? 0 });
  const inForce = rulesInForce(op, op.clock.now());
  return { open: countQueueItems(op.read, ['open', 'escalated']), total, threshold: inForce.rules.divergenceThreshold, federation: inForce.federation, items: rows.map((row) => viewOf(row, originsOf(op, row))) };
}

function historiesOf(op: ReadOperation, row: QueueItemRow): CompetingView[] {
  const { mesh } = op.mesh();
  const derived = derivedTimes(op.read, mesh.code, op.clock.now());
  const policies = policiesOf(mesh);
  return (JSON.parse(row.competing) as string[])
    .map((id) => readObservation(op.read, id))
    .filter((r) => r !== undefined)
    .map((r) => {
      const record = JSON.parse(r.record) as GovernedObservation;
      const interval = derived({ mesh: r.mesh, hlcL: r.hlcL });
      // The display marking travels with the payload it guards, so the console's banner can rise to it (issue 16).
      const marking = markingOf(record.label, policies.find((p) => p.id === record.label.policy.id));
      return { id: r.id, mesh: record.mesh, class: record.class, device: record.device.id, statedAt: record.time.wall, hlc: record.time.hlc, marking, payload: record.payload as JsonValue, derivedTime: interval && instantsOf(interval) };
    })
    .sort((a, b) => a.hlc.l - b.hlc.l || a.hlc.c - b.hlc.c);
}

function originsOf(op: ReadOperation, row: QueueItemRow): CompetingSummary[] {
  const origins = new Map(competingOrigins(op.read, row.competing).map((o) => [o.id, o]));
  const markingOf = storedMarkings(op);
  return (JSON.parse(row.competing) as string[]).map((id) => {
    const origin = origins.get(id);
    return origin ? { id, mesh: origin.mesh, class: origin.class, marking: markingOf(origin.label) } : { id };
  });
}

function viewOf<Competing>(row: QueueItemRow, competing: Competing[]): QueueItemView<Competing> {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    status: row.status,
    score: row.score,
    fields: JSON.parse(row.fields) as string[],
    cause: row.cause,
    reasons: JSON.parse(row.reasons) as string[],
    policyChoice: JSON.parse(row.policyChoice) as Record<string, { observation: string; why: string }>,
    decision: row.decision,
    openedAt: row.openedAt,
    updatedAt: row.updatedAt,
    competing,
  };
}
