/**
 * Integrity in the store (migration 10): integrity events, taints, tombstones and partners'
 * CRLs — all only ever added to — and the lineage walk a taint follows, iterative and bounded so
 * a chain a hundred thousand derivations deep is walked in a loop, not a recursion.
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

export const TAINT_CAUSES = ['compromised-credential', 'tainted-source', 'failed-source', 'purged-source', 'partner-notice'] as const;
export type TaintCause = (typeof TAINT_CAUSES)[number];

export interface IntegrityEventRow {
  /** The id of the `integrity` log entry that records the event. */
  readonly id: string;
  readonly kind: string;
  readonly partner: string | null;
  readonly federation: string | null;
  readonly at: string;
  /** JSON. */
  readonly evidence: string;
  readonly message: string;
  readonly logSeq: number;
}

export interface IntegrityEventFilter {
  readonly kind?: string;
  readonly partner?: string;
  readonly limit: number;
  readonly offset?: number;
}

export function insertIntegrityEvent(db: WriteDb, row: IntegrityEventRow): void {
  db.prepare(
    `INSERT INTO integrity_events (id, kind, partner, federation, at, evidence, message, log_seq)
     VALUES (@id, @kind, @partner, @federation, @at, @evidence, @message, @logSeq)`,
  ).run(row);
}

const EVENT_COLUMNS = 'id, kind, partner, federation, at, evidence, message, log_seq AS logSeq';

