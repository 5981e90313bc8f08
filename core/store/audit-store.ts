/**
 * The reconciliation log in the store: entries and checkpoints appended (never changed, never
 * dropped), read back in order for verification, listed for the console, found by the ids they
 * mention. Callers wrap entries and their checkpoint in one transaction (core/app/audit-service).
 */
import type { Statement } from 'better-sqlite3';
import type { FiledAs } from '../audit/entry.js';
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

/** An entry as stored: its canonical JSON, its id, and the copies of its fields that are indexed. */
export interface AuditEntryRow extends FiledAs {
  readonly log: string;
  readonly seq: number;
  readonly id: string;
  /** Canonical JSON of the entry. */
  readonly entry: string;
}

export interface CheckpointRow {
  readonly log: string;
  readonly size: number;
  readonly root: string;
  readonly time: string;
  readonly id: string;
  /** The DSSE envelope, as JSON. */
  readonly envelope: string;
  readonly frontier: Buffer;
}

export interface AuditFilter {
  readonly type?: string;
  readonly subject?: string;
  readonly federation?: string;
  /** ISO times, inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Entries naming any of these observations (through the provenance index). */
  readonly ids?: readonly string[];
  readonly limit: number;
  readonly offset?: number;
}

const ENTRY_COLUMNS = 'log, seq, id, type, subject, federation, wall, hlc_l AS hlcL, hlc_c AS hlcC, entry';

/** Prepared once per connection: the recorder appends in a tight loop. */
const appendStatements = new WeakMap<WriteDb, { entry: Statement; ref: Statement }>();

