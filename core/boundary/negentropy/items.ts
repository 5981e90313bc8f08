/**
 * Negentropy's items and bounds (protocol version 1, hoytech/negentropy "Protocol" and NIP-77):
 * an item is a (timestamp, 32-byte id) pair, the set is sorted by timestamp then id, and a bound
 * is a timestamp with an id prefix of 0 to 32 bytes that splits the sorted set between two items.
 */
import { Refused } from '../../common/refused.js';

/** 0x61: the version byte that opens every message ("0x60 + version", version 1). */
export const PROTOCOL_VERSION = 0x61;
export const ID_SIZE = 32;
export const FINGERPRINT_SIZE = 16;

/** The bound past every item: encoded as the timestamp varint 0 (the protocol's "infinity"). */
export const INFINITE_TIMESTAMP = Number.POSITIVE_INFINITY;

export interface Item {
  /** Milliseconds of mesh time for observations (`hlc.l`); any safe non-negative integer. */
  readonly timestamp: number;
  readonly id: Uint8Array;
}

/** An item, or a prefix of one: `id` may be shorter than 32 bytes (a minimal split point). */
export type Bound = Item;

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Timestamp first, then id bytes; a shorter id prefix sorts before every id it begins. */
export function compareItems(a: Bound, b: Bound): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return compareBytes(a.id, b.id);
}

/** What a storage accepts: a finite timestamp in JS's exact integers and a 32-byte id. */
export function checkItem(item: Item): void {
  if (!Number.isSafeInteger(item.timestamp) || item.timestamp < 0) {
    throw new Refused('bad-negentropy-item', `timestamp ${item.timestamp} is not a non-negative safe integer`);
  }
  if (!(item.id instanceof Uint8Array) || item.id.length !== ID_SIZE) {
    throw new Refused('bad-negentropy-item', `an item id must be ${ID_SIZE} bytes`);
  }
}
