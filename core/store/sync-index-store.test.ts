import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareItems, INFINITE_TIMESTAMP, MemoryStorage, Negentropy, type Item } from '../boundary/negentropy/index.js';
import { hex, idOf, runSession, sortedHex, syntheticSets } from '../boundary/negentropy/test-fixtures.js';
import { useTempDatabase } from '../test-support/temp-database.js';
import { openDatabase, type WriteDb } from './database.js';
import { addSyncItem, hasSyncItem, listSyncScopes, MAX_RUN, openSyncIndex, replaceSyncScope, syncScopeSummary, type SyncIndexStorage } from './sync-index-store.js';

const AT = '2026-12-01T00:00:00.000Z';
const temp = useTempDatabase();

/** Items with many shared timestamps, so bounds need id prefixes; shuffled by a seed. */
function randomItems(n: number, seed: number): Item[] {
  const items = Array.from({ length: n }, (_, i) => ({ timestamp: 1_764_590_000_000 + Math.floor(i / 3), id: idOf(`${seed}:${i}`) }));
  let state = seed + 1;
  for (let i = items.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j] as Item, items[i] as Item];
  }
  return items;
}

/** Checks the index against the in-memory storage of `items` (opened from `previous`, when given, as a session re-opens it), and returns it. */
function expectSameStorage(scope: string, items: readonly Item[], previous?: SyncIndexStorage): SyncIndexStorage {
  const memory = new MemoryStorage(items);
  const index = openSyncIndex(temp.db, scope, previous);
  expect(index.size()).toBe(memory.size());
  for (let i = 0; i < memory.size(); i += 7) expect(compareItems(index.getItem(i), memory.getItem(i))).toBe(0);
  const n = memory.size();
  fc.assert(
    fc.property(fc.nat(n), fc.nat(n), (a, b) => {
      const [begin, end] = a <= b ? [a, b] : [b, a];
      expect(hex(index.fingerprint(begin, end))).toBe(hex(memory.fingerprint(begin, end)));
      const seen: number[] = [];
      index.iterate(begin, Math.min(end, begin + 40), (item, i) => {
        expect(compareItems(item, memory.getItem(i))).toBe(0);
        seen.push(i);
        return true;
      });
      expect(seen.length).toBe(Math.min(end, begin + 40) - begin);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.nat(n + 5), fc.integer({ min: -2, max: 2 }), fc.nat(33), fc.nat(n), (at, shift, prefix, begin) => {
      const near = memory.getItem(Math.min(at, n - 1));
      const bound = { timestamp: near.timestamp + shift, id: near.id.slice(0, prefix) };
      const lo = Math.min(begin, n);
      expect(index.findLowerBound(lo, n, bound)).toBe(memory.findLowerBound(lo, n, bound));
    }),
    { numRuns: 300 },
  );
  expect(index.findLowerBound(0, n, { timestamp: INFINITE_TIMESTAMP, id: new Uint8Array() })).toBe(n);
  expect(hex(syncScopeSummary(temp.db, scope)!.fingerprint)).toBe(hex(memory.fingerprint(0, n)));
  expect(syncScopeSummary(temp.db, scope)!.count).toBe(n);
  return index;
}

describe('the sync index', () => {
  it('kept item by item in random order, answers as the in-memory storage (runs split as they grow)', () => {
    const items = randomItems(4 * MAX_RUN + 77, 1);
    temp.db.transaction(() => {
      for (const item of items) expect(addSyncItem(temp.db, 'F:B', item, AT)).toBe(true);
    })();
    const runs = temp.db.prepare('SELECT count FROM sync_runs WHERE scope = ?').pluck().all('F:B') as number[];
    expect(runs.length).toBeGreaterThan(4);
    expect(Math.max(...runs)).toBeLessThanOrEqual(MAX_RUN);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(items.length);
    expectSameStorage('F:B', items);
  });

  it('rebuilt in one pass, answers the same, and a later insert extends it', () => {
    const items = randomItems(3_000, 2);
    temp.db.transaction(() => replaceSyncScope(temp.db, 'F:B', items, { version: 1, at: AT }))();
    const before = expectSameStorage('F:B', items);
    const extra = randomItems(700, 3).map((item) => ({ timestamp: item.timestamp - 5, id: item.id }));
    temp.db.transaction(() => {
      for (const item of extra) addSyncItem(temp.db, 'F:B', item, AT);
    })();
    expectSameStorage('F:B', [...items, ...extra]);
    // Opened from the storage read before the inserts, as a link session re-opens it each message: the runs the inserts changed are read anew, the others kept.
    const reopened = expectSameStorage('F:B', [...items, ...extra], before);
    expect(reopened.runCache).toBe(before.runCache);
    // Two inserts at the very end touch only the last run: a storage opened from `reopened` answers for them too.
    const last = [...items, ...extra].sort(compareItems).at(-1)!;
    const tail = [1, 2].map((k) => ({ timestamp: last.timestamp + k, id: idOf(`tail:${k}`) }));
    temp.db.transaction(() => tail.forEach((item) => addSyncItem(temp.db, 'F:B', item, AT)))();
    expectSameStorage('F:B', [...items, ...extra, ...tail], reopened);
  });

  it('adding an item twice changes nothing; scopes are apart', () => {
    const [a, b] = randomItems(2, 4) as [Item, Item];
    expect(addSyncItem(temp.db, 'F:B', a, AT)).toBe(true);
    const before = syncScopeSummary(temp.db, 'F:B');
    expect(addSyncItem(temp.db, 'F:B', a, AT)).toBe(false);
    expect(syncScopeSummary(temp.db, 'F:B')).toEqual(before);
    addSyncItem(temp.db, 'F:C', b, AT);
    expect(listSyncScopes(temp.db)).toEqual(['F:B', 'F:C']);
    expect(hasSyncItem(temp.db, 'F:C', a)).toBe(false);
    expect(openSyncIndex(temp.db, 'F:C').size()).toBe(1);
    expect(openSyncIndex(temp.db, 'F:none').size()).toBe(0);
  });

  it("writes in the caller's transaction: a rolled-back store leaves no item and no summary change", () => {
    const items = randomItems(600, 5);
    temp.db.transaction(() => items.slice(0, 500).forEach((item) => addSyncItem(temp.db, 'F:B', item, AT)))();
    const before = syncScopeSummary(temp.db, 'F:B');
    expect(() =>
      temp.db.transaction(() => {
        for (const item of items.slice(500)) addSyncItem(temp.db, 'F:B', item, AT);
        throw new Error('the observation failed to store');
      })(),
    ).toThrow(/failed to store/);
    expect(syncScopeSummary(temp.db, 'F:B')).toEqual(before);
    expectSameStorage('F:B', items.slice(0, 500));
  });

  it('finds a run by its primary key, never by scanning the scope', () => {
    const plan = temp.db
      .prepare('EXPLAIN QUERY PLAN SELECT ts, id, count, sum FROM sync_runs WHERE scope = ? AND (ts, id) <= (?, ?) ORDER BY ts DESC, id DESC LIMIT 1')
      .all('F:B', 1, Buffer.alloc(32)) as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/SEARCH sync_runs USING PRIMARY KEY \(scope=\? AND ts<\?\)|SEARCH sync_runs USING PRIMARY KEY \(scope=\? AND \(ts,id\)<\(\?,\?\)\)/);
  });

  it('two stores reconcile over their indexes to exactly the difference; converged ones in one round trip', () => {
    const other = openDatabase(temp.dir.file('other.db'));
    try {
      const { shared, onlyA, onlyB } = syntheticSets(6_000, 250, 'spread', 'idx');
      temp.db.transaction(() => replaceSyncScope(temp.db, 'F:B', [...shared, ...onlyA], { version: 1, at: AT }))();
      other.transaction(() => replaceSyncScope(other, 'F:A', [...shared, ...onlyB], { version: 1, at: AT }))();
      const side = (d: WriteDb, scope: string) => {
        const neg = new Negentropy(openSyncIndex(d, scope));
        return {
          initiate: () => hex(neg.initiate()),
          reconcile: (m: string) => {
            const r = neg.reconcile(Uint8Array.from(Buffer.from(m, 'hex')));
            return { reply: r.reply && hex(r.reply), have: r.have.map(hex), need: r.need.map(hex) };
          },
        };
      };
      const s = runSession(side(temp.db, 'F:B'), side(other, 'F:A'));
      expect(s.have.sort()).toEqual(sortedHex(onlyA));
      expect(s.need.sort()).toEqual(sortedHex(onlyB));
      other.transaction(() => replaceSyncScope(other, 'F:A', [...shared, ...onlyA], { version: 1, at: AT }))();
      const idle = runSession(side(temp.db, 'F:B'), side(other, 'F:A'));
      expect(idle.roundTrips).toBe(1);
      expect(idle.bytes).toBeLessThan(1024);
    } finally {
      other.close();
    }
  });
});
