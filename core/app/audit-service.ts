/**
 * The mesh's reconciliation log over the store: recording entries (always together with a
 * checkpoint the mesh authority signs, in one transaction, so a crash leaves a log that
 * verifies), checkpointing on demand, verifying the whole log, and listing it for the console.
 */
import type { KeyObject } from 'node:crypto';
import { AuditEntryError, filedAs, sealEntry, type AuditActor, type AuditDraft, type AuditEntry, type SealedEntry } from '../audit/entry.js';
import { authorityKeys } from '../audit/authority-key.js';
import { checkpointSignedBy, readCheckpoint, signCheckpoint, type Checkpoint } from '../audit/checkpoint.js';
import { RootAccumulator } from '../audit/tree.js';
import { verifyLog, type AuthorityKey, type LogReport } from '../audit/verify-log.js';
import { canonicalize } from '../canonical/jcs.js';
import { tick } from '../time/hlc.js';
import type { WriteDb as Db } from '../store/database.js';
import { auditLogHead, insertAuditEntries, insertCheckpoint, iterateFiledAuditEntries, latestCheckpoint, listCheckpoints, refIndexMismatches } from '../store/audit-store.js';
import { listCertificates, readCertificate, type MeshRow } from '../store/mesh-store.js';
import { Refused } from '../common/refused.js';
import { principalKey, requireMesh } from './credentials-service.js';

/** The mesh authority's signing key for checkpoints, decrypted once per operation. */
export interface LogSigner {
  readonly certificateSha256: string;
  readonly key: KeyObject;
}

export function authoritySigner(db: Db, passphrase: string | null): LogSigner {
  const mesh = requireMesh(db);
  return { certificateSha256: mesh.issuerSha256, key: principalKey(db, mesh.issuerSha256, passphrase) };
}

/** The mesh authority as an actor in the log. */
export function authorityActor(mesh: MeshRow): AuditActor {
  return { mesh: mesh.code, role: 'authority', id: 'authority', certificate: mesh.issuerSha256 };
}

/**
 * Appends entries and signs a checkpoint over the new head, in one transaction (nested in the
 * caller's, if any: the entry then commits or rolls back with the event it records). The tree
 * resumes from the last checkpoint's saved right edge, so appending is O(entries), not O(log).
 */
export function appendToLog(db: Db, signer: LogSigner, drafts: readonly AuditDraft[], now: Date = new Date()): { sealed: SealedEntry[]; checkpoint: Checkpoint } {
  const mesh = requireMesh(db);
  return db.transaction(() => {
    const head = auditLogHead(db, mesh.code);
    const tree = resumeTree(db, mesh, head.size);
    let clock = { l: head.hlcL, c: head.hlcC };
    // Wall times never run backwards within the log, even when this workstation's clock does.
    const wall = head.wall !== null && head.wall > now.toISOString() ? head.wall : now.toISOString();
    const sealed = drafts.map((draft, i) => {
      clock = tick(clock, now.getTime());
      const entry: AuditEntry = { v: 1, log: mesh.code, seq: head.size + i, ...draft, when: { wall, hlc: clock } };
      try {
        return sealEntry(entry);
      } catch (error) {
        if (error instanceof AuditEntryError) throw new Refused('malformed-entry', error.message);
        throw error;
      }
    });
    insertAuditEntries(
      db,
      sealed.map(({ entry, text, id }) => ({ log: entry.log, seq: entry.seq, id, ...filedAs(entry), entry: text, refs: entry.what.ids })),
    );
    for (const { leaf } of sealed) tree.push(leaf);
    return { sealed, checkpoint: storeCheckpoint(db, mesh, signer, tree, now) };
  })();
}

/**
 * For writers at machine cadence (a boundary agent admitting hundreds of tracks a second): entries
 * are buffered and written with one checkpoint every `checkpointEvery` entries, or at `flush()` —
 * which such a writer calls wherever an officer must be able to rely on what it reported (the end
 * of a bundle, a link going quiet). A crash loses only the unflushed buffer, never leaves an entry
 * without its checkpoint.
 */
export class LogRecorder {
  private readonly buffer: AuditDraft[] = [];

  constructor(
    private readonly db: Db,
    private readonly signer: LogSigner,
    readonly checkpointEvery = 1_000,
  ) {
    if (!Number.isSafeInteger(checkpointEvery) || checkpointEvery < 1) throw new RangeError('checkpointEvery must be a positive integer.');
  }

  get pending(): number {
    return this.buffer.length;
  }

  record(draft: AuditDraft, now?: Date): void {
    this.buffer.push(draft);
    if (this.buffer.length >= this.checkpointEvery) this.flush(now);
  }

