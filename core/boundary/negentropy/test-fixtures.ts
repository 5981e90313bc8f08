/** Sets and sessions for the negentropy tests: ours against ours, and against nostr-tools. */
import { createHash } from 'node:crypto';
import { TheirNegentropy, TheirStorage } from '../../test-support/nip77.js';
import type { Item } from './items.js';
import { Negentropy } from './reconciler.js';
import { MemoryStorage } from './storage.js';

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const bytesOf = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

/** A deterministic id: SHA-256 of a label, like an observation id. */
export function idOf(label: string): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(label).digest());
}

/** Items with timestamps from 1.7e9 (under 2^31: nostr-tools' varints are 32-bit) and ids from labels. */
export function itemsOf(labels: readonly string[], timestampOf: (i: number) => number): Item[] {
  return labels.map((label, i) => ({ timestamp: timestampOf(i), id: idOf(label) }));
}

export interface Sets {
  shared: Item[];
  onlyA: Item[];
  onlyB: Item[];
}

/**
 * `shared` items one second apart (a few share a second, to exercise id-prefix bounds), and
 * `unique` per side either clustered (a run of time no other side has: a disconnection) or
 * spread uniformly across the shared span.
 */
export function syntheticSets(shared: number, unique: number, layout: 'clustered' | 'spread', seed = 'x'): Sets {
  const base = 1_700_000_000;
  const sharedItems = Array.from({ length: shared }, (_, i) => ({ timestamp: base + Math.floor(i * 0.9), id: idOf(`${seed}:s${i}`) }));
  const side = (name: string, offset: number): Item[] =>
    Array.from({ length: unique }, (_, i) => ({
      timestamp: layout === 'clustered' ? base + shared + offset + i : base + Math.floor(((i + 0.5) / unique) * shared * 0.9) + offset,
      id: idOf(`${seed}:${name}${i}`),
    }));
  return { shared: sharedItems, onlyA: side('a', 0), onlyB: side('b', layout === 'clustered' ? unique * 3 : 0) };
}

export interface Session {
  have: string[];
  need: string[];
  /** Messages both ways, the initiator's first included. */
  messages: string[];
  bytes: number;
  roundTrips: number;
}

type Side = { initiate(): string; reconcile(message: string): { reply: string | null; have: string[]; need: string[] } };

export function ourSide(items: readonly Item[], frameSizeLimit?: number): Side {
  const neg = new Negentropy(new MemoryStorage(items), frameSizeLimit);
  return {
    initiate: () => hex(neg.initiate()),
    reconcile: (message) => {
      const r = neg.reconcile(bytesOf(message));
      return { reply: r.reply === null ? null : hex(r.reply), have: r.have.map(hex), need: r.need.map(hex) };
    },
  };
}

export function theirSide(items: readonly Item[], frameSizeLimit?: number): Side {
  const storage = new TheirStorage();
  for (const item of items) storage.insert(item.timestamp, hex(item.id));
  storage.seal();
  const neg = new TheirNegentropy(storage, frameSizeLimit);
  return {
    initiate: () => neg.initiate(),
    reconcile: (message) => {
      const have: string[] = [];
      const need: string[] = [];
      const reply = neg.reconcile(message, (id) => have.push(id), (id) => need.push(id));
      return { reply, have, need };
    },
  };
}

/**
 * Runs one session to its end. `have`/`need` are from the initiator's view: the initiator's own
 * findings, plus (for nostr-tools as responder, which settles id lists itself) the responder's
 * findings turned around.
 */
export function runSession(initiator: Side, responder: Side, maxRounds = 100): Session {
  const session: Session = { have: [], need: [], messages: [], bytes: 0, roundTrips: 0 };
  let query: string | null = initiator.initiate();
  while (query !== null) {
    if (session.roundTrips >= maxRounds) throw new Error('session did not end');
    session.messages.push(query);
    session.bytes += query.length / 2;
    session.roundTrips += 1;
    const answer = responder.reconcile(query);
    session.have.push(...answer.need);
    session.need.push(...answer.have);
    if (answer.reply === null) break;
    session.messages.push(answer.reply);
    session.bytes += answer.reply.length / 2;
    const next = initiator.reconcile(answer.reply);
    session.have.push(...next.have);
    session.need.push(...next.need);
    query = next.reply;
  }
  return session;
}

export function union(...parts: readonly Item[][]): Item[] {
  return parts.flat();
}

export const sortedHex = (items: readonly Item[]): string[] => items.map((item) => hex(item.id)).sort();
