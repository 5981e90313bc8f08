/**
 * The persistent range-fingerprint index (decision 0006, migration 0012): the negentropy
 * storage over SQLite for one scope. Items sit in `sync_items` in (ts, id) order; `sync_runs`
 * partitions them into consecutive runs of at most MAX_RUN items, each with its count and the
 * 256-bit sum of its ids; `sync_scopes` holds the whole scope's count and sum, so the set's
 * fingerprint is one row. A session reads the run rows once (N / ~256 of them), then every
 * `fingerprint`, `getItem` and `findLowerBound` is a binary search over them plus at most two
 * runs' items (≤ MAX_RUN rows each, a few kept cached), never the whole set.
 *
 * Writes happen in the caller's transaction: adding an item updates its run, splits a run that
 * grew past MAX_RUN, and the scope row, so the summaries never disagree with the items.
 */
import { compareItems, fingerprintOf, IdSum, INFINITE_TIMESTAMP, type Bound, type Item, type NegentropyStorage } from '../boundary/negentropy/index.js';
import { Refused } from '../common/refused.js';
import type { ExportCandidate } from './crossing-store.js';
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

/** A run splits in two once it holds more items than this. */
export const MAX_RUN = 512;
/** Runs a rebuild writes: between half and all of MAX_RUN, so new items do not split at once. */
const BUILD_RUN = 384;
/**
 * Runs' items kept in memory: a message's first pass splits the whole set into 16 ranges and
 * reads both ends of each (32 runs), so fewer thrash; 64 runs of ≤ 512 items are a few MB.
 */
const CACHED_RUNS = 64;

const ZERO_SUM = new Uint8Array(32);

export interface SyncScopeSummary {
  readonly scope: string;
  readonly count: number;
  /** The ids' sum mod 2^256, little-endian. */
  readonly sum: Uint8Array;
  /** The negentropy fingerprint of the whole scope (16 bytes): what convergence proofs compare. */
  readonly fingerprint: Uint8Array;
  /** The federation version the scope was last rebuilt under; null when it never was. */
  readonly version: number | null;
  readonly builtAt: string;
}

interface RunRow {
  ts: number;
  id: Buffer;
  count: number;
  sum: Buffer;
}

/**
 * Adds one item to a scope (a no-op when it is there already); returns whether it was new.
 * Call it in the transaction that stores the observation.
 */
export function addSyncItem(db: WriteDb, scope: string, item: Item, at: string): boolean {
  const id = Buffer.from(item.id.buffer, item.id.byteOffset, item.id.length);
  const added = cachedStatement(db, 'INSERT OR IGNORE INTO sync_items (scope, ts, id) VALUES (?, ?, ?)').run(scope, item.timestamp, id);
  if (added.changes === 0) return false;

  const run = cachedStatement(
    db,
    'SELECT ts, id, count, sum FROM sync_runs WHERE scope = ? AND (ts, id) <= (?, ?) ORDER BY ts DESC, id DESC LIMIT 1',
  ).get(scope, item.timestamp, id) as RunRow | undefined;
  if (run) {
    const sum = Buffer.from(IdSum.of(run.sum).add(item.id).bytes());
    cachedStatement(db, 'UPDATE sync_runs SET count = count + 1, sum = ? WHERE scope = ? AND ts = ? AND id = ?').run(sum, scope, run.ts, run.id);
    if (run.count + 1 > MAX_RUN) splitRun(db, scope, run.ts, run.id, run.count + 1);
  } else {
    // Before every run: the first run now starts at this item (or it is the scope's first).
    const first = cachedStatement(db, 'SELECT ts, id, count, sum FROM sync_runs WHERE scope = ? ORDER BY ts, id LIMIT 1').get(scope) as RunRow | undefined;
    if (first) cachedStatement(db, 'DELETE FROM sync_runs WHERE scope = ? AND ts = ? AND id = ?').run(scope, first.ts, first.id);
    const count = (first?.count ?? 0) + 1;
    const sum = Buffer.from(IdSum.of(first?.sum ?? ZERO_SUM).add(item.id).bytes());
    cachedStatement(db, 'INSERT INTO sync_runs (scope, ts, id, count, sum) VALUES (?, ?, ?, ?, ?)').run(scope, item.timestamp, id, count, sum);
    if (count > MAX_RUN) splitRun(db, scope, item.timestamp, id, count);
  }

  const total = cachedStatement(db, 'SELECT sum FROM sync_scopes WHERE scope = ?').pluck().get(scope) as Buffer | undefined;
  const sum = Buffer.from(IdSum.of(total ?? ZERO_SUM).add(item.id).bytes());
  cachedStatement(
    db,
    `INSERT INTO sync_scopes (scope, count, sum, built_at) VALUES (?, 1, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET count = count + 1, sum = excluded.sum`,
  ).run(scope, sum, at);
  return true;
}

