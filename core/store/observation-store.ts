/**
 * Governed observations in the store: appended in batches (one transaction per batch, the
 * same record twice is a no-op), read back whole, listed by subject, class, mesh and time. The
 * columns beside the record are copies for the indices; readers that present a record take its
 * fields from the record, and `entente verify` holds the copies against it.
 */
import type { IndexedCopies } from '../observation/indexed.js';
import { subjectPrefixRange } from './subject-prefix.js';
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

/** A stored observation: its id, the signed record, and the copies filed beside it for the indices. */
export interface ObservationRow extends IndexedCopies {
  readonly id: string;
  /** The signed record, canonical JSON. */
  readonly record: string;
  readonly storedAt: string;
}

export interface ObservationFilter {
  readonly subject?: string;
  /** Subjects starting with this ("track:47" finds track:4711), on the subject index. */
  readonly subjectPrefix?: string;
  readonly class?: string;
  readonly mesh?: string;
  /** Observed at or after / before these instants (compared as the stored UTC text). */
  readonly observedFrom?: string;
  readonly observedBefore?: string;
  /** Crossed under this federation, or named by a log entry made under it. */
  readonly federation?: string;
  /** The originator's STANAG 4774 label has this classification (e.g. SECRET), as its signed record says. */
  readonly label?: string;
  /** The order of the page: newest first by hybrid logical clock (the default), or by a column. */
  readonly sort?: ObservationSort;
  readonly descending?: boolean;
  readonly limit: number;
  readonly offset?: number;
}

export type ObservationSort = 'hlc' | 'observed' | 'subject' | 'class' | 'mesh';

/** Each sort's columns: a fixed list, never the caller's text, so nothing reaches the SQL but these. */
const ORDER: Record<ObservationSort, readonly string[]> = {
  hlc: ['hlc_l', 'hlc_c'],
  observed: ['observed_at'],
  subject: ['subject'],
  class: ['class'],
  mesh: ['mesh'],
};

/**
 * Appends the rows in one transaction; returns how many were new. Inside the caller's
 * transaction the rows are written in it directly: a nested better-sqlite3 transaction is a
 * SAVEPOINT, whose statement journal copies every page the insert touches (about 25 µs of the
 * ~60 µs per row an import spent here), and the caller's rollback already takes them all back.
 */
export function appendObservations(db: WriteDb, rows: readonly ObservationRow[]): number {
  return db.inTransaction ? insertRows(db, rows) : db.transaction(() => insertRows(db, rows))();
}

function insertRows(db: WriteDb, rows: readonly ObservationRow[]): number {
  const insert = cachedStatement(db,
    // ON CONFLICT, not OR IGNORE: OR IGNORE would also swallow CHECK and NOT NULL failures.
    `INSERT INTO observations
       (id, mesh, subject, class, observed_at, hlc_l, hlc_c, device, device_certificate, record, stored_at)
     VALUES (@id, @mesh, @subject, @class, @observedAt, @hlcL, @hlcC, @device, @deviceCertificate, @record, @storedAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  const insertSource = cachedStatement(db, 'INSERT INTO observation_sources (observation_id, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  let added = 0;
  for (const row of rows) {
    const { sources, ...columns } = row;
    if (insert.run(columns).changes === 0) continue;
    added += 1;
    for (const source of sources) insertSource.run(row.id, source);
  }
  return added;
}

/**
 * Keeps the connection's statement journals in memory (PRAGMA temp_store = MEMORY) until the
 * returned function restores the setting it found; call it outside a transaction. An insert
 * into `observations` fires migration 18's picture-copy trigger, so SQLite gives each such
 * statement a statement journal (sqlite.org/tempfiles.html, "Statement Journal Files"): the
 * original of every page it touches, about ten per row. Those beyond 64 KiB go to a temporary
 * file, page by page, which cost an import about 40 µs per row (10,000 rows: 1.0 → 0.6 s of
 * inserts). Not for the connection's whole life: temp_store also keeps temporary tables and
 * indices in memory, and a query's ephemeral index over a million ids should still spill.
 */
export function statementJournalsInMemory(db: WriteDb): () => void {
  const before = db.pragma('temp_store', { simple: true }) as number;
  if (before === 2) return () => undefined;
  db.pragma('temp_store = MEMORY');
  return () => void db.pragma(`temp_store = ${before}`);
}

const COLUMNS = `id, mesh, subject, class, observed_at AS observedAt, hlc_l AS hlcL, hlc_c AS hlcC, device,
  device_certificate AS deviceCertificate, record, stored_at AS storedAt`;

export function readObservation(db: ReadDb, id: string): ObservationRow | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM observations WHERE id = ?`).get(id) as Omit<ObservationRow, 'sources'> | undefined;
  return row && { ...row, sources: sourcesOf(db, id) };
}

export function hasObservation(db: ReadDb, id: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM observations WHERE id = ?').get(id) !== undefined;
}

/** Newest first by hybrid logical clock (or in the order asked), then id, so pages are stable. */
export function listObservations(db: ReadDb, filter: ObservationFilter): ObservationRow[] {
  const { where, params } = whereClause(filter);
  const direction = (filter.descending ?? (filter.sort ?? 'hlc') === 'hlc') ? 'DESC' : 'ASC';
  const order = [...ORDER[filter.sort ?? 'hlc'].map((column) => `${column} ${direction}`), 'id'].join(', ');
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM observations ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit, offset: filter.offset ?? 0 }) as Omit<ObservationRow, 'sources'>[];
  return rows.map((row) => ({ ...row, sources: sourcesOf(db, row.id) }));
}