  /** Writes what is buffered, with its checkpoint; returns that checkpoint, or null when nothing was buffered. */
  flush(now?: Date): Checkpoint | null {
    if (this.buffer.length === 0) return null;
    const drafts = this.buffer.splice(0);
    return appendToLog(this.db, this.signer, drafts, now).checkpoint;
  }
}

/** Signs a checkpoint over the current head (on demand: `entente audit checkpoint`). */
export function checkpointNow(db: Db, signer: LogSigner, now: Date = new Date()): Checkpoint {
  const mesh = requireMesh(db);
  return db.transaction(() => storeCheckpoint(db, mesh, signer, resumeTree(db, mesh, auditLogHead(db, mesh.code).size), now))();
}

function storeCheckpoint(db: Db, mesh: MeshRow, signer: LogSigner, tree: RootAccumulator, now: Date): Checkpoint {
  const previous = latestCheckpoint(db, mesh.code);
  // A checkpoint's time never precedes the one before it: readers order them by it.
  const time = previous && previous.time > now.toISOString() ? previous.time : now.toISOString();
  const checkpoint = signCheckpoint({ v: 1, log: mesh.code, size: tree.size, root: tree.root().toString('hex'), time, signer: signer.certificateSha256 }, signer.key);
  insertCheckpoint(db, { log: mesh.code, size: tree.size, root: checkpoint.body.root, time, id: checkpoint.id, envelope: canonicalize(checkpoint.envelope), frontier: tree.frontier() });
  return checkpoint;
}

/**
 * The tree as the last signed checkpoint left it. Nothing is appended to a log that no longer
 * matches its own last checkpoint: the officer is sent to `entente audit verify` instead.
 */
function resumeTree(db: Db, mesh: MeshRow, size: number): RootAccumulator {
  const last = latestCheckpoint(db, mesh.code);
  const damaged = (why: string) => new Refused('log-damaged', `The reconciliation log cannot be appended to: ${why}; run \`entente audit verify\`.`);
  if (!last) {
    if (size === 0) return new RootAccumulator();
    throw damaged(`it holds ${size} entries but no signed checkpoint`);
  }
  if (last.size !== size) throw damaged(`it holds ${size} entries but its last checkpoint covers ${last.size}`);
  const read = readCheckpoint(parseJsonOrText(last.envelope));
  const key = read.ok ? meshAuthorityKeys(db)(read.value.body.signer, new Date(read.value.body.time)) : undefined;
  if (!read.ok || !key?.ok || !checkpointSignedBy(read.value, key.publicKey) || read.value.body.root !== last.root || read.value.body.size !== last.size) {
    throw damaged('its last checkpoint does not verify');
  }
  let tree: RootAccumulator;
  try {
    tree = RootAccumulator.resume(last.size, last.frontier);
  } catch {
    throw damaged('the saved edge of its tree is unreadable');
  }
  if (tree.root().toString('hex') !== last.root) throw damaged('the saved edge of its tree does not give the last checkpoint’s root');
  return tree;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Who may sign this mesh's checkpoints, judged from the certificates the workspace holds. */
export function meshAuthorityKeys(db: Db): AuthorityKey {
  const mesh = requireMesh(db);
  return authorityKeys(
    readCertificate(db, mesh.anchorSha256)!.pem,
    listCertificates(db, mesh.code, ['ca']).map((c) => c.pem),
  );
}

/** Recomputes everything from the stored entries and checkpoints. */
export function verifyAuditLog(db: Db): LogReport {
  const mesh = requireMesh(db);
  const checkpoints = listCheckpoints(db, mesh.code).map((row) => parseJsonOrText(row.envelope));
  const report = verifyLog(mesh.code, iterateFiledAuditEntries(db, mesh.code), checkpoints, meshAuthorityKeys(db));
  // The indices the console and provenance read must say what the entries say: an edited index
  // would hide an entry from the timeline, or pin it on an observation it is not about.
  const refs = refIndexMismatches(db, mesh.code, LISTED_INDEX_MISMATCHES);
  const misfiled = [
    ...refs.missing.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `Entry ${seq} names ${ref.slice(0, 16)}…, but the store's provenance index does not find it by that id: the index was edited.` })),
    ...refs.extra.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `The store's provenance index files entry ${seq} under ${ref.slice(0, 16)}…, which the entry does not name: the index was edited.` })),
  ];
  return misfiled.length === 0 ? report : { ...report, failures: [...report.failures, ...misfiled] };
}

/** Provenance-index disagreements listed per kind; a wrecked index must not drown the reader. */
const LISTED_INDEX_MISMATCHES = 100;