function eventWhere(filter: Omit<IntegrityEventFilter, 'limit' | 'offset'>): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (filter.kind !== undefined) {
    clauses.push('kind = ?');
    params.push(filter.kind);
  }
  if (filter.partner !== undefined) {
    clauses.push('partner = ?');
    params.push(filter.partner);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Newest first (by log position, which never runs backwards). */
export function listIntegrityEvents(db: ReadDb, filter: IntegrityEventFilter): IntegrityEventRow[] {
  const { sql, params } = eventWhere(filter);
  return db.prepare(`SELECT ${EVENT_COLUMNS} FROM integrity_events ${sql} ORDER BY log_seq DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset ?? 0) as IntegrityEventRow[];
}

export function countIntegrityEvents(db: ReadDb, filter: Omit<IntegrityEventFilter, 'limit' | 'offset'> = {}): number {
  const { sql, params } = eventWhere(filter);
  return db.prepare(`SELECT COUNT(*) FROM integrity_events ${sql}`).pluck().get(...params) as number;
}

export interface TaintRow {
  readonly observationId: string;
  readonly cause: TaintCause;
  /** JSON: what the taint rests on (the CRL, the tainted source, the partner's notice). */
  readonly evidence: string;
  /** From when the credential or source stopped being trustworthy. */
  readonly since: string;
  readonly markedAt: string;
}

/** Adds the taints not yet held (an observation keeps the first cause found); returns the ids newly tainted. */
export function insertTaints(db: WriteDb, rows: readonly TaintRow[]): string[] {
  const insert = db.prepare(
    `INSERT INTO taints (observation_id, cause, evidence, since, marked_at) VALUES (@observationId, @cause, @evidence, @since, @markedAt)
     ON CONFLICT (observation_id) DO NOTHING`,
  );
  const added: string[] = [];
  for (const row of rows) if (insert.run(row).changes > 0) added.push(row.observationId);
  return added;
}

const TAINT_COLUMNS = 'observation_id AS observationId, cause, evidence, since, marked_at AS markedAt';

export function readTaint(db: ReadDb, id: string): TaintRow | undefined {
  return cachedStatement(db, `SELECT ${TAINT_COLUMNS} FROM taints WHERE observation_id = ?`).get(id) as TaintRow | undefined;
}

/** The taints of these ids, for a page of a list: one indexed lookup each. */
export function readTaints(db: ReadDb, ids: readonly string[]): Map<string, TaintRow> {
  const read = db.prepare(`SELECT ${TAINT_COLUMNS} FROM taints WHERE observation_id = ?`);
  const found = new Map<string, TaintRow>();
  for (const id of ids) {
    const row = read.get(id) as TaintRow | undefined;
    if (row) found.set(id, row);
  }
  return found;
}

/** Taints marked at or after `since`, oldest first. */
export function taintsMarkedSince(db: ReadDb, since: string, limit: number): TaintRow[] {
  return db.prepare(`SELECT ${TAINT_COLUMNS} FROM taints WHERE marked_at >= ? ORDER BY marked_at, observation_id LIMIT ?`).all(since, limit) as TaintRow[];
}

export function insertTombstones(db: WriteDb, ids: readonly string[], federation: string, purgedAt: string): void {
  const insert = db.prepare('INSERT INTO tombstones (observation_id, federation, purged_at) VALUES (?, ?, ?) ON CONFLICT (observation_id) DO NOTHING');
  for (const id of ids) insert.run(id, federation, purgedAt);
}

/** Whether an exit purged this id here: the pipeline refuses a re-delivery of it as `purged`. */
export function isPurged(db: ReadDb, id: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM tombstones WHERE observation_id = ?').get(id) !== undefined;
}

export function readTombstone(db: ReadDb, id: string): { federation: string; purgedAt: string } | undefined {
  return db.prepare('SELECT federation, purged_at AS purgedAt FROM tombstones WHERE observation_id = ?').get(id) as { federation: string; purgedAt: string } | undefined;
}

export interface PartnerCrlRow {
  readonly mesh: string;
  readonly issuerSha256: string;
  /** §5.2.3 cRLNumber, decimal. */
  readonly number: string;
  readonly thisUpdate: string;
  readonly pem: string;
  readonly storedAt: string;
}

/** Stores a partner CRL; false when that issuer's CRL of that number is already held. */
export function insertPartnerCrl(db: WriteDb, row: PartnerCrlRow): boolean {
  return (
    db
      .prepare(
        `INSERT INTO partner_crls (mesh, issuer_sha256, number, this_update, pem, stored_at) VALUES (@mesh, @issuerSha256, @number, @thisUpdate, @pem, @storedAt)
         ON CONFLICT (issuer_sha256, number) DO NOTHING`,
      )
      .run(row).changes > 0
  );
}

/** Every CRL held from `mesh`; the chain verifier keeps the newest per CA and ignores older ones. */
export function partnerCrls(db: ReadDb, mesh: string): PartnerCrlRow[] {
  return db
    .prepare('SELECT mesh, issuer_sha256 AS issuerSha256, number, this_update AS thisUpdate, pem, stored_at AS storedAt FROM partner_crls WHERE mesh = ? ORDER BY this_update, length(number), number')
    .all(mesh) as PartnerCrlRow[];
}

/** The device certificates of `mesh` with this serial (normalised hex, as the certificates table files it). */
export function deviceCertificatesWithSerial(db: ReadDb, mesh: string, serial: string): { sha256: string; pem: string }[] {
  return db.prepare("SELECT sha256, pem FROM certificates WHERE mesh = ? AND role = 'device' AND serial = ? COLLATE NOCASE").all(mesh, serial) as { sha256: string; pem: string }[];
}

/** The stored observations signed under a device certificate, with the time each was made (as filed). */
export function observationsUnderCertificate(db: ReadDb, certificateSha256: string): { id: string; observedAt: string }[] {
  return db.prepare('SELECT id, observed_at AS observedAt FROM observations WHERE device_certificate = ? ORDER BY id').all(certificateSha256) as { id: string; observedAt: string }[];
}

/** Past this many descendants a taint is refused by name rather than left to exhaust the machine. */
export const MAX_DESCENDANTS = 5_000_000;

/**
 * Every observation derived, directly or through others, from any of `ids` (not the ids
 * themselves), each with the root it was reached from: breadth first over
 * observation_sources_by_source with an explicit queue, each id visited once (an edge planted in
 * the file cannot make it loop). Returns null past `max` descendants.
 */
export function descendantsOf(db: ReadDb, ids: readonly string[], max = MAX_DESCENDANTS): Map<string, { root: string; parent: string }> | null {
  const children = db.prepare('SELECT observation_id FROM observation_sources WHERE source_id = ?').pluck();
  const found = new Map<string, { root: string; parent: string }>();
  const given = new Set(ids);
  const queue: { id: string; root: string }[] = ids.map((id) => ({ id, root: id }));
  for (let head = 0; head < queue.length; head += 1) {
    const { id, root } = queue[head]!;
    for (const child of children.all(id) as string[]) {
      if (found.has(child) || given.has(child)) continue;
      if (found.size >= max) return null;
      found.set(child, { root, parent: id });
      queue.push({ id: child, root });
    }
    // The queue's consumed head is dropped now and then, so a long walk does not hold it all twice.
    if (head > 65_536) {
      queue.splice(0, head + 1);
      head = -1;
    }
  }
  return found;
}