/** How many observations match the filter (all of them without one). */
export function countObservations(db: ReadDb, filter: Omit<ObservationFilter, 'limit' | 'offset'> = {}): number {
  const { where, params } = whereClause(filter);
  return (db.prepare(`SELECT COUNT(*) AS n FROM observations ${where}`).get(params) as { n: number }).n;
}

function whereClause(filter: Omit<ObservationFilter, 'limit' | 'offset'>): { where: string; params: Record<string, string> } {
  const conditions: string[] = [];
  const params: Record<string, string> = {};
  for (const key of ['subject', 'class', 'mesh'] as const) {
    const value = filter[key];
    if (value !== undefined) {
      conditions.push(`${key} = @${key}`);
      params[key] = value;
    }
  }
  subjectPrefixRange(filter.subjectPrefix, conditions, params);
  if (filter.observedFrom !== undefined) {
    conditions.push('observed_at >= @observedFrom');
    params.observedFrom = filter.observedFrom;
  }
  if (filter.observedBefore !== undefined) {
    conditions.push('observed_at < @observedBefore');
    params.observedBefore = filter.observedBefore;
  }
  if (filter.federation !== undefined) {
    // Both ways an observation belongs to a federation: it crossed under it (its crossings row),
    // or an entry of ours made under it names it (an export, a decision, an arbitration).
    conditions.push(`(id IN (SELECT observation_id FROM crossings WHERE federation = @federation)
      OR id IN (SELECT r.ref FROM audit_entry_refs r JOIN audit_entries e ON e.seq = r.seq WHERE e.federation = @federation))`);
    params.federation = filter.federation;
  }
  if (filter.label !== undefined) {
    // From the signed record itself, not a copy beside it: the label is not indexed.
    conditions.push("json_extract(record, '$.label.classification') = @label");
    params.label = filter.label;
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Stored rows between two rowids (inclusive). */
export interface RowRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Stored rows in storage order, whole (indexed columns and source edges too, so a check can hold
 * them against the record), for re-verification without loading all at once: those in `range`,
 * or every one. The sources come in the same statement, one index lookup per row.
 */
export function* iterateObservationRecords(db: ReadDb, range?: RowRange): Generator<ObservationRow> {
  const select = `SELECT ${COLUMNS},
      (SELECT group_concat(source_id, ',') FROM observation_sources WHERE observation_id = observations.id) AS sourceList
    FROM observations`;
  const rows = range
    ? db.prepare(`${select} WHERE rowid BETWEEN ? AND ? ORDER BY rowid`).iterate(range.first, range.last)
    : db.prepare(`${select} ORDER BY rowid`).iterate();
  for (const { sourceList, ...row } of rows as Iterable<Omit<ObservationRow, 'sources'> & { sourceList: string | null }>) {
    yield { ...row, sources: sourceList === null ? [] : sourceList.split(',').sort() };
  }
}

/** Source edges filed under an observation the store does not hold (at most `limit`). */
export function orphanSourceEdges(db: ReadDb, limit: number): { observationId: string; sourceId: string }[] {
  return db
    .prepare(
      `SELECT s.observation_id AS observationId, s.source_id AS sourceId FROM observation_sources s
       LEFT JOIN observations o ON o.id = s.observation_id WHERE o.id IS NULL ORDER BY s.observation_id, s.source_id LIMIT ?`,
    )
    .all(limit) as { observationId: string; sourceId: string }[];
}

/** Every stored observation id, for checking the store against the log in one pass. */
export function* iterateObservationIds(db: ReadDb): Generator<string> {
  yield* db.prepare('SELECT id FROM observations ORDER BY rowid').pluck().iterate() as Iterable<string>;
}

/** The rowids of the first and last stored observation, or null when none is stored. */
export function observationRowids(db: ReadDb): RowRange | null {
  const row = db.prepare('SELECT min(rowid) AS first, max(rowid) AS last FROM observations').get() as { first: number | null; last: number | null };
  return row.first === null || row.last === null ? null : { first: row.first, last: row.last };
}

/** The newest hybrid logical clock stamp this mesh has issued, so the next one comes after it. */
export function latestHlc(db: ReadDb, mesh: string): { l: number; c: number } {
  const row = db.prepare('SELECT hlc_l AS l, hlc_c AS c FROM observations WHERE mesh = ? ORDER BY hlc_l DESC, hlc_c DESC LIMIT 1').get(mesh) as
    | { l: number; c: number }
    | undefined;
  return row ?? { l: 0, c: 0 };
}

/**
 * The greatest stamp of any mesh's observation whose `l` is at most `maxL` (observations_by_hlc,
 * one seek): what this mesh's clock has heard of from the observations it holds, leaving out those
 * stamped further ahead than the caller accepts (docs/decisions/0007, "The mesh clock").
 */
export function latestHlcUpTo(db: ReadDb, maxL: number): { l: number; c: number } {
  const row = db.prepare('SELECT hlc_l AS l, hlc_c AS c FROM observations WHERE hlc_l <= ? ORDER BY hlc_l DESC, hlc_c DESC LIMIT 1').get(maxL) as
    | { l: number; c: number }
    | undefined;
  return row ?? { l: 0, c: 0 };
}

function sourcesOf(db: ReadDb, id: string): string[] {
  return (db.prepare('SELECT source_id AS source FROM observation_sources WHERE observation_id = ? ORDER BY source_id').all(id) as { source: string }[]).map(
    (row) => row.source,
  );
}
