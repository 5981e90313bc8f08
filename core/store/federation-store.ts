/**
 * Federations in the store: declaration versions with their signatures, withdrawals, executed
 * exits, the anchors partner meshes are pinned to, the trusted time floor, foreign observations'
 * admissions, and the one way rows leave the observation store — a purge the exit semantics
 * authorised, in one transaction.
 */
import type { DsseSignature } from '../crypto/dsse.js';
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

export interface StoredVersion {
  readonly version: number;
  readonly digest: string;
  /** Canonical JSON, as signed. */
  readonly declaration: string;
  readonly signatures: DsseSignature[];
}

export interface StoredFederation {
  readonly id: string;
  readonly versions: StoredVersion[];
  readonly withdrawals: { partner: string; reason: string; at: string; envelope: string }[];
  readonly exits: { partner: string; executedAt: string; summary: string }[];
}

export function insertVersion(db: WriteDb, row: { id: string; version: number; digest: string; declaration: string; receivedAt: string }): void {
  db.prepare('INSERT INTO federation_versions (id, version, digest, declaration, received_at) VALUES (@id, @version, @digest, @declaration, @receivedAt)').run(row);
}

/** Adds signatures not yet held; returns how many were new. */
export function insertSignatures(db: WriteDb, id: string, version: number, signatures: readonly DsseSignature[], addedAt: string): number {
  const insert = db.prepare('INSERT INTO federation_signatures (id, version, keyid, alg, sig, added_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  return signatures.reduce((added, s) => added + insert.run(id, version, s.keyid, s.alg, s.sig, addedAt).changes, 0);
}

export function listFederationIds(db: ReadDb): string[] {
  return db.prepare('SELECT DISTINCT id FROM federation_versions ORDER BY id').pluck().all() as string[];
}

export function readFederation(db: ReadDb, id: string): StoredFederation | undefined {
  const versions = db.prepare('SELECT version, digest, declaration FROM federation_versions WHERE id = ? ORDER BY version').all(id) as Omit<StoredVersion, 'signatures'>[];
  if (versions.length === 0) return undefined;
  const signatures = db.prepare('SELECT keyid, alg, sig FROM federation_signatures WHERE id = ? AND version = ? ORDER BY added_at, keyid');
  return {
    id,
    versions: versions.map((v) => ({ ...v, signatures: signatures.all(id, v.version) as DsseSignature[] })),
    withdrawals: db.prepare('SELECT partner, reason, at, envelope FROM federation_withdrawals WHERE id = ? ORDER BY at').all(id) as StoredFederation['withdrawals'],
    exits: db.prepare('SELECT partner, executed_at AS executedAt, summary FROM federation_exits WHERE id = ? ORDER BY executed_at').all(id) as StoredFederation['exits'],
  };
}

export function insertWithdrawal(db: WriteDb, row: { id: string; partner: string; reason: string; at: string; envelope: string }): boolean {
  return db.prepare('INSERT INTO federation_withdrawals (id, partner, reason, at, envelope) VALUES (@id, @partner, @reason, @at, @envelope) ON CONFLICT DO NOTHING').run(row).changes > 0;
}

export function insertExit(db: WriteDb, row: { id: string; partner: string; executedAt: string; summary: string }): void {
  db.prepare('INSERT INTO federation_exits (id, partner, executed_at, summary) VALUES (@id, @partner, @executedAt, @summary)').run(row);
}

/** mesh code → the trust anchor (SHA-256) this home knows it by. */
export function readPinnedAnchors(db: ReadDb): Map<string, string> {
  const rows = db.prepare('SELECT mesh, anchor FROM pinned_anchors').all() as { mesh: string; anchor: string }[];
  return new Map(rows.map((r) => [r.mesh, r.anchor]));
}

/** Pins a mesh code to an anchor the first time it is seen; a pin already held is kept. */
export function pinAnchor(db: WriteDb, row: { mesh: string; anchor: string; federation: string; at: string }): void {
  db.prepare('INSERT INTO pinned_anchors (mesh, anchor, federation, pinned_at) VALUES (@mesh, @anchor, @federation, @at) ON CONFLICT (mesh) DO NOTHING').run(row);
}

/** Moves a pin from `from` to `to` (a completed rotation); false when the pin was not `from`. */
export function movePin(db: WriteDb, row: { mesh: string; from: string; to: string; federation: string; at: string }): boolean {
  return db.prepare('UPDATE pinned_anchors SET anchor = @to, federation = @federation, pinned_at = @at WHERE mesh = @mesh AND anchor = @from').run(row).changes > 0;
}

export function readTimeFloor(db: ReadDb): string | undefined {
  return db.prepare('SELECT floor FROM trusted_time WHERE singleton = 1').pluck().get() as string | undefined;
}

export function raiseTimeFloor(db: WriteDb, floor: string): void {
  db.prepare('INSERT INTO trusted_time (singleton, floor) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET floor = max(floor, excluded.floor)').run(floor);
}

/**
 * A foreign admission outside the crossing (which records its own in `crossings`, migration 0015):
 * kept for what admitted foreign observations before crossings existed.
 */
export function insertAdmission(db: WriteDb, row: { observationId: string; federation: string; partner: string; admittedAt: string }): void {
  cachedStatement(db, 'INSERT INTO foreign_admissions (observation_id, federation, partner, admitted_at) VALUES (@observationId, @federation, @partner, @admittedAt)').run(row);
}

/**
 * Foreign observations admitted under `federation` from `partner` (the mesh they originate in),
 * with their class: the crossings' rows, and the admissions from before crossings (0015).
 */
export function admittedFrom(db: ReadDb, federation: string, partner: string): { id: string; class: string }[] {
  return db
    .prepare(
      `SELECT o.id, o.class FROM crossings c JOIN observations o ON o.id = c.observation_id WHERE c.federation = @federation AND c.origin = @partner
       UNION
       SELECT o.id, o.class FROM foreign_admissions a JOIN observations o ON o.id = a.observation_id WHERE a.federation = @federation AND a.partner = @partner
       ORDER BY 1`,
    )
    .all({ federation, partner }) as { id: string; class: string }[];
}

/** Every observation derived, directly or through others, from any of `ids`. */
export function derivedFrom(db: ReadDb, ids: readonly string[]): string[] {
  const children = db.prepare('SELECT observation_id FROM observation_sources WHERE source_id = ?').pluck();
  const found = new Set<string>();
  const given = new Set(ids);
  const queue = [...ids];
  while (queue.length > 0) {
    for (const child of children.all(queue.pop()!) as string[]) {
      if (found.has(child) || given.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found].sort();
}

/** Deletes exactly these observations (and their source edges); the caller holds the transaction and records the purge. */
export function purgeObservations(db: WriteDb, ids: readonly string[]): number {
  const authorise = db.prepare('INSERT INTO purge_authorizations (observation_id) VALUES (?) ON CONFLICT DO NOTHING');
  const dropSources = db.prepare('DELETE FROM observation_sources WHERE observation_id = ?');
  const drop = db.prepare('DELETE FROM observations WHERE id = ?');
  const dropAdmission = db.prepare('DELETE FROM foreign_admissions WHERE observation_id = ?');
  let purged = 0;
  for (const id of ids) {
    authorise.run(id);
    dropSources.run(id);
    purged += drop.run(id).changes;
    dropAdmission.run(id);
  }
  db.prepare('DELETE FROM purge_authorizations').run();
  return purged;
}
