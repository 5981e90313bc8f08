/**
 * The crossing in the store (migrations 0011, 0015): per admitted foreign observation what it crossed
 * with, each bundle's import state and refusals, exports with their cursors and the receipts
 * that came back, and the quarantine. The admission pipeline (core/app/crossing) writes these in
 * the same transaction as the observations they describe.
 */
import type { ReadDb, WriteDb } from './database.js';
import { crossingTermsKey, termsText } from './crossing-terms.js';
import { cachedStatement } from './statements.js';

export interface CrossingRow {
  readonly observationId: string;
  readonly federation: string;
  readonly version: number;
  readonly origin: string;
  readonly partner: string;
  readonly agent: string;
  readonly agentCertificate: string;
  readonly bundle: string;
  readonly line: number;
  readonly releaseAuthority: string;
  /** JSON of the STANAG 4774 alternative label in this mesh's policy, or null when none was needed. */
  readonly alternativeLabel: string | null;
  /** JSON: the translated terms. */
  readonly translations: string;
  /** JSON: the ids of the attestations used. */
  readonly attestations: string;
  /** JSON: the caveats the scope rule attaches. */
  readonly caveats: string;
  readonly onwardRelease: string;
  readonly outcome: 'admitted' | 'tainted' | 'released';
  readonly admittedAt: string;
}

/**
 * A crossing row, its terms kept once (migration 0015): the terms' key is remembered per
 * connection by their text, and their row is written with ON CONFLICT DO NOTHING in every
 * transaction that names them, so a rolled-back transaction that first wrote them leaves no row
 * pointing at nothing. `writtenInTransaction`, when the caller keeps one for its transaction
 * (a block's), holds the terms texts already written in it: those are not written again.
 */
