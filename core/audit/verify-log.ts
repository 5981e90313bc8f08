/**
 * Verifying a log from its stored entries and checkpoints alone, recomputing everything: each
 * entry's id and leaf, its place, the tree root at every checkpoint, each checkpoint's signature
 * against the mesh authority, forks (two roots for one size), and entries no checkpoint covers.
 * The same code checks a workspace's own log and a reviewer's exported bundle.
 */
import type { KeyObject } from 'node:crypto';
import { filedAs, readEntryText, type AuditEntry, type FiledAs } from './entry.js';
import { checkpointSignedBy, readCheckpoint, type Checkpoint, type CheckpointBody } from './checkpoint.js';
import { leafHash, RootAccumulator } from './tree.js';

export type AuthorityKey = (signer: string, at: Date) => { readonly ok: true; readonly publicKey: KeyObject } | { readonly ok: false; readonly reason: string; readonly message: string };

export interface StoredEntry {
  readonly seq: number;
  /** The id stored beside the text (its leaf hash, when nobody edited the file). */
  readonly id: string;
  readonly text: string;
  /** What a store filed the entry under for the console's filters and the next append, when it is to be checked too. */
  readonly filed?: FiledAs;
}

export interface LogFailure {
  readonly reason: string;
  /** The entry concerned, when there is one. */
  readonly seq?: number;
  /** The checkpoint size concerned, when there is one. */
  readonly size?: number;
  readonly message: string;
}

export interface LogReport {
  readonly log: string;
  readonly entries: number;
  readonly checkpoints: number;
  /** The largest checkpoint that verified, or null. */
  readonly head: CheckpointBody | null;
  readonly failures: readonly LogFailure[];
}

/** Failures beyond this many are counted, not listed: a wrecked log must not drown the reader. */
const MAX_LISTED = 1_000;

/**
 * `onEntry` sees each entry that reads and stands in its place in this log, as it is checked, so
 * a caller can hold something else against the log (the store's observations) without reading it twice.
 */
export function verifyLog(
  log: string,
  entries: Iterable<StoredEntry>,
  checkpointEnvelopes: readonly unknown[],
  authorityKey: AuthorityKey,
  onEntry?: (entry: AuditEntry) => void,
): LogReport {
  const verifier = new LogVerifier(log, checkpointEnvelopes, authorityKey, onEntry);
  for (const stored of entries) verifier.add(stored);
  return verifier.report();
}

/**
 * The same check one entry at a time, for a caller that reads the log in pages and yields
 * between them (the console's verification with progress and a cancel, core/app/audit/stepwise.ts).
 */
export class LogVerifier {
  private readonly failures: LogFailure[] = [];
  private unlisted = 0;
  private readonly bySize = new Map<number, Checkpoint[]>();
  private readonly sizes: number[];
  private readonly tree = new RootAccumulator();
  private expected = 0;
  private lastWall = '';

  constructor(
    private readonly log: string,
    checkpointEnvelopes: readonly unknown[],
    authorityKey: AuthorityKey,
    private readonly onEntry?: (entry: AuditEntry) => void,
  ) {
    const { bySize } = this;
    const rootsBySize = new Map<number, { first: string; other?: string }>();
    for (const [index, envelope] of checkpointEnvelopes.entries()) {
      const read = readCheckpoint(envelope);
      if (!read.ok) {
        this.fail({ reason: read.reason, message: `Checkpoint ${index + 1}: ${read.message}` });
        continue;
      }
      const checkpoint = read.value;
      const { body } = checkpoint;
      if (body.log !== log) {
        this.fail({ reason: 'foreign-checkpoint', size: body.size, message: `A checkpoint of log ${body.log} is stored in the log of ${log}.` });
        continue;
      }
      const key = authorityKey(body.signer, new Date(body.time));
      if (!key.ok) {
        this.fail({ reason: key.reason, size: body.size, message: `The checkpoint at size ${body.size} was signed under a credential that does not verify: ${key.message}` });
        continue;
      }
      if (!checkpointSignedBy(checkpoint, key.publicKey)) {
        this.fail({ reason: 'bad-checkpoint-signature', size: body.size, message: `The checkpoint at size ${body.size} (${body.time}) is not signed by the mesh authority it names.` });
        continue;
      }
      const same = bySize.get(body.size) ?? [];
      // Two of the roots signed for this size (one differing from the other when the log forked):
      // enough to name a fork in constant time, however many checkpoints come.
      const roots = rootsBySize.get(body.size);
      if (!roots) rootsBySize.set(body.size, { first: body.root });
      else if (roots.first !== body.root) roots.other ??= body.root;
      const other = roots === undefined ? undefined : roots.first !== body.root ? roots.first : roots.other;
      if (other !== undefined) {
        this.fail({ reason: 'forked-checkpoint', size: body.size, message: `Two signed checkpoints give size ${body.size} different roots (${other.slice(0, 16)}… and ${body.root.slice(0, 16)}…): the log was forked.` });
      }
      same.push(checkpoint);
      bySize.set(body.size, same);
    }
    this.sizes = [...bySize.keys()].sort((a, b) => a - b);
    this.checkRootsAt(0);
  }

