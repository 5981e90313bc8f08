/**
 * Live links in the store (migration 13): each partner link's state per federation, the clock
 * samples of its exchanges and the convergence records that end each sync.
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

export interface LinkRow {
  readonly partner: string;
  readonly federation: string;
  readonly disconnectedAt: string | null;
  readonly disconnectedBy: string | null;
  readonly lastContact: string | null;
  /** When the link was last found lost (the silence's start), null while it answers. */
  readonly silentSince: string | null;
  /** The silence start an `undeclared-silence` event was recorded for (one event per silence). */
  readonly silenceReported: string | null;
  readonly backlogOut: number;
  readonly backlogIn: number;
  readonly roundTripMs: number | null;
  readonly lastOutcome: string | null;
}

const LINK_COLUMNS = `partner, federation, disconnected_at AS disconnectedAt, disconnected_by AS disconnectedBy, last_contact AS lastContact,
  silent_since AS silentSince, silence_reported AS silenceReported, backlog_out AS backlogOut, backlog_in AS backlogIn,
  round_trip_ms AS roundTripMs, last_outcome AS lastOutcome`;

export function readLink(db: ReadDb, partner: string, federation: string): LinkRow | undefined {
  return cachedStatement(db, `SELECT ${LINK_COLUMNS} FROM links WHERE partner = ? AND federation = ?`).get(partner, federation) as LinkRow | undefined;
}

export function listLinkRows(db: ReadDb): LinkRow[] {
  return cachedStatement(db, `SELECT ${LINK_COLUMNS} FROM links ORDER BY federation, partner`).all() as LinkRow[];
}

function ensureLink(db: WriteDb, partner: string, federation: string): void {
  cachedStatement(db, 'INSERT INTO links (partner, federation) VALUES (?, ?) ON CONFLICT DO NOTHING').run(partner, federation);
}

/** A sync's exchange with the partner: contact now, the backlog as reconciled, the round trip. */
export function recordContact(db: WriteDb, update: { partner: string; federation: string; at: string; backlogOut: number; backlogIn: number; roundTripMs: number | null; outcome: string }): void {
  ensureLink(db, update.partner, update.federation);
  cachedStatement(
    db,
    `UPDATE links SET last_contact = @at, silent_since = NULL, backlog_out = @backlogOut, backlog_in = @backlogIn,
       round_trip_ms = COALESCE(@roundTripMs, round_trip_ms), last_outcome = @outcome
     WHERE partner = @partner AND federation = @federation`,
  ).run(update);
}

/** A failed attempt: the outcome is kept, contact is not moved. */
export function recordAttempt(db: WriteDb, partner: string, federation: string, outcome: string): void {
  ensureLink(db, partner, federation);
  cachedStatement(db, 'UPDATE links SET last_outcome = ? WHERE partner = ? AND federation = ?').run(outcome, partner, federation);
}

export function setDisconnected(db: WriteDb, partner: string, federation: string, at: string | null, by: string | null): void {
  ensureLink(db, partner, federation);
  cachedStatement(db, 'UPDATE links SET disconnected_at = ?, disconnected_by = ? WHERE partner = ? AND federation = ?').run(at, by, partner, federation);
}

export function markSilence(db: WriteDb, partner: string, federation: string, since: string, reported: boolean): void {
  ensureLink(db, partner, federation);
  cachedStatement(db, `UPDATE links SET silent_since = ?, silence_reported = CASE WHEN ? THEN ? ELSE silence_reported END WHERE partner = ? AND federation = ?`).run(since, reported ? 1 : 0, since, partner, federation);
}

export interface ClockSampleRow {
  readonly partner: string;
  readonly federation: string;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
  readonly offsetMs: number;
  readonly delayMs: number;
}

export function insertClockSamples(db: WriteDb, rows: readonly ClockSampleRow[]): void {
  const insert = cachedStatement(db, 'INSERT INTO clock_samples (partner, federation, t1, t2, t3, t4, offset_ms, delay_ms) VALUES (@partner, @federation, @t1, @t2, @t3, @t4, @offsetMs, @delayMs)');
  for (const row of rows) insert.run(row);
}

export function listClockSamples(db: ReadDb, partner: string, limit: number): ClockSampleRow[] {
  return cachedStatement(db, 'SELECT partner, federation, t1, t2, t3, t4, offset_ms AS offsetMs, delay_ms AS delayMs FROM clock_samples WHERE partner = ? ORDER BY seq DESC LIMIT ?').all(partner, limit) as ClockSampleRow[];
}

export interface ConvergenceRow {
  readonly partner: string;
  readonly federation: string;
  readonly version: number;
  readonly scope: string;
  readonly session: string;
  readonly count: number;
  readonly digest: string;
  readonly peerCount: number;
  readonly peerDigest: string;
  readonly converged: boolean;
  readonly missingHere: number;
  readonly missingThere: number;
  /** JSON: up to 100 ids of the difference left, each way. */
  readonly ids: string;
  readonly ownProof: string;
  readonly peerProof: string;
  readonly at: string;
}

const CONVERGENCE_COLUMNS = `partner, federation, version, scope, session, count, digest, peer_count AS peerCount, peer_digest AS peerDigest,
  converged, missing_here AS missingHere, missing_there AS missingThere, ids, own_proof AS ownProof, peer_proof AS peerProof, at`;

export function insertConvergence(db: WriteDb, row: ConvergenceRow): void {
  cachedStatement(
    db,
    `INSERT INTO convergence_records (partner, federation, version, scope, session, count, digest, peer_count, peer_digest, converged, missing_here, missing_there, ids, own_proof, peer_proof, at)
     VALUES (@partner, @federation, @version, @scope, @session, @count, @digest, @peerCount, @peerDigest, @converged, @missingHere, @missingThere, @ids, @ownProof, @peerProof, @at)`,
  ).run({ ...row, converged: row.converged ? 1 : 0 });
}

export function latestConvergence(db: ReadDb, partner: string, federation: string): ConvergenceRow | undefined {
  const row = cachedStatement(db, `SELECT ${CONVERGENCE_COLUMNS} FROM convergence_records WHERE partner = ? AND federation = ? ORDER BY seq DESC LIMIT 1`).get(partner, federation) as (Omit<ConvergenceRow, 'converged'> & { converged: number }) | undefined;
  return row && { ...row, converged: row.converged === 1 };
}

/** The observations admitted here from `partner` under `federation` (a link scope's received half), with their mesh time. */
export function crossedFrom(db: ReadDb, partner: string, federation: string): { id: string; hlcL: number }[] {
  return cachedStatement(
    db,
    `SELECT o.id, o.hlc_l AS hlcL FROM crossings c JOIN observations o ON o.id = c.observation_id
     WHERE c.partner = ? AND c.federation = ? AND c.outcome IN ('admitted', 'tainted', 'released')`,
  ).all(partner, federation) as { id: string; hlcL: number }[];
}

/** A stored observation's signed record and device certificate (SHA-256 and PEM), for sending. */
export function observationForSending(db: ReadDb, id: string): { record: string; certificate: string; pem: string } | undefined {
  return cachedStatement(
    db,
    `SELECT o.record, o.device_certificate AS certificate, c.pem FROM observations o JOIN certificates c ON c.sha256 = o.device_certificate WHERE o.id = ?`,
  ).get(id) as { record: string; certificate: string; pem: string } | undefined;
}
