/**
 * Issue 15, Speed (group `reconcile`): the joint picture kept on insert.
 * - 1,000 observations stored into a store of 1,000,000 (100,000 subjects) against the same
 *   1,000 into an empty store, each with its signature checked (on the product's signature pool,
 *   every core, as admission checks them) and the picture and divergence
 *   of the subjects touched recomputed in the storing transaction (target ≤ 2×); and a full
 *   recomputation of the picture of the big store.
 * - Conflict-aware merge against Automerge: 1,000 remote observations from a second mesh, 500
 *   of them concurrent and conflicting with local ones, into a store of 20,000 subjects, with
 *   signature checks and divergence scoring, against `Automerge.merge` of a 20,000-entry map
 *   with 1,000 changes per side and 500 conflicting keys (target ≤ 0.5×, exactly 500 conflicts).
 * --quick: 20,000 observations over 2,000 subjects for the first, 2,000 subjects for the second.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Automerge from '@automerge/automerge';
import { observationRow } from '../core/app/observations/observation-service.js';
import { keepPicture, rebuildPicture } from '../core/app/reconcile/keep.js';
import { checkedId, GOOD, startSignaturePool, UNCHECKED, type SignaturePool } from '../core/app/crossing/signature-pool.js';
import { createServices } from '../core/app/services.js';
import { hasPlainShape } from '../core/observation/plain-shape.js';
import { ObservationVerifier, signObservation, type GovernedObservation, type UnsignedObservation } from '../core/observation/index.js';
import { openDatabase, type WriteDb } from '../core/store/database.js';
import { readCertificate, readMesh, readPrincipal } from '../core/store/mesh-store.js';
import { appendObservations } from '../core/store/observation-store.js';
import { round, type Measurement } from './timing.js';

interface Signer {
  readonly db: WriteDb;
  readonly mesh: string;
  readonly anchor: string;
  readonly issuer: string;
  readonly certificate: string;
  /** The device certificate (PEM), for the signature pool's workers. */
  readonly certificatePem: string;
  readonly key: KeyObject;
  readonly publicKey: KeyObject;
}

const T0 = Date.now();

async function signerHome(dir: string, code: string): Promise<Signer> {
  const db = openDatabase(join(dir, `${code}.db`));
  const { mesh, credentials, context } = createServices(db);
  await mesh.init({ mesh: code, algorithm: 'Ed25519', encryptKeys: false });
  await credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  const certificate = readPrincipal(db, 'device', 'uav-7')!.certificateSha256;
  const key = await context.writing().keyring.key(certificate);
  const row = readMesh(db)!;
  return { db, mesh: code, anchor: row.anchorSha256, issuer: row.issuerSha256, certificate, certificatePem: readCertificate(db, certificate)!.pem, key, publicKey: createPublicKey(key) };
}

function record(s: Signer, subject: string, payload: Record<string, unknown>, at: number): GovernedObservation {
  const unsigned: UnsignedObservation = {
    v: 1,
    mesh: s.mesh,
    subject,
    class: 'track',
    payload: payload as UnsignedObservation['payload'],
    label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' },
    time: { reference: 'local', wall: new Date(at).toISOString(), hlc: { l: at, c: 0 } },
    authority: { anchor: s.anchor, issuer: s.issuer },
    device: { id: 'uav-7', certificate: s.certificate },
    lineage: { device: 'uav-7', sources: [], derivation: null },
  };
  return signObservation(unsigned, s.key);
}

/** Batches of 1,000 admitted into each store (see reconcileFigures). */
const ADMIT_BATCHES = 6;

/** Fills the store with `count` observations over `subjects` subjects, in chunks, then computes the picture whole: its seconds. */
function fill(s: Signer, count: number, subjects: number, payloadOf: (n: number) => Record<string, unknown>, at: (n: number) => number): number {
  const stored = new Date(T0 + 10_000_000);
  for (let from = 0; from < count; from += 10_000) {
    const rows = [];
    for (let n = from; n < Math.min(count, from + 10_000); n++) {
      const r = record(s, `track:${n % subjects}`, payloadOf(n), at(n));
      rows.push(observationRow(r, idOf(r), stored));
    }
    appendObservations(s.db, rows);
  }
  const op = createServices(s.db).context.writing();
  const started = performance.now();
  rebuildPicture(op, stored);
  return (performance.now() - started) / 1000;
}