  /** How many entries were checked so far. */
  get checked(): number {
    return this.tree.size;
  }

  add(stored: StoredEntry): void {
    if (stored.seq !== this.expected) {
      this.fail({ reason: 'missing-entry', seq: this.expected, message: `Entries ${this.expected}…${stored.seq - 1} are missing from the log.` });
    }
    const leaf = leafHash(Buffer.from(stored.text, 'utf8'));
    if (leaf.toString('hex') !== stored.id) {
      this.fail({ reason: 'entry-changed', seq: stored.seq, message: `Entry ${stored.seq} does not hash to the id stored with it: its text was changed.` });
    }
    const read = readEntryText(stored.text);
    if (!read.ok) {
      this.fail({ reason: 'malformed-entry', seq: stored.seq, message: `Entry ${stored.seq} cannot be read: ${read.message}.` });
    } else if (read.entry.seq !== stored.seq) {
      this.fail({ reason: 'entry-out-of-place', seq: stored.seq, message: `Entry ${stored.seq} says it is entry ${read.entry.seq}: entries were moved or swapped.` });
    } else if (read.entry.log !== this.log) {
      this.fail({ reason: 'foreign-entry', seq: stored.seq, message: `Entry ${stored.seq} belongs to the log of ${read.entry.log}.` });
    } else {
      // Wall times may repeat but never run backwards within one log: an entry from elsewhere shows up here.
      if (read.entry.when.wall < this.lastWall) {
        this.fail({ reason: 'entry-out-of-order', seq: stored.seq, message: `Entry ${stored.seq} is dated ${read.entry.when.wall}, before the entry ahead of it.` });
      }
      this.lastWall = read.entry.when.wall;
      this.onEntry?.(read.entry);
      const misfiled = stored.filed && misfiledField(stored.filed, read.entry);
      if (misfiled) {
        this.fail({
          reason: 'index-mismatch',
          seq: stored.seq,
          message: `Entry ${stored.seq} is filed in the store under ${misfiled.field} ${JSON.stringify(misfiled.filed)}, but says ${JSON.stringify(misfiled.actual)}: the index was edited, which hides or misplaces the entry in the timeline.`,
        });
      }
    }
    this.tree.push(leaf);
    this.expected = stored.seq + 1;
    this.checkRootsAt(this.tree.size);
  }

  /** What the entries added so far, against every checkpoint, say. */
  report(): LogReport {
    const { sizes, bySize } = this;
    const failures = [...this.failures];
    const present = this.tree.size;
    const late: LogFailure[] = [];
    for (const size of sizes) {
      if (size > present) {
        late.push({ reason: 'entries-missing', size, message: `A checkpoint covers ${size} entries but the log holds ${present}: entries at its end were removed.` });
      }
    }
    const signedSizes = sizes.filter((size) => size <= present);
    const headSize = signedSizes.at(-1) ?? 0;
    if (present > headSize) {
      late.push({ reason: 'unsigned-entries', seq: headSize, message: `Entries ${headSize}…${present - 1} are not covered by any signed checkpoint: they were appended outside Entente.` });
    }
    let unlisted = this.unlisted;
    for (const failure of late) {
      if (failures.length < MAX_LISTED) failures.push(failure);
      else unlisted += 1;
    }
    if (unlisted > 0) failures.push({ reason: 'more-failures', message: `${unlisted} more failures are not listed.` });
    const head = sizes.length > 0 ? bySize.get(sizes.at(-1)!)!.at(-1)!.body : null;
    return { log: this.log, entries: present, checkpoints: [...bySize.values()].reduce((n, list) => n + list.length, 0), head, failures };
  }

  private fail(failure: LogFailure): void {
    if (this.failures.length < MAX_LISTED) this.failures.push(failure);
    else this.unlisted += 1;
  }

  private checkRootsAt(size: number): void {
    const signed = this.bySize.get(size);
    if (!signed) return;
    const root = this.tree.root().toString('hex');
    for (const checkpoint of signed) {
      if (checkpoint.body.root !== root) {
        this.fail({ reason: 'root-mismatch', size, message: `The entries up to size ${size} do not give the root signed at ${checkpoint.body.time}: an entry before it was changed, removed, reordered or inserted.` });
      }
    }
  }
}

/** The first indexed copy that differs from the entry, if any. */
function misfiledField(filed: FiledAs, entry: AuditEntry): { field: string; filed: unknown; actual: unknown } | null {
  const actual = filedAs(entry);
  for (const field of Object.keys(actual) as (keyof FiledAs)[]) {
    if (filed[field] !== actual[field]) return { field, filed: filed[field], actual: actual[field] };
  }
  return null;
}