export function insertCrossing(db: WriteDb, row: CrossingRow, writtenInTransaction?: Set<string>): void {
  const text = termsText(row);
  let keys = termKeys.get(db);
  if (!keys) termKeys.set(db, (keys = new Map()));
  let terms = keys.get(text);
  if (terms === undefined) {
    terms = crossingTermsKey(row);
    // Bounded: a bundle with a new set of terms per item only loses the saving.
    if (keys.size >= 4096) keys.clear();
    keys.set(text, terms);
  }
  if (!writtenInTransaction?.has(text)) {
    cachedStatement(db,
      `INSERT INTO crossing_terms (sha256, alternative_label, translations, attestations, caveats, onward_release)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
    ).run(terms, row.alternativeLabel, row.translations, row.attestations, row.caveats, row.onwardRelease);
    writtenInTransaction?.add(text);
  }
  cachedStatement(db,
    `INSERT INTO crossings (observation_id, federation, version, origin, partner, agent, agent_certificate, bundle, line, release_authority,
       terms, outcome, admitted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(row.observationId, row.federation, row.version, row.origin, row.partner, row.agent, row.agentCertificate, row.bundle, row.line, row.releaseAuthority, terms, row.outcome, row.admittedAt);
}

const termKeys = new WeakMap<WriteDb, Map<string, Buffer>>();

const CROSSING_COLUMNS = `c.observation_id AS observationId, c.federation, c.version, c.origin, c.partner, c.agent, c.agent_certificate AS agentCertificate,
  c.bundle, c.line, c.release_authority AS releaseAuthority, t.alternative_label AS alternativeLabel, t.translations, t.attestations, t.caveats,
  t.onward_release AS onwardRelease, c.outcome, c.admitted_at AS admittedAt`;

export function readCrossing(db: ReadDb, observationId: string): CrossingRow | undefined {
  // Asked once per admitted item by the picture's cause signals (core/app/reconcile): cached, as preparing was most of its cost.
  return cachedStatement(db, `SELECT ${CROSSING_COLUMNS} FROM crossings c JOIN crossing_terms t ON t.sha256 = c.terms WHERE c.observation_id = ?`).get(observationId) as CrossingRow | undefined;
}

/** The ids a bundle's import admitted (tainted and released included), in bundle order: what its receipt's root is over. */
export function admittedIdsOf(db: ReadDb, bundle: string): string[] {
  return db.prepare('SELECT observation_id FROM crossings WHERE bundle = ? ORDER BY line').pluck().all(bundle) as string[];
}

/** The same ids as admittedIdsOf, one at a time: a large import's receipt never holds them all. */
export function* iterateAdmittedIdsOf(db: ReadDb, bundle: string): Generator<string> {
  yield* db.prepare('SELECT observation_id FROM crossings WHERE bundle = ? ORDER BY line').pluck().iterate(bundle) as IterableIterator<string>;
}

export type ImportCounts = { admitted: number; duplicate: number; rejected: number; quarantined: number; tainted: number };

export interface BundleImportRow extends ImportCounts {
  readonly digest: string;
  readonly partner: string;
  readonly federation: string;
  readonly version: number;
  readonly agent: string;
  readonly nonce: string;
  readonly lines: number;
  readonly observations: number;
  readonly nextBlock: number;
  readonly state: 'importing' | 'done';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly receipt: string | null;
}

const IMPORT_COLUMNS = `digest, partner, federation, version, agent, nonce, lines, observations, next_block AS nextBlock, state,
  admitted, duplicate, rejected, quarantined, tainted, started_at AS startedAt, finished_at AS finishedAt, receipt`;

export function readBundleImport(db: ReadDb, digest: string): BundleImportRow | undefined {
  return db.prepare(`SELECT ${IMPORT_COLUMNS} FROM bundle_imports WHERE digest = ?`).get(digest) as BundleImportRow | undefined;
}

export function listBundleImports(db: ReadDb, limit: number): BundleImportRow[] {
  return db.prepare(`SELECT ${IMPORT_COLUMNS} FROM bundle_imports ORDER BY started_at DESC LIMIT ?`).all(limit) as BundleImportRow[];
}

export function beginBundleImport(
  db: WriteDb,
  row: Pick<BundleImportRow, 'digest' | 'partner' | 'federation' | 'version' | 'agent' | 'nonce' | 'lines' | 'observations' | 'startedAt'>,
): void {
  db.prepare(
    `INSERT INTO bundle_imports (digest, partner, federation, version, agent, nonce, lines, observations, next_block, state, started_at)
     VALUES (@digest, @partner, @federation, @version, @agent, @nonce, @lines, @observations, 0, 'importing', @startedAt)
     ON CONFLICT (digest) DO NOTHING`,
  ).run(row);
}

/** Records one block's outcomes and moves the import past it (in the block's own transaction). */
export function advanceBundleImport(db: WriteDb, digest: string, nextBlock: number, add: ImportCounts): void {
  db.prepare(
    `UPDATE bundle_imports SET next_block = @nextBlock, admitted = admitted + @admitted, duplicate = duplicate + @duplicate,
       rejected = rejected + @rejected, quarantined = quarantined + @quarantined, tainted = tainted + @tainted WHERE digest = @digest`,
  ).run({ digest, nextBlock, ...add });
}

export function finishBundleImport(db: WriteDb, digest: string, finishedAt: string, receipt: string): void {
  db.prepare(`UPDATE bundle_imports SET state = 'done', finished_at = ?, receipt = ? WHERE digest = ?`).run(finishedAt, receipt, digest);
}

export function insertBundleRefusal(db: WriteDb, row: { digest: string; line: number; observationId: string | null; reason: string; message: string }): void {
  cachedStatement(db,
    `INSERT INTO bundle_refusals (digest, line, observation_id, reason, message) VALUES (@digest, @line, @observationId, @reason, @message)
     ON CONFLICT (digest, line) DO NOTHING`,
  ).run(row);
}

/** A bundle's refusals in line order, at most `limit` (a receipt lists the first ones and counts the rest). */
export function bundleRefusals(db: ReadDb, digest: string, limit: number): { line: number; id: string | null; reason: string; message: string }[] {
  return db
    .prepare('SELECT line, observation_id AS id, reason, message FROM bundle_refusals WHERE digest = ? ORDER BY line LIMIT ?')
    .all(digest, limit) as { line: number; id: string | null; reason: string; message: string }[];
}

export interface BundleExportRow {
  readonly digest: string;
  readonly partner: string;
  readonly federation: string;
  readonly agent: string;
  readonly observations: number;
  readonly cursorFrom: number;
  readonly cursorTo: number;
  readonly exportedAt: string;
}

export function insertBundleExport(db: WriteDb, row: BundleExportRow): void {
  db.prepare(
    `INSERT INTO bundle_exports (digest, partner, federation, agent, observations, cursor_from, cursor_to, exported_at)
     VALUES (@digest, @partner, @federation, @agent, @observations, @cursorFrom, @cursorTo, @exportedAt) ON CONFLICT (digest) DO NOTHING`,
  ).run(row);
}

export function readBundleExport(db: ReadDb, digest: string): BundleExportRow | undefined {
  return db
    .prepare(
      `SELECT digest, partner, federation, agent, observations, cursor_from AS cursorFrom, cursor_to AS cursorTo, exported_at AS exportedAt
       FROM bundle_exports WHERE digest = ?`,
    )
    .get(digest) as BundleExportRow | undefined;
}

export function readExportCursor(db: ReadDb, partner: string, federation: string): number {
  const row = db.prepare('SELECT last_rowid FROM export_cursors WHERE partner = ? AND federation = ?').pluck().get(partner, federation) as number | undefined;
  return row ?? 0;
}

export function writeExportCursor(db: WriteDb, partner: string, federation: string, lastRowid: number, at: string): void {
  db.prepare(
    `INSERT INTO export_cursors (partner, federation, last_rowid, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (partner, federation) DO UPDATE SET last_rowid = max(last_rowid, excluded.last_rowid), updated_at = excluded.updated_at`,
  ).run(partner, federation, lastRowid, at);
}

export interface ReceiptRow extends ImportCounts {
  readonly bundle: string;
  readonly partner: string;
  readonly envelope: string;
  readonly receivedAt: string;
}

/** Keeps a verified receipt; false when one for that bundle was already kept. */
export function insertReceipt(db: WriteDb, row: ReceiptRow): boolean {
  return (
    db
      .prepare(
        `INSERT INTO receipts (bundle, partner, envelope, admitted, duplicate, rejected, quarantined, tainted, received_at)
         VALUES (@bundle, @partner, @envelope, @admitted, @duplicate, @rejected, @quarantined, @tainted, @receivedAt) ON CONFLICT (bundle) DO NOTHING`,
      )
      .run(row).changes === 1
  );
}

export function listReceipts(db: ReadDb, limit: number): ReceiptRow[] {
  return db
    .prepare('SELECT bundle, partner, envelope, admitted, duplicate, rejected, quarantined, tainted, received_at AS receivedAt FROM receipts ORDER BY received_at DESC LIMIT ?')
    .all(limit) as ReceiptRow[];
}

export interface QuarantineRow {
  readonly observationId: string;
  readonly bundle: string;
  readonly line: number;
  readonly partner: string;
  readonly federation: string;
  readonly version: number;
  readonly origin: string;
  readonly subject: string;
  readonly class: string;
  /** The signed record, canonical JSON, as it arrived. */
  readonly record: string;
  readonly certificatePem: string;
  readonly reason: string;
  /** JSON: the terms with no mapping. */
  readonly missing: string;
  /** JSON: what the crossing row will say once released. */
  readonly crossing: string;
  readonly heldAt: string;
  readonly decision: 'released' | 'rejected' | null;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
}

export function insertQuarantine(db: WriteDb, row: Omit<QuarantineRow, 'decision' | 'decidedAt' | 'decidedBy' | 'decisionReason'>): boolean {
  return (
    cachedStatement(db,
        `INSERT INTO quarantine (observation_id, bundle, line, partner, federation, version, origin, subject, class, record, certificate_pem, reason, missing, crossing, held_at)
         VALUES (@observationId, @bundle, @line, @partner, @federation, @version, @origin, @subject, @class, @record, @certificatePem, @reason, @missing, @crossing, @heldAt)
         ON CONFLICT (observation_id) DO NOTHING`,
      )
      .run(row).changes === 1
  );
}

const QUARANTINE_COLUMNS = `observation_id AS observationId, bundle, line, partner, federation, version, origin, subject, class, record,
  certificate_pem AS certificatePem, reason, missing, crossing, held_at AS heldAt, decision, decided_at AS decidedAt,
  decided_by AS decidedBy, decision_reason AS decisionReason`;

export function readQuarantine(db: ReadDb, observationId: string): QuarantineRow | undefined {
  return db.prepare(`SELECT ${QUARANTINE_COLUMNS} FROM quarantine WHERE observation_id = ?`).get(observationId) as QuarantineRow | undefined;
}

export function isQuarantined(db: ReadDb, observationId: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM quarantine WHERE observation_id = ?').get(observationId) !== undefined;
}

/** Waiting items first, oldest first; decided ones too when `all`. */
export function listQuarantine(db: ReadDb, { all, limit, offset }: { all: boolean; limit: number; offset: number }): QuarantineRow[] {
  return db
    .prepare(`SELECT ${QUARANTINE_COLUMNS} FROM quarantine ${all ? '' : 'WHERE decision IS NULL'} ORDER BY decision IS NOT NULL, held_at, observation_id LIMIT ? OFFSET ?`)
    .all(limit, offset) as QuarantineRow[];
}

export function countOpenQuarantine(db: ReadDb): number {
  return db.prepare('SELECT COUNT(*) FROM quarantine WHERE decision IS NULL').pluck().get() as number;
}

/** Records the operator's decision on a waiting item; false when it was already decided. */
export function decideQuarantine(db: WriteDb, row: { observationId: string; decision: 'released' | 'rejected'; decidedAt: string; decidedBy: string; reason: string; statement: string }): boolean {
  return (
    db
      .prepare(
        `UPDATE quarantine SET decision = @decision, decided_at = @decidedAt, decided_by = @decidedBy, decision_reason = @reason,
           decision_statement = @statement
         WHERE observation_id = @observationId AND decision IS NULL`,
      )
      .run(row).changes === 1
  );
}

export interface ExportCandidate {
  readonly rowid: number;
  readonly id: string;
  readonly mesh: string;
  readonly class: string;
  readonly deviceCertificate: string;
  /** The signed record, canonical JSON. */
  readonly record: string;
  /** For a foreign observation: the federation it came under and its onward-release rule; null for our own. */
  readonly cameUnder: string | null;
  readonly onwardRelease: string | null;
}

/**
 * Stored observations after `afterRowid` up to `upToRowid`, in storage order, with how each came
 * here — a page at a time, so no statement stays open while the caller writes or reads others.
 */
export function* iterateExportCandidates(db: ReadDb, afterRowid: number, upToRowid: number, pageSize = 1_000): Generator<ExportCandidate> {
  const page = db.prepare(
    `SELECT o.rowid AS rowid, o.id, o.mesh, o.class, o.device_certificate AS deviceCertificate, o.record,
            c.federation AS cameUnder, t.onward_release AS onwardRelease
     FROM observations o LEFT JOIN crossings c ON c.observation_id = o.id LEFT JOIN crossing_terms t ON t.sha256 = c.terms
     WHERE o.rowid > ? AND o.rowid <= ? ORDER BY o.rowid LIMIT ?`,
  );
  let after = afterRowid;
  for (;;) {
    const rows = page.all(after, upToRowid, pageSize) as ExportCandidate[];
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.rowid;
  }
}

export function latestObservationRowid(db: ReadDb): number {
  return (db.prepare('SELECT coalesce(max(rowid), 0) FROM observations').pluck().get() as number) ?? 0;
}

/** When this mesh exported the newest bundle to `partner` that the partner's receipt acknowledged. */
export function latestBundleExportAcknowledged(db: ReadDb, partner: string): string | undefined {
  return (db.prepare('SELECT max(e.exported_at) FROM bundle_exports e JOIN receipts r ON r.bundle = e.digest WHERE e.partner = ?').pluck().get(partner) as string | null) ?? undefined;
}

/** A foreign observation that came under a federation: admitted (its crossing row) or waiting in quarantine. */
export interface ArrivalRow {
  readonly rowid: number;
  readonly observationId: string;
  /** The mesh that made it, and the partner whose agent carried it (the same unless relayed). */
  readonly origin: string;
  readonly partner: string;
  /** The signed record, canonical JSON. */
  readonly record: string;
  readonly outcome: 'admitted' | 'tainted' | 'released' | 'quarantined';
}

/**
 * What came under `federation`, a page at a time (so the caller may read the store between
 * pages): the crossings' observations first, then the quarantine's items still waiting.
 */
export function* iterateArrivalsUnder(db: ReadDb, federation: string, pageSize = 1_000): Generator<ArrivalRow> {
  const crossed = db.prepare(
    `SELECT c.rowid AS rowid, c.observation_id AS observationId, c.origin, c.partner, o.record, c.outcome
     FROM crossings c JOIN observations o ON o.id = c.observation_id
     WHERE c.federation = ? AND c.rowid > ? ORDER BY c.rowid LIMIT ?`,
  );
  const waiting = db.prepare(
    `SELECT rowid, observation_id AS observationId, origin, partner, record, 'quarantined' AS outcome
     FROM quarantine WHERE federation = ? AND decision IS NULL AND rowid > ? ORDER BY rowid LIMIT ?`,
  );
  for (const page of [crossed, waiting]) {
    let after = 0;
    for (;;) {
      const rows = page.all(federation, after, pageSize) as ArrivalRow[];
      yield* rows;
      if (rows.length < pageSize) break;
      after = rows.at(-1)!.rowid;
    }
  }
}