/** The run starting at (ts, id) with `count` items becomes two of about half each. */
function splitRun(db: WriteDb, scope: string, ts: number, id: Buffer, count: number): void {
  const items = runItems(db, scope, ts, id, count);
  const half = Math.floor(count / 2);
  const low = new IdSum();
  for (const item of items.slice(0, half)) low.add(item.id);
  const high = new IdSum();
  for (const item of items.slice(half)) high.add(item.id);
  cachedStatement(db, 'UPDATE sync_runs SET count = ?, sum = ? WHERE scope = ? AND ts = ? AND id = ?').run(half, Buffer.from(low.bytes()), scope, ts, id);
  const start = items[half] as Item;
  cachedStatement(db, 'INSERT INTO sync_runs (scope, ts, id, count, sum) VALUES (?, ?, ?, ?, ?)').run(
    scope,
    start.timestamp,
    Buffer.from(start.id),
    count - half,
    Buffer.from(high.bytes()),
  );
}

function runItems(db: ReadDb, scope: string, ts: number, id: Uint8Array, count: number): Item[] {
  const rows = cachedStatement(db, 'SELECT ts, id FROM sync_items WHERE scope = ? AND (ts, id) >= (?, ?) ORDER BY ts, id LIMIT ?').all(
    scope,
    ts,
    Buffer.from(id.buffer, id.byteOffset, id.length),
    count,
  ) as { ts: number; id: Buffer }[];
  return rows.map((row) => ({ timestamp: row.ts, id: new Uint8Array(row.id.buffer, row.id.byteOffset, row.id.length) }));
}

/**
 * Replaces a scope's whole contents with `items` (any order, no duplicates): what a rebuild
 * writes when a declaration version comes into force, in the caller's transaction.
 */
export function replaceSyncScope(db: WriteDb, scope: string, items: readonly Item[], built: { version: number | null; at: string }): void {
  deleteSyncScope(db, scope);
  const sorted = [...items].sort(compareItems);
  const insertItem = cachedStatement(db, 'INSERT INTO sync_items (scope, ts, id) VALUES (?, ?, ?)');
  const insertRun = cachedStatement(db, 'INSERT INTO sync_runs (scope, ts, id, count, sum) VALUES (?, ?, ?, ?, ?)');
  const total = new IdSum();
  for (let start = 0; start < sorted.length; start += BUILD_RUN) {
    const run = sorted.slice(start, start + BUILD_RUN);
    const sum = new IdSum();
    for (const item of run) {
      insertItem.run(scope, item.timestamp, Buffer.from(item.id.buffer, item.id.byteOffset, item.id.length));
      sum.add(item.id);
    }
    total.addSum(sum);
    const first = run[0] as Item;
    insertRun.run(scope, first.timestamp, Buffer.from(first.id), run.length, Buffer.from(sum.bytes()));
  }
  cachedStatement(db, 'INSERT INTO sync_scopes (scope, count, sum, version, built_at) VALUES (?, ?, ?, ?, ?)').run(
    scope,
    sorted.length,
    Buffer.from(total.bytes()),
    built.version,
    built.at,
  );
}

export function deleteSyncScope(db: WriteDb, scope: string): void {
  for (const table of ['sync_items', 'sync_runs', 'sync_scopes']) cachedStatement(db, `DELETE FROM ${table} WHERE scope = ?`).run(scope);
}

/** The scope's count, sum and fingerprint from its one row; undefined when it was never built. */
export function syncScopeSummary(db: ReadDb, scope: string): SyncScopeSummary | undefined {
  const row = cachedStatement(db, 'SELECT scope, count, sum, version, built_at AS builtAt FROM sync_scopes WHERE scope = ?').get(scope) as
    | { scope: string; count: number; sum: Buffer; version: number | null; builtAt: string }
    | undefined;
  if (!row) return undefined;
  const sum = Uint8Array.from(row.sum);
  return { scope: row.scope, count: row.count, sum, fingerprint: fingerprintOf(sum, row.count), version: row.version, builtAt: row.builtAt };
}