/**
 * Verifies each record's signature, stores it and keeps the picture: its seconds. The signatures
 * are checked as admission checks them (core/app/crossing/import.ts): on the product's signature
 * pool, every core, each worker's verdict standing in for the verifier's own signature check of a
 * plain record, every other check (shape, the credential: here the device's key, the lookup being
 * the admission's, measured in the crossing bench) still run by the verifier; a record the pool
 * left unchecked is checked in this thread, and one that fails either way fails the bench. The
 * pool is started, and its workers warmed, before the clock starts, as in a running app; the
 * storing and the picture's upkeep (keepPicture) are one transaction, as before.
 */
async function admit(target: WriteDb, records: readonly GovernedObservation[], from: Signer[], pool: SignaturePool): Promise<number> {
  const keys = new Map(from.map((s) => [s.certificate, s.publicKey]));
  const verifier = new ObservationVerifier((r) => ({ ok: true, publicKey: keys.get(r.device.certificate)! }));
  const op = createServices(target).context.writing();
  const now = new Date(T0 + 20_000_000);
  const started = performance.now();
  const checks = await pool.check(records);
  target.transaction(() => {
    const rows = records.map((r, i) => {
      const verdict = checks.verdicts[i] ?? UNCHECKED;
      const id = checkedId(checks, i);
      // As the judge takes it (core/app/crossing/judge.ts): the worker's verdict and id, for a plain record it checked.
      const checked = verdict !== UNCHECKED && id !== undefined && hasPlainShape(r) ? verifier.verify(r, now, { id, signatureVerified: verdict === GOOD }) : verifier.verify(r, now);
      if (!checked.ok) throw new Error(`bench: a record failed its check: ${checked.message}`);
      return observationRow(r, checked.id, now);
    });
    appendObservations(target, rows);
    keepPicture(op, null, rows.map((r) => r.id), now);
  })();
  return (performance.now() - started) / 1000;
}

/** The product's signature pool on every core, told the signers' device certificates and run once over a few of their records, so its workers are started and warm before anything is timed. */
async function warmPool(url: URL, signers: readonly Signer[]): Promise<SignaturePool> {
  const pool = startSignaturePool({ url });
  for (const s of signers) pool.addCertificate(s.certificatePem);
  const warm = signers.flatMap((s) => Array.from({ length: 256 }, (_, n) => record(s, `track:warm-${n}`, { warm: n }, T0)));
  const checks = await pool.check(warm);
  if (!checks.verdicts.every((v) => v === GOOD)) throw new Error('bench: the signature pool did not check the warm-up records good');
  return pool;
}

function idOf(r: GovernedObservation): string {
  return new ObservationVerifier(() => ({ ok: false, reason: 'x', message: 'x' })).verify(r, new Date()).id!;
}

