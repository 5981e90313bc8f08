/**
 * The joint picture in the store (migration 14, docs/decisions/0007): subject rows with their
 * fields, the running picture digest, the queue's items and the arbitrations recorded. The app
 * (core/app/reconcile) computes; these functions only read and write rows.
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';
import { subjectPrefixRange } from './subject-prefix.js';

export interface PictureSubjectRow {
  readonly subject: string;
  readonly state: 'merged' | 'held';
  readonly divergence: number;
  readonly digest: string;
  readonly item: string | null;
  readonly updatedAt: string;
}

export interface PictureFieldRow {
  readonly field: string;
  /** Canonical JSON of the value. */
  readonly value: string;
  readonly observation: string;
  readonly mesh: string;
}

export type QueueStatus = 'open' | 'escalated' | 'decided' | 'superseded';

export interface QueueItemRow {
  readonly id: string;
  readonly kind: 'divergence' | 'decision-clash';
  readonly subject: string;
  readonly status: QueueStatus;
  readonly score: number;
  /** JSON: the competing observation ids (or the clashing decisions), sorted. */
  readonly competing: string;
  /** JSON: the fields in conflict. */
  readonly fields: string;
  readonly cause: 'translation-seam' | 'genuine-disagreement' | 'suspected-injection' | 'decision-clash';
  /** JSON: the reasons for the cause estimate. */
  readonly reasons: string;
  /** JSON: per field, what the policy would have chosen and why. */
  readonly policyChoice: string;
  readonly decision: string | null;
  readonly openedAt: string;
  readonly updatedAt: string;
}

/** Every stored observation about `subject`, id and canonical record (the subject index serves it). */
export function subjectRecords(db: ReadDb, subject: string): { id: string; record: string }[] {
  return cachedStatement(db, 'SELECT id, record FROM observations WHERE subject = ?').all(subject) as { id: string; record: string }[];
}

/** What the picture reads of one stored observation: its signed content's fields, copied from the record by SQLite (migration 18). */
export interface SubjectCandidateRow {
  readonly id: string;
  readonly mesh: string;
  readonly class: string;
  /** `time.wall`, as signed. */
  readonly wall: string;
  readonly hlcL: number;
  readonly hlcC: number;
  readonly device: string;
  readonly certificate: string;
  readonly authority: string;
  /** JSON text of the payload. */
  readonly payload: string;
  /** JSON text of `lineage.sources`. */
  readonly sources: string;
}

const CANDIDATE_COLUMNS = 'id, mesh, class, wall, hlc_l AS hlcL, hlc_c AS hlcC, device, certificate, authority, payload, sources';

/**
 * Every stored observation about `subject`, as the picture reads it: migration 18's copy of its
 * signed fields, one range of the subject's rows, never the whole records.
 */
export function subjectCandidateRows(db: ReadDb, subject: string): SubjectCandidateRow[] {
  return cachedStatement(
    db,
    `SELECT ${CANDIDATE_COLUMNS} FROM picture_candidates WHERE subject = ?`,
  ).all(subject) as SubjectCandidateRow[];
}

/** One mesh's current claim on one field of a subject (migration 19), with the claiming observation's picture copy. */
export interface ClaimRow extends SubjectCandidateRow {
  readonly field: string;
}

/** Every current claim on `subject`: at most one per field and mesh, one range of migration 19's rows. */
export function subjectClaimRows(db: ReadDb, subject: string): ClaimRow[] {
  return cachedStatement(
    db,
    `SELECT c.field, ${CANDIDATE_COLUMNS.split(', ').map((column) => `p.${column}`).join(', ')}
       FROM picture_claims c JOIN picture_candidates p ON p.subject = c.subject AND p.id = c.observation WHERE c.subject = ?`,
  ).all(subject) as ClaimRow[];
}

/** Whether the subject holds any observation the picture reads (one with a migration-18 copy). */
export function subjectHeld(db: ReadDb, subject: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM picture_candidates WHERE subject = ? LIMIT 1').pluck().get(subject) !== undefined;
}

/** One mesh's current claim on one field of a subject (migration 19), if it has one. */
export function readPictureClaim(db: ReadDb, subject: string, field: string, mesh: string): { observation: string; hlcL: number; hlcC: number } | undefined {
  return cachedStatement(db, 'SELECT observation, hlc_l AS hlcL, hlc_c AS hlcC FROM picture_claims WHERE subject = ? AND field = ? AND mesh = ?').get(subject, field, mesh) as
    | { observation: string; hlcL: number; hlcC: number }
    | undefined;
}