export function listSyncScopes(db: ReadDb): string[] {
  return db.prepare('SELECT scope FROM sync_scopes ORDER BY scope').pluck().all() as string[];
}

/** Whether the scope holds the item (for tests and for the app's duplicate checks). */
export function hasSyncItem(db: ReadDb, scope: string, item: Item): boolean {
  return cachedStatement(db, 'SELECT 1 FROM sync_items WHERE scope = ? AND ts = ? AND id = ?').get(scope, item.timestamp, Buffer.from(item.id)) !== undefined;
}

/**
 * Whether the scope holds the stored observation `id` (hex): its item is (the row's `hlc_l`, id),
 * so one primary-key probe answers it. What a link checks before sending an id a peer asked for.
 */
export function syncScopeHolds(db: ReadDb, scope: string, id: string): boolean {
  return (
    cachedStatement(db, 'SELECT 1 FROM observations o JOIN sync_items s ON s.scope = ? AND s.ts = o.hlc_l AND s.id = ? WHERE o.id = ?').get(scope, Buffer.from(id, 'hex'), id) !==
    undefined
  );
}

/** A stored observation with what scope membership is judged on: how it came here, and its mesh time. */
export interface SyncCandidate extends ExportCandidate {
  /** `hlc.l` of the signed record: the item's timestamp. */
  readonly hlcL: number;
  /** For a foreign observation, the partner it was admitted from (who may have relayed it). */
  readonly cameFrom: string | null;
}

const CANDIDATE_COLUMNS = `o.rowid AS rowid, o.id, o.mesh, o.class, o.device_certificate AS deviceCertificate, o.record, o.hlc_l AS hlcL,
  c.federation AS cameUnder, t.onward_release AS onwardRelease, c.partner AS cameFrom`;

/** The candidates among `ids` (stored ones only), for indexing what a transaction just stored. */
export function syncCandidatesOf(db: ReadDb, ids: readonly string[]): SyncCandidate[] {
  const one = cachedStatement(db, `SELECT ${CANDIDATE_COLUMNS} FROM observations o LEFT JOIN crossings c ON c.observation_id = o.id LEFT JOIN crossing_terms t ON t.sha256 = c.terms WHERE o.id = ?`);
  return ids.flatMap((id) => (one.get(id) as SyncCandidate | undefined) ?? []);
}