export function insertAuditEntries(db: WriteDb, rows: readonly (AuditEntryRow & { readonly refs: readonly string[] })[]): void {
  let statements = appendStatements.get(db);
  if (!statements) {
    statements = {
      entry: db.prepare(
        `INSERT INTO audit_entries (log, seq, id, type, subject, federation, wall, hlc_l, hlc_c, entry)
         VALUES (@log, @seq, @id, @type, @subject, @federation, @wall, @hlcL, @hlcC, @entry)`,
      ),
      ref: db.prepare('INSERT INTO audit_entry_refs (ref, seq) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    };
    appendStatements.set(db, statements);
  }
  for (const { refs, ...row } of rows) {
    statements.entry.run(row);
    for (const ref of refs) statements.ref.run(ref, row.seq);
  }
}

export function insertCheckpoint(db: WriteDb, row: CheckpointRow): void {
  db.prepare('INSERT INTO audit_checkpoints (log, size, root, time, id, envelope, frontier) VALUES (@log, @size, @root, @time, @id, @envelope, @frontier) ON CONFLICT DO NOTHING').run(row);
}

/** The log's length and the clock of its last entry (what the next entry must follow). */
export function auditLogHead(db: ReadDb, log: string): { size: number; hlcL: number; hlcC: number; wall: string | null } {
  const last = db.prepare('SELECT seq, hlc_l AS hlcL, hlc_c AS hlcC, wall FROM audit_entries WHERE log = ? ORDER BY seq DESC LIMIT 1').get(log) as
    | { seq: number; hlcL: number; hlcC: number; wall: string }
    | undefined;
  return last ? { size: last.seq + 1, hlcL: last.hlcL, hlcC: last.hlcC, wall: last.wall } : { size: 0, hlcL: 0, hlcC: 0, wall: null };
}

/** Every entry in log order with what it is filed under (the indexed columns), for verification. */
export function* iterateFiledAuditEntries(db: ReadDb, log: string): Generator<{ seq: number; id: string; text: string; filed: FiledAs }> {
  const rows = db.prepare('SELECT seq, id, entry AS text, type, subject, federation, wall, hlc_l AS hlcL, hlc_c AS hlcC FROM audit_entries WHERE log = ? ORDER BY seq').iterate(log) as Iterable<
    { seq: number; id: string; text: string } & FiledAs
  >;
  for (const { seq, id, text, ...filed } of rows) yield { seq, id, text, filed };
}

/**
 * One page of the log from `fromSeq`, below `below`, in order, with what each is filed under: a
 * long reader (the console's verification) reads in pages so nothing holds the connection between
 * them.
 */
export function filedAuditEntriesPage(db: ReadDb, log: string, fromSeq: number, below: number, limit: number): { seq: number; id: string; text: string; filed: FiledAs }[] {
  const rows = cachedStatement(db, 'SELECT seq, id, entry AS text, type, subject, federation, wall, hlc_l AS hlcL, hlc_c AS hlcC FROM audit_entries WHERE log = ? AND seq >= ? AND seq < ? ORDER BY seq LIMIT ?').all(
    log,
    fromSeq,
    below,
    limit,
  ) as ({ seq: number; id: string; text: string } & FiledAs)[];
  return rows.map(({ seq, id, text, ...filed }) => ({ seq, id, text, filed }));
}

/** Whether an entry at or after `fromSeq` names `ref` (one index lookup). */
export function isReferencedFrom(db: ReadDb, ref: string, fromSeq: number): boolean {
  return cachedStatement(db, 'SELECT 1 FROM audit_entry_refs WHERE ref = ? AND seq >= ? LIMIT 1').get(ref, fromSeq) !== undefined;
}

/**
 * Where the provenance index (audit_entry_refs) disagrees with the entries: an id an entry names
 * that the index does not find it by, or an index row for an id the entry does not name. At most
 * `limit` of each. An entry that is not JSON names nothing here (verification names it anyway).
 */
export function refIndexMismatches(db: ReadDb, log: string, limit: number): { missing: { seq: number; ref: string }[]; extra: { seq: number; ref: string }[] } {
  const idsOf = (entry: string) => `json_each(CASE WHEN json_valid(${entry}) THEN ${entry} ELSE '{}' END, '$.what.ids')`;
  // Both are one pass with index lookups: each entry's ids looked up in the index, each index row's entry by its seq.
  const missing = db
    .prepare(
      `SELECT e.seq AS seq, j.value AS ref FROM audit_entries e, ${idsOf('e.entry')} j
       WHERE e.log = ? AND NOT EXISTS (SELECT 1 FROM audit_entry_refs r WHERE r.ref = j.value AND r.seq = e.seq) ORDER BY e.seq LIMIT ?`,
    )
    .all(log, limit) as { seq: number; ref: string }[];
  const extra = db
    .prepare(
      `SELECT r.seq AS seq, r.ref AS ref FROM audit_entry_refs r LEFT JOIN audit_entries e ON e.seq = r.seq AND e.log = ?
       WHERE e.seq IS NULL OR NOT EXISTS (SELECT 1 FROM ${idsOf('e.entry')} j WHERE j.value = r.ref) ORDER BY r.seq LIMIT ?`,
    )
    .all(log, limit) as { seq: number; ref: string }[];
  return { missing, extra };
}

/** Every entry in log order, one row at a time (a million-entry log is never held in memory). */
export function* iterateAuditEntries(db: ReadDb, log: string, below = Number.MAX_SAFE_INTEGER): Generator<{ seq: number; id: string; text: string }> {
  yield* db.prepare('SELECT seq, id, entry AS text FROM audit_entries WHERE log = ? AND seq < ? ORDER BY seq').iterate(log, below) as Iterable<{
    seq: number;
    id: string;
    text: string;
  }>;
}

export function listCheckpoints(db: ReadDb, log: string): CheckpointRow[] {
  return db.prepare('SELECT log, size, root, time, id, envelope, frontier FROM audit_checkpoints WHERE log = ? ORDER BY size, time').all(log) as CheckpointRow[];
}

export function latestCheckpoint(db: ReadDb, log: string): CheckpointRow | undefined {
  return db.prepare('SELECT log, size, root, time, id, envelope, frontier FROM audit_checkpoints WHERE log = ? ORDER BY size DESC, time DESC LIMIT 1').get(log) as CheckpointRow | undefined;
}

/**
 * The first position whose wall time is at or after `wall` (or after it, when `strictly`):
 * wall times never run backwards within a log, so a binary search over positions finds a time
 * window without an index on time.
 */
function firstSeqAtOrAfter(db: ReadDb, log: string, wall: string, strictly: boolean): number {
  const at = db.prepare('SELECT wall FROM audit_entries WHERE seq = ? AND log = ?').pluck();
  let lo = 0;
  let hi = auditLogHead(db, log).size;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const value = at.get(mid, log) as string | undefined;
    // A hole (only in a damaged file) counts as early: verification names it, listing goes on.
    if (value === undefined || value < wall || (strictly && value === wall)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function where(log: string, filter: Omit<AuditFilter, 'limit' | 'offset'>, db: ReadDb): { sql: string; params: unknown[] } {
  const clauses = ['log = ?'];
  const params: unknown[] = [log];
  const conditions: [string, string | number | undefined][] = [
    ['type = ?', filter.type],
    ['subject = ?', filter.subject],
    ['federation = ?', filter.federation],
    ['seq >= ?', filter.from === undefined ? undefined : firstSeqAtOrAfter(db, log, filter.from, false)],
    ['seq < ?', filter.to === undefined ? undefined : firstSeqAtOrAfter(db, log, filter.to, true)],
  ];
  for (const [clause, value] of conditions) {
    if (value === undefined) continue;
    clauses.push(clause);
    params.push(value);
  }
  if (filter.ids !== undefined) {
    // One parameter however many ids: the list travels as JSON and json_each unrolls it.
    clauses.push('seq IN (SELECT seq FROM audit_entry_refs WHERE ref IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(filter.ids));
  }
  return { sql: clauses.join(' AND '), params };
}

/** Newest first, as a timeline reads. */
export function listAuditEntries(db: ReadDb, log: string, filter: AuditFilter): AuditEntryRow[] {
  const { sql, params } = where(log, filter, db);
  return db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE ${sql} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset ?? 0) as AuditEntryRow[];
}

export function countAuditEntries(db: ReadDb, log: string, filter: Omit<AuditFilter, 'limit' | 'offset'> = {}): number {
  const { sql, params } = where(log, filter, db);
  return (db.prepare(`SELECT COUNT(*) AS n FROM audit_entries WHERE ${sql}`).get(...params) as { n: number }).n;
}

/** Entries in log order matching the filter (for exports), one row at a time. */
export function* iterateMatchingEntries(db: ReadDb, log: string, filter: Omit<AuditFilter, 'limit' | 'offset'>): Generator<AuditEntryRow> {
  const { sql, params } = where(log, filter, db);
  yield* db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE ${sql} ORDER BY seq`).iterate(...params) as Iterable<AuditEntryRow>;
}

export function entriesReferencing(db: ReadDb, ref: string): AuditEntryRow[] {
  return db
    .prepare(`SELECT ${ENTRY_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')} FROM audit_entry_refs r JOIN audit_entries e ON e.seq = r.seq WHERE r.ref = ? ORDER BY e.seq`)
    .all(ref) as AuditEntryRow[];
}

export interface PeerHeadRow {
  readonly peer: string;
  readonly anchor: string;
  readonly size: number;
  readonly root: string;
  readonly envelope: string;
  readonly seenAt: string;
}

export function readPeerHead(db: ReadDb, peer: string): PeerHeadRow | undefined {
  return db.prepare('SELECT peer, anchor, size, root, envelope, seen_at AS seenAt FROM audit_peer_heads WHERE peer = ?').get(peer) as PeerHeadRow | undefined;
}

export function writePeerHead(db: WriteDb, row: PeerHeadRow): void {
  db.prepare(
    `INSERT INTO audit_peer_heads (peer, anchor, size, root, envelope, seen_at) VALUES (@peer, @anchor, @size, @root, @envelope, @seenAt)
     ON CONFLICT (peer) DO UPDATE SET size = excluded.size, root = excluded.root, envelope = excluded.envelope, seen_at = excluded.seen_at`,
  ).run(row);
}

export function insertCosignature(db: WriteDb, row: { log: string; size: number; witness: string; envelope: string; storedAt: string }): void {
  db.prepare('INSERT INTO audit_cosignatures (log, size, witness, envelope, stored_at) VALUES (@log, @size, @witness, @envelope, @storedAt) ON CONFLICT DO NOTHING').run(row);
}

/** Keeps a witness's trust anchor and CA certificates (each given with its SHA-256); already known ones are left as they are. */
export function insertWitnessCertificates(db: WriteDb, witness: string, anchor: string, certificates: readonly { sha256: string; pem: string }[]): void {
  const insert = db.prepare('INSERT INTO audit_witness_certificates (witness, anchor, sha256, pem) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  for (const { sha256, pem } of certificates) insert.run(witness, anchor, sha256, pem);
}

/** Every witness's certificates, grouped by the anchor they chain to (the anchor's own row has sha256 = anchor). */
export function listWitnessCertificates(db: ReadDb): { witness: string; anchor: string; sha256: string; pem: string }[] {
  return db.prepare('SELECT witness, anchor, sha256, pem FROM audit_witness_certificates ORDER BY witness, anchor, sha256').all() as {
    witness: string;
    anchor: string;
    sha256: string;
    pem: string;
  }[];
}

export function listCosignatures(db: ReadDb, log: string): { size: number; witness: string; envelope: string }[] {
  return db.prepare('SELECT size, witness, envelope FROM audit_cosignatures WHERE log = ? ORDER BY size, witness').all(log) as { size: number; witness: string; envelope: string }[];
}

/** Whether the log already records that `version` of `federation` came into force (recorded once, on the change that completed it). */
export function hasActivationEntry(db: ReadDb, federation: string, version: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM audit_entries WHERE federation = ? AND type = 'federation' AND json_extract(entry, '$.why.reasons[0]') = 'activated' AND json_extract(entry, '$.what.detail.version') = ?")
      .get(federation, version) !== undefined
  );
}

/** Whether the log already records a clock jump from this trusted floor (one entry per jump, not per command). */
export function hasClockJumpEntry(db: ReadDb, floor: string): boolean {
  return (
    db
      .prepare("SELECT 1 FROM audit_entries WHERE type = 'integrity' AND json_extract(entry, '$.why.reasons[0]') = 'clock-jump' AND json_extract(entry, '$.what.detail.floor') = ?")
      .get(floor) !== undefined
  );
}