/**
 * Claims (migration 19) on a field their mesh asserts nowhere in the subject's history, up to
 * `limit`: what no observation's own check meets, since each checks only the fields it asserts
 * (core/app/reconcile/candidates.ts misclaimedField). A field is asserted as the claims trigger
 * files it: each key of an object payload, '.' for any other payload. The claim's own
 * observation is looked at first, so a sound claim costs one lookup, not a scan of its subject.
 */
export function strayPictureClaims(db: ReadDb, limit: number): { subject: string; field: string; mesh: string; observation: string }[] {
  const asserts = (alias: string) =>
    `CASE WHEN json_type(${alias}.payload) = 'object' THEN EXISTS (SELECT 1 FROM json_each(${alias}.payload) f WHERE f.key = c.field) ELSE c.field = '.' END`;
  return db
    .prepare(
      `SELECT c.subject, c.field, c.mesh, c.observation FROM picture_claims c
         LEFT JOIN picture_candidates own ON own.subject = c.subject AND own.id = c.observation
        WHERE NOT (own.id IS NOT NULL AND own.mesh = c.mesh AND own.class <> 'decision' AND ${asserts('own')})
          AND NOT EXISTS (SELECT 1 FROM picture_candidates p WHERE p.subject = c.subject AND p.mesh = c.mesh AND p.class <> 'decision' AND ${asserts('p')})
        LIMIT ?`,
    )
    .all(limit) as { subject: string; field: string; mesh: string; observation: string }[];
}

/**
 * The subject's decisions (class `decision`), by migration 19's partial index. Named: for all the
 * columns the index does not cover, SQLite's planner takes the primary key instead, and reads
 * every observation of the subject to find none (a subject of ten observations: 17–62 ms per
 * 1,000 subjects against 3–5 by the index, on a store of 1,000,000).
 */
export const SUBJECT_DECISIONS_SQL = `SELECT ${CANDIDATE_COLUMNS} FROM picture_candidates INDEXED BY picture_decisions WHERE subject = ? AND class = 'decision'`;

export function subjectDecisionRows(db: ReadDb, subject: string): SubjectCandidateRow[] {
  return cachedStatement(db, SUBJECT_DECISIONS_SQL).all(subject) as SubjectCandidateRow[];
}

/** The lineage sources (JSON text) of one of the subject's data observations (not a decision), if the subject holds it. */
export function dataSources(db: ReadDb, subject: string, id: string): string | undefined {
  return cachedStatement(db, "SELECT sources FROM picture_candidates WHERE subject = ? AND id = ? AND class <> 'decision'").pluck().get(subject, id) as string | undefined;
}

/** The observation that first reported a subject (kept on its picture row, migration 19). */
export interface PictureOriginRow {
  readonly observation: string;
  readonly mesh: string;
  readonly statedMs: number;
}

/** One observation's picture copy (what `entente verify` compares with its signed record), if it has one. */
export function readPictureCandidate(db: ReadDb, subject: string, id: string): SubjectCandidateRow | undefined {
  return cachedStatement(
    db,
    `SELECT ${CANDIDATE_COLUMNS} FROM picture_candidates WHERE subject = ? AND id = ?`,
  ).get(subject, id) as SubjectCandidateRow | undefined;
}

/** The subjects of the observations `ids` (the ones stored), each once. */
export function subjectsOf(db: ReadDb, ids: readonly string[]): string[] {
  return [...idsBySubject(db, ids).keys()];
}

/** The subjects of the observations `ids` (the ones stored), each once, with those of `ids` about it. */
export function idsBySubject(db: ReadDb, ids: readonly string[]): Map<string, string[]> {
  const statement = cachedStatement(db, 'SELECT subject FROM observations WHERE id = ?').pluck();
  const subjects = new Map<string, string[]>();
  for (const id of ids) {
    const subject = statement.get(id) as string | undefined;
    if (subject === undefined) continue;
    const list = subjects.get(subject);
    if (list) list.push(id);
    else subjects.set(subject, [id]);
  }
  return subjects;
}

