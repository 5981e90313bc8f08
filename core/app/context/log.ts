/**
 * The log, as every service writes to it: entries appended together with a checkpoint the mesh
 * authority signs, in one transaction (nested in the caller's, if any), so a crash leaves a log
 * that verifies; checkpoints on demand; and a buffered recorder for writers at machine cadence.
 */
import type { KeyObject } from 'node:crypto';
import { checkpointSignedBy, readCheckpoint, signCheckpoint, type Checkpoint } from '../../audit/checkpoint.js';
import { AuditEntryError, filedAs, sealEntry, type AuditActor, type AuditDraft, type AuditEntry, type SealedEntry } from '../../audit/entry.js';
import { RootAccumulator } from '../../audit/tree.js';
import { canonicalize } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';
import type { WriteDb } from '../../store/database.js';
import { auditLogHead, insertAuditEntries, insertCheckpoint, latestCheckpoint } from '../../store/audit-store.js';
import type { MeshRow } from '../../store/mesh-store.js';
import { tick } from '../../time/hlc.js';
import type { Keyring } from './keyring.js';
import type { MeshContext } from './mesh-context.js';

/** The mesh authority's signing key for checkpoints. */
export interface LogSigner {
  readonly certificateSha256: string;
  readonly key: KeyObject;
}

export async function authoritySigner(context: MeshContext, keyring: Keyring): Promise<LogSigner> {
  return { certificateSha256: context.mesh.issuerSha256, key: await keyring.key(context.mesh.issuerSha256) };
}

/** The mesh authority as an actor in the log. */
export function authorityActor(mesh: MeshRow): AuditActor {
  return { mesh: mesh.code, role: 'authority', id: 'authority', certificate: mesh.issuerSha256 };
}

/** The log of one mesh, bound to its store and its authority's key. */
export interface Log {
  readonly signer: LogSigner;
  /** Appends entries and signs a checkpoint over the new head, in one transaction. */
  append(drafts: readonly AuditDraft[], now: Date): { sealed: SealedEntry[]; checkpoint: Checkpoint };
  /** Signs a checkpoint over the current head. */
  checkpoint(now: Date): Checkpoint;
}

export function bindLog(db: WriteDb, context: MeshContext, signer: LogSigner): Log {
  return {
    signer,
    append: (drafts, now) => appendToLog(db, context, signer, drafts, now),
    checkpoint: (now) => db.transaction(() => storeCheckpoint(db, context, signer, resumeTree(db, context, auditLogHead(db, context.mesh.code).size), now))(),
  };
}

/**
 * Appends entries and signs a checkpoint over the new head, in one transaction (nested in the
 * caller's, if any: the entry then commits or rolls back with the event it records). The tree
 * resumes from the last checkpoint's saved right edge, so appending is O(entries), not O(log).
 */
export function appendToLog(db: WriteDb, context: MeshContext, signer: LogSigner, drafts: readonly AuditDraft[], now: Date): { sealed: SealedEntry[]; checkpoint: Checkpoint } {
  const { mesh } = context;
  return db.transaction(() => {
    const head = auditLogHead(db, mesh.code);
    const tree = resumeTree(db, context, head.size);
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
    return { sealed, checkpoint: storeCheckpoint(db, context, signer, tree, now) };
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
    private readonly log: Log,
    private readonly wall: () => Date,
    readonly checkpointEvery = 1_000,
  ) {
    if (!Number.isSafeInteger(checkpointEvery) || checkpointEvery < 1) throw new RangeError('checkpointEvery must be a positive integer.');
  }

  get pending(): number {
    return this.buffer.length;
  }

  record(draft: AuditDraft): void {
    this.buffer.push(draft);
    if (this.buffer.length >= this.checkpointEvery) this.flush();
  }

  /** Writes what is buffered, with its checkpoint; returns that checkpoint, or null when nothing was buffered. */
  flush(): Checkpoint | null {
    if (this.buffer.length === 0) return null;
    const drafts = this.buffer.splice(0);
    return this.log.append(drafts, this.wall()).checkpoint;
  }
}

function storeCheckpoint(db: WriteDb, { mesh }: MeshContext, signer: LogSigner, tree: RootAccumulator, now: Date): Checkpoint {
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
function resumeTree(db: WriteDb, context: MeshContext, size: number): RootAccumulator {
  const last = latestCheckpoint(db, context.mesh.code);
  const damaged = (why: string) => new Refused('log-damaged', `The reconciliation log cannot be appended to: ${why}; run \`entente audit verify\`.`);
  if (!last) {
    if (size === 0) return new RootAccumulator();
    throw damaged(`it holds ${size} entries but no signed checkpoint`);
  }
  if (last.size !== size) throw damaged(`it holds ${size} entries but its last checkpoint covers ${last.size}`);
  const read = readCheckpoint(parseJsonOrText(last.envelope));
  const key = read.ok ? context.authorityKeys(read.value.body.signer, new Date(read.value.body.time)) : undefined;
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

/** A stored envelope as JSON, or its text when it no longer parses (verification then names it). */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
