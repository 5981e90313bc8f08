/**
 * What the reconciler needs of a set (decision 0006): positions in the sorted order, lower
 * bounds and range fingerprints. `MemoryStorage` holds it in one sorted array; the persistent
 * index (core/store/sync-index-store.ts) answers the same calls from SQLite summaries.
 */
import { Refused } from '../../common/refused.js';
import { IdSum } from './fingerprint.js';
import { checkItem, compareItems, type Bound, type Item } from './items.js';

export interface NegentropyStorage {
  size(): number;
  getItem(i: number): Item;
  /** Visits items begin..end-1 in order until `visit` returns false. */
  iterate(begin: number, end: number, visit: (item: Item, i: number) => boolean): void;
  /** The first position in [begin, end) whose item is ≥ bound, or end. */
  findLowerBound(begin: number, end: number, bound: Bound): number;
  /** 16 bytes over items begin..end-1. */
  fingerprint(begin: number, end: number): Uint8Array;
}

export class MemoryStorage implements NegentropyStorage {
  private readonly items: Item[] = [];

  constructor(items: Iterable<Item> = []) {
    for (const item of items) {
      checkItem(item);
      this.items.push({ timestamp: item.timestamp, id: Uint8Array.from(item.id) });
    }
    this.items.sort(compareItems);
    for (let i = 1; i < this.items.length; i++) {
      if (compareItems(this.items[i - 1] as Item, this.items[i] as Item) === 0) {
        throw new Refused('bad-negentropy-item', 'the same item is in the set twice');
      }
    }
  }

  /** Adds one item in its place; false when it is already there. */
  insert(item: Item): boolean {
    checkItem(item);
    const at = this.findLowerBound(0, this.items.length, item);
    const there = this.items[at];
    if (there !== undefined && compareItems(there, item) === 0) return false;
    this.items.splice(at, 0, { timestamp: item.timestamp, id: Uint8Array.from(item.id) });
    return true;
  }

  size(): number {
    return this.items.length;
  }

  getItem(i: number): Item {
    const item = this.items[i];
    if (item === undefined) throw new RangeError(`no item at ${i}`);
    return item;
  }

  iterate(begin: number, end: number, visit: (item: Item, i: number) => boolean): void {
    this.checkRange(begin, end);
    for (let i = begin; i < end; i++) if (!visit(this.items[i] as Item, i)) break;
  }

  findLowerBound(begin: number, end: number, bound: Bound): number {
    this.checkRange(begin, end);
    let lo = begin;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareItems(this.items[mid] as Item, bound) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  fingerprint(begin: number, end: number): Uint8Array {
    this.checkRange(begin, end);
    const sum = new IdSum();
    for (let i = begin; i < end; i++) sum.add((this.items[i] as Item).id);
    return sum.fingerprint(end - begin);
  }

  private checkRange(begin: number, end: number): void {
    if (!(begin >= 0 && begin <= end && end <= this.items.length)) {
      throw new RangeError(`range ${begin}..${end} is outside 0..${this.items.length}`);
    }
  }
}