/** Every subject with at least one stored observation, sorted. */
export function* iterateSubjects(db: ReadDb): Generator<string> {
  yield* db.prepare('SELECT DISTINCT subject FROM observations ORDER BY subject').pluck().iterate() as Iterable<string>;
}

const SUBJECT_COLUMNS = 'subject, state, divergence, digest, item, updated_at AS updatedAt';

export function readPictureSubject(db: ReadDb, subject: string): PictureSubjectRow | undefined {
  return cachedStatement(db, `SELECT ${SUBJECT_COLUMNS} FROM picture_subjects WHERE subject = ?`).get(subject) as PictureSubjectRow | undefined;
}

/** A subject's row as its upkeep reads it: with the origin it keeps (null: not known, or no data). */
export function readKeptSubject(db: ReadDb, subject: string): (PictureSubjectRow & { readonly origin: PictureOriginRow | null }) | undefined {
  const row = cachedStatement(db, `SELECT ${SUBJECT_COLUMNS}, origin, origin_mesh AS originMesh, origin_stated_ms AS originStatedMs FROM picture_subjects WHERE subject = ?`).get(subject) as
    | (PictureSubjectRow & { origin: string | null; originMesh: string | null; originStatedMs: number | null })
    | undefined;
  if (!row) return undefined;
  const { origin, originMesh, originStatedMs, ...rest } = row;
  return { ...rest, origin: origin !== null && originMesh !== null && originStatedMs !== null ? { observation: origin, mesh: originMesh, statedMs: originStatedMs } : null };
}

/** Which subjects of the picture a list shows: those starting with a prefix, those in one state. */
export interface PictureSubjectFilter {
  readonly subjectPrefix?: string;
  readonly state?: PictureSubjectRow['state'];
}

function pictureWhere(filter: PictureSubjectFilter): { where: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const conditions: string[] = [];
  subjectPrefixRange(filter.subjectPrefix, conditions, params);
  // The state as a literal, not a parameter: SQLite takes the held subjects' partial index
  // (migration 22) only for a condition it can match when the statement is prepared.
  if (filter.state === 'held') conditions.push("state = 'held'");
  else if (filter.state === 'merged') conditions.push("state = 'merged'");
  else if (filter.state !== undefined) throw new Error(`picture: no subject state ${JSON.stringify(filter.state)}`);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** One page of the picture's subjects under `filter`, in subject order. */
export function listPictureSubjects(db: ReadDb, page: PictureSubjectFilter & { limit: number; offset: number }): PictureSubjectRow[] {
  const { where, params } = pictureWhere(page);
  return db.prepare(`SELECT ${SUBJECT_COLUMNS} FROM picture_subjects ${where} ORDER BY subject LIMIT @limit OFFSET @offset`).all({ ...params, limit: page.limit, offset: page.offset }) as PictureSubjectRow[];
}

/** How many of the picture's subjects are held for a person: a count of migration 22's partial index. */
export function countHeldSubjects(db: ReadDb): number {
  return cachedStatement(db, "SELECT COUNT(*) FROM picture_subjects WHERE state = 'held'").pluck().get() as number;
}

/** How many subjects `filter` lets through (the whole picture's count is kept in picture_sum). */
export function countPictureSubjects(db: ReadDb, filter: PictureSubjectFilter): number {
  const { where, params } = pictureWhere(filter);
  return db.prepare(`SELECT COUNT(*) FROM picture_subjects ${where}`).pluck().get(params) as number;
}

export function readPictureFields(db: ReadDb, subject: string): PictureFieldRow[] {
  const fields = cachedStatement(db, 'SELECT fields FROM picture_subjects WHERE subject = ?').pluck().get(subject) as string | undefined;
  return fields === undefined ? [] : (JSON.parse(fields) as PictureFieldRow[]);
}

/** Replaces the subject's row: its state, its fields (sorted by field) and its origin. */
export function writePictureSubject(db: WriteDb, row: PictureSubjectRow, fields: readonly PictureFieldRow[], origin: PictureOriginRow | null): void {
  cachedStatement(
    db,
    `INSERT INTO picture_subjects (subject, state, divergence, digest, item, updated_at, fields, origin, origin_mesh, origin_stated_ms)
       VALUES (@subject, @state, @divergence, @digest, @item, @updatedAt, @fields, @origin, @originMesh, @originStatedMs)
     ON CONFLICT (subject) DO UPDATE SET state = excluded.state, divergence = excluded.divergence, digest = excluded.digest, item = excluded.item,
       updated_at = excluded.updated_at, fields = excluded.fields, origin = excluded.origin, origin_mesh = excluded.origin_mesh, origin_stated_ms = excluded.origin_stated_ms`,
  ).run({
    ...row,
    fields: JSON.stringify([...fields].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)).map((f) => ({ field: f.field, value: f.value, observation: f.observation, mesh: f.mesh }))),
    origin: origin?.observation ?? null,
    originMesh: origin?.mesh ?? null,
    originStatedMs: origin?.statedMs ?? null,
  });
}