export async function reconcileFigures(options: { quick: boolean; signatureWorkerUrl: URL }): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-reconcile-'));
  const results: Measurement[] = [];
  try {
    // 1. Admission cost against store size.
    const big = options.quick ? 20_000 : 1_000_000;
    const subjects = options.quick ? 2_000 : 100_000;
    const full = await signerHome(dir, 'DEU');
    const empty = await signerHome(dir, 'NLD');
    const recompute = fill(full, big, subjects, (n) => ({ lat: 52 + (n % 97) / 100, lon: 5.2, speed: 41.5 }), (n) => T0 - 3_600_000 + n);
    // Both stores start from a checkpointed log: the fill leaves the big one's write-ahead log at
    // wherever its last block ended, and a batch that crosses the automatic checkpoint's threshold
    // (database.ts) pays for copying the log into the file, so one batch measured alone read 1.9
    // or 2.3 by where the fill stopped. Several batches, alternated between the stores, each pay
    // their share of the checkpoints their pages bring on: the figure is the mean batch.
    for (const s of [full, empty]) s.db.pragma('wal_checkpoint(TRUNCATE)');
    // Each batch: 1,000 new records touching 1,000 subjects the big store holds, the same for both stores.
    const batches = Array.from({ length: ADMIT_BATCHES }, (_, b) =>
      Array.from({ length: 1_000 }, (_, n) => record(full, `track:${(n * 7 + b * 7_001) % subjects}`, { lat: 60, lon: 5.2, speed: 12 + b }, T0 + b * 1_000 + n)),
    );
    const pool = await warmPool(options.signatureWorkerUrl, [full]);
    let intoEmpty = 0;
    let intoFull = 0;
    try {
      for (const batch of batches) {
        intoEmpty += (await admit(empty.db, batch, [full], pool)) / batches.length;
        intoFull += (await admit(full.db, batch, [full], pool)) / batches.length;
      }
    } finally {
      await pool.close();
    }
    results.push(
      { name: 'reconcile.admit-1000.empty-store', value: round(intoEmpty * 1000), unit: 'ms' },
      { name: `reconcile.admit-1000.store-${big}`, value: round(intoFull * 1000), unit: 'ms' },
      { name: `reconcile.admit-1000.store-${big}.ratio`, value: Math.round((intoFull / intoEmpty) * 1000) / 1000, unit: 'ratio', ratio_to: 'reconcile.admit-1000.empty-store' },
      { name: `reconcile.full-recompute.store-${big}`, value: round(recompute * 1000), unit: 'ms' },
    );
    full.db.close();
    empty.db.close();

    // 2. Against Automerge.
    const keys = options.quick ? 2_000 : 20_000;
    const local = await signerHome(dir, 'FRA');
    const remote = await signerHome(dir, 'GBR');
    fill(local, keys, keys, (n) => ({ value: n }), () => T0);
    const incoming = Array.from({ length: 1_000 }, (_, n) =>
      n < 500 ? record(remote, `track:${n}`, { value: -n - 1 }, T0 + 1_000) : record(remote, `track:new-${n}`, { value: n }, T0 + 1_000),
    );
    const remotePool = await warmPool(options.signatureWorkerUrl, [remote]);
    let ours: number;
    try {
      ours = await admit(local.db, incoming, [remote], remotePool);
    } finally {
      await remotePool.close();
    }
    const conflicts = local.db.prepare('SELECT COUNT(*) FROM picture_subjects WHERE divergence > 0').pluck().get() as number;
    const theirs = automergeMerge(keys);
    results.push(
      { name: `reconcile.merge-1000-into-${keys}.ours`, value: round(ours * 1000), unit: 'ms' },
      { name: `reconcile.merge-1000-into-${keys}.automerge`, value: round(theirs.seconds * 1000), unit: 'ms' },
      { name: `reconcile.merge-1000-into-${keys}.ratio`, value: Math.round((ours / theirs.seconds) * 1000) / 1000, unit: 'ratio', ratio_to: `reconcile.merge-1000-into-${keys}.automerge` },
      { name: 'reconcile.merge.conflicts-reported', value: conflicts, unit: 'subjects' },
      { name: 'reconcile.merge.automerge-conflicts', value: theirs.conflicts, unit: 'keys' },
    );
    local.db.close();
    remote.db.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `keys`-entry map, forked; 1,000 changes on each side, 500 of them on the same keys; the seconds `merge` takes and the conflicts it holds after. */
function automergeMerge(keys: number): { seconds: number; conflicts: number } {
  const initial: Record<string, number> = {};
  for (let n = 0; n < keys; n++) initial[`track:${n}`] = n;
  const base = Automerge.from<{ map: Record<string, number> }>({ map: initial });
  const left = Automerge.change(Automerge.clone(base), (d) => {
    for (let n = 0; n < 1_000; n++) d.map[`track:${n < 500 ? n : keys - 1 - n}`] = n + 1;
  });
  const right = Automerge.change(Automerge.clone(base), (d) => {
    for (let n = 0; n < 1_000; n++) d.map[n < 500 ? `track:${n}` : `track:new-${n}`] = -n - 1;
  });
  const started = performance.now();
  const merged = Automerge.merge(Automerge.clone(left), right);
  const seconds = (performance.now() - started) / 1000;
  let conflicts = 0;
  for (let n = 0; n < 500; n++) if (Object.keys(Automerge.getConflicts(merged.map, `track:${n}`) ?? {}).length > 1) conflicts += 1;
  return { seconds, conflicts };
}