/** Every stored observation as a candidate, a page at a time in storage order: what a rebuild reads. */
export function* iterateSyncCandidates(db: ReadDb, pageSize = 1_000): Generator<SyncCandidate> {
  const page = db.prepare(
    `SELECT ${CANDIDATE_COLUMNS} FROM observations o LEFT JOIN crossings c ON c.observation_id = o.id LEFT JOIN crossing_terms t ON t.sha256 = c.terms WHERE o.rowid > ? ORDER BY o.rowid LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = page.all(after, pageSize) as SyncCandidate[];
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.rowid;
  }
}

/**
 * The negentropy storage of one scope as it is now. It reads the run rows when made and the
 * items as asked: make it inside a read transaction, or a fresh one per message, if the scope
 * may be written meanwhile (positions are only used within one message). A fresh one made from
 * the `previous` keeps the runs it had read that are unchanged since — same first item, count
 * and id sum, so the same items — which a session re-reads every message otherwise.
 */
export function openSyncIndex(db: ReadDb, scope: string, previous?: SyncIndexStorage): SyncIndexStorage {
  return new SyncIndexStorage(db, scope, previous?.runCache);
}

export class SyncIndexStorage implements NegentropyStorage {
  /** Per run: its first item, its first position, and the sum of every run before it. */
  private readonly starts: Item[] = [];
  private readonly positions: number[] = [0];
  private readonly prefixSums: Uint8Array[] = [ZERO_SUM];
  /** Per run, what identifies its items: first item, count and id sum. */
  private readonly runKeys: string[] = [];
  /** Items by run key, least recently used first; shared with the storage opened after this one. */
  readonly runCache: Map<string, Item[]>;

  constructor(
    private readonly db: ReadDb,
    private readonly scope: string,
    inherited?: Map<string, Item[]>,
  ) {
    this.runCache = inherited ?? new Map();
    const running = new IdSum();
    let position = 0;
    const rows = db.prepare('SELECT ts, id, count, sum FROM sync_runs WHERE scope = ? ORDER BY ts, id').all(scope) as RunRow[];
    for (const row of rows) {
      this.runKeys.push(`${row.ts}:${row.id.toString('hex')}:${row.count}:${row.sum.toString('hex')}`);
      this.starts.push({ timestamp: row.ts, id: new Uint8Array(row.id.buffer, row.id.byteOffset, row.id.length) });
      position += row.count;
      this.positions.push(position);
      this.prefixSums.push(running.add(row.sum).bytes());
    }
  }

  size(): number {
    return this.positions[this.positions.length - 1] as number;
  }

  getItem(i: number): Item {
    this.checkRange(i, i + 1);
    const run = this.runAt(i);
    return this.items(run)[i - (this.positions[run] as number)] as Item;
  }

  iterate(begin: number, end: number, visit: (item: Item, i: number) => boolean): void {
    this.checkRange(begin, end);
    let i = begin;
    while (i < end) {
      const run = this.runAt(i);
      const first = this.positions[run] as number;
      const items = this.items(run);
      const stop = Math.min(end, this.positions[run + 1] as number);
      for (; i < stop; i++) if (!visit(items[i - first] as Item, i)) return;
    }
  }

  findLowerBound(begin: number, end: number, bound: Bound): number {
    this.checkRange(begin, end);
    return Math.min(Math.max(this.lowerBound(bound), begin), end);
  }

  fingerprint(begin: number, end: number): Uint8Array {
    this.checkRange(begin, end);
    if (begin === end) return fingerprintOf(ZERO_SUM, 0);
    const first = this.runAt(begin);
    const last = this.runAt(end - 1);
    const sum = new IdSum();
    if (first === last) {
      this.addItems(sum, first, begin, end);
    } else {
      this.addItems(sum, first, begin, this.positions[first + 1] as number);
      // Whole runs in between: a difference of two prefix sums.
      sum.add(this.prefixSums[last] as Uint8Array).subtract(this.prefixSums[first + 1] as Uint8Array);
      this.addItems(sum, last, this.positions[last] as number, end);
    }
    return sum.fingerprint(end - begin);
  }

  /** The position of the first item ≥ bound in the whole scope. */
  private lowerBound(bound: Bound): number {
    if (bound.timestamp === INFINITE_TIMESTAMP) return this.size();
    // The last run whose first item is ≤ bound: the bound falls in it (or before every run).
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareItems(this.starts[mid] as Item, bound) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const run = lo - 1;
    if (run < 0) return 0;
    const items = this.items(run);
    let a = 0;
    let b = items.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (compareItems(items[mid] as Item, bound) < 0) a = mid + 1;
      else b = mid;
    }
    return (this.positions[run] as number) + a;
  }

  /** The run holding position i (0 ≤ i < size). */
  private runAt(i: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.positions[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Adds the ids at positions from..to-1 of one run: its stored sum when whole, else its items. */
  private addItems(sum: IdSum, run: number, from: number, to: number): void {
    const runFirst = this.positions[run] as number;
    const runEnd = this.positions[run + 1] as number;
    if (from === runFirst && to === runEnd) {
      sum.add(this.prefixSums[run + 1] as Uint8Array).subtract(this.prefixSums[run] as Uint8Array);
      return;
    }
    const items = this.items(run);
    for (let i = from; i < to; i++) sum.add((items[i - runFirst] as Item).id);
  }

  private items(run: number): Item[] {
    const key = this.runKeys[run] as string;
    let items = this.runCache.get(key);
    if (items) {
      // Most recently used last, so the oldest is the first key.
      this.runCache.delete(key);
      this.runCache.set(key, items);
      return items;
    }
    const start = this.starts[run] as Item;
    const count = (this.positions[run + 1] as number) - (this.positions[run] as number);
    items = runItems(this.db, this.scope, start.timestamp, start.id, count);
    if (items.length !== count) {
      throw new Refused('sync-index-changed', `sync index of ${this.scope} changed while a session read it: open it again`);
    }
    this.runCache.set(key, items);
    if (this.runCache.size > CACHED_RUNS) this.runCache.delete(this.runCache.keys().next().value as string);
    return items;
  }

  private checkRange(begin: number, end: number): void {
    if (!(begin >= 0 && begin <= end && end <= this.size())) throw new RangeError(`range ${begin}..${end} is outside 0..${this.size()}`);
  }
}