/** Removes a subject no observation is held about any more (an exit purged them). */
export function deletePictureSubject(db: WriteDb, subject: string): void {
  cachedStatement(db, 'DELETE FROM picture_subjects WHERE subject = ?').run(subject);
}

export function readPictureSum(db: ReadDb): { digest: string; subjects: number } | undefined {
  return cachedStatement(db, 'SELECT digest, subjects FROM picture_sum WHERE singleton = 1').get() as { digest: string; subjects: number } | undefined;
}

export function writePictureSum(db: WriteDb, sum: { digest: string; subjects: number }): void {
  cachedStatement(db, 'INSERT INTO picture_sum (singleton, digest, subjects) VALUES (1, @digest, @subjects) ON CONFLICT (singleton) DO UPDATE SET digest = excluded.digest, subjects = excluded.subjects').run(sum);
}

/** Empties the picture (not the queue's history) before a full recomputation. */
export function clearPicture(db: WriteDb): void {
  db.exec('DELETE FROM picture_subjects; DELETE FROM picture_sum;');
}

const QUEUE_COLUMNS = `id, kind, subject, status, score, competing, fields, cause, reasons, policy_choice AS policyChoice, decision,
  opened_at AS openedAt, updated_at AS updatedAt`;

export function readQueueItem(db: ReadDb, id: string): QueueItemRow | undefined {
  return cachedStatement(db, `SELECT ${QUEUE_COLUMNS} FROM queue_items WHERE id = ?`).get(id) as QueueItemRow | undefined;
}

export function listQueueItems(db: ReadDb, filter: { statuses: readonly QueueStatus[]; limit: number; offset: number }): QueueItemRow[] {
  const marks = filter.statuses.map(() => '?').join(', ');
  return db.prepare(`SELECT ${QUEUE_COLUMNS} FROM queue_items WHERE status IN (${marks}) ORDER BY opened_at, id LIMIT ? OFFSET ?`).all(...filter.statuses, filter.limit, filter.offset) as QueueItemRow[];
}

/** What the console's queue table asks for: statuses, then optional narrowing, one order (ties by id). */
export interface QueueQuery {
  readonly statuses: readonly QueueStatus[];
  readonly cause?: QueueItemRow['cause'];
  /** Items with a competing observation from this mesh. */
  readonly mesh?: string;
  readonly subjectPrefix?: string;
  /** Case-insensitive: in the subject or the cause's reasons, or a prefix of the item's id. */
  readonly search?: string;
  readonly sort?: 'opened' | 'subject' | 'score' | 'cause' | 'status';
  readonly descending?: boolean;
}

const QUEUE_ORDER: Record<NonNullable<QueueQuery['sort']>, string> = { opened: 'opened_at', subject: 'subject', score: 'score', cause: 'cause', status: 'status' };

function queueWhere(query: QueueQuery): { where: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const conditions = [`status IN (${query.statuses.map((status, i) => ((params[`s${i}`] = status), `@s${i}`)).join(', ')})`];
  if (query.cause !== undefined) {
    conditions.push('cause = @cause');
    params.cause = query.cause;
  }
  if (query.mesh !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM json_each(queue_items.competing) AS c JOIN observations AS o ON o.id = c.value WHERE o.mesh = @mesh)');
    params.mesh = query.mesh;
  }
  subjectPrefixRange(query.subjectPrefix, conditions, params);
  if (query.search !== undefined && query.search !== '') {
    conditions.push("(instr(lower(subject), @search) > 0 OR instr(lower(reasons), @search) > 0 OR substr(id, 1, length(@search)) = @search)");
    params.search = query.search.toLowerCase();
  }
  return { where: `WHERE ${conditions.join(' AND ')}`, params };
}

/** One page of the queue under `query`, with how many items match it in all. */
export function findQueueItems(db: ReadDb, query: QueueQuery & { limit: number; offset: number }): { total: number; rows: QueueItemRow[] } {
  const { where, params } = queueWhere(query);
  const order = `${QUEUE_ORDER[query.sort ?? 'opened']} ${query.descending ? 'DESC' : 'ASC'}, id ${query.descending ? 'DESC' : 'ASC'}`;
  const rows = db.prepare(`SELECT ${QUEUE_COLUMNS} FROM queue_items ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all({ ...params, limit: query.limit, offset: query.offset }) as QueueItemRow[];
  const total = db.prepare(`SELECT COUNT(*) FROM queue_items ${where}`).pluck().get(params) as number;
  return { total, rows };
}

/** The mesh and class of each of these observations held here (the queue's "meshes involved"). */
/** Each competing observation's origin, with its label as the record states it (JSON text), for the list's marking. */
export function competingOrigins(db: ReadDb, competingJson: string): { id: string; mesh: string; class: string; label: string }[] {
  return cachedStatement(db, "SELECT o.id, o.mesh, o.class, json_extract(o.record, '$.label') AS label FROM json_each(?) AS c JOIN observations AS o ON o.id = c.value").all(competingJson) as {
    id: string;
    mesh: string;
    class: string;
    label: string;
  }[];
}

export function queueItemsOfSubject(db: ReadDb, subject: string): QueueItemRow[] {
  return cachedStatement(db, `SELECT ${QUEUE_COLUMNS} FROM queue_items WHERE subject = ? ORDER BY opened_at, id`).all(subject) as QueueItemRow[];
}

/** Inserts the item, or updates what may change of it (status, decision, the estimate); its opening time stays. */
export function upsertQueueItem(db: WriteDb, row: QueueItemRow): void {
  cachedStatement(
    db,
    `INSERT INTO queue_items (id, kind, subject, status, score, competing, fields, cause, reasons, policy_choice, decision, opened_at, updated_at)
     VALUES (@id, @kind, @subject, @status, @score, @competing, @fields, @cause, @reasons, @policyChoice, @decision, @openedAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, score = excluded.score, cause = excluded.cause, reasons = excluded.reasons,
       policy_choice = excluded.policy_choice, decision = excluded.decision, updated_at = excluded.updated_at`,
  ).run(row);
}

export function setQueueItemStatus(db: WriteDb, id: string, status: QueueStatus, decision: string | null, at: string): void {
  cachedStatement(db, 'UPDATE queue_items SET status = ?, decision = ?, updated_at = ? WHERE id = ?').run(status, decision, at, id);
}

export function countQueueItems(db: ReadDb, statuses: readonly QueueStatus[]): number {
  const marks = statuses.map(() => '?').join(', ');
  return db.prepare(`SELECT COUNT(*) FROM queue_items WHERE status IN (${marks})`).pluck().get(...statuses) as number;
}

/** Records that arbitration settled a concurrent conflict on a field (once per winner). */
export function recordArbitration(db: WriteDb, row: { subject: string; field: string; winner: string; why: string; at: string }): boolean {
  return cachedStatement(db, 'INSERT INTO arbitrations (subject, field, winner, why, at) VALUES (@subject, @field, @winner, @why, @at) ON CONFLICT DO NOTHING').run(row).changes > 0;
}

/** The recorded why of a field's winner, restated (the same winner, chosen among other candidates now). */
export function restateArbitration(db: WriteDb, row: { subject: string; field: string; winner: string; why: string; at: string }): void {
  cachedStatement(db, 'UPDATE arbitrations SET why = @why, at = @at WHERE subject = @subject AND field = @field AND winner = @winner').run(row);
}

/** Forgets an arbitration the subject's picture no longer rests on (its conflict is gone, or another winner took over). */
export function deleteArbitration(db: WriteDb, subject: string, field: string, winner: string): void {
  cachedStatement(db, 'DELETE FROM arbitrations WHERE subject = ? AND field = ? AND winner = ?').run(subject, field, winner);
}

export function arbitrationsOf(db: ReadDb, subject: string): { field: string; winner: string; why: string; at: string }[] {
  return cachedStatement(db, 'SELECT field, winner, why, at FROM arbitrations WHERE subject = ? ORDER BY field, at').all(subject) as { field: string; winner: string; why: string; at: string }[];
}
