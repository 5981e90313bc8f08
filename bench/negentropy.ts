/**
 * Issue 14, Speed: bytes exchanged to learn the difference (every negentropy message both ways,
 * no bodies) and round trips, ours against nostr-tools' NIP-77 module on the same sets —
 * 20,000 shared + 1,000 unique per side, clustered in time (a disconnection) and spread, and
 * 100,000 shared — and the idle reconciliation of two converged 1,000,000-item stores over the
 * SQLite index (core/store/sync-index-store.ts), time and bytes.
 *
 * nostr-tools' varints are 32-bit, so the sets use second timestamps (under 2^31) for every
 * comparison; the SQLite case uses millisecond ones, as observations' `hlc.l` are.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, Negentropy, type Item, type NegentropyOptions } from '../core/boundary/negentropy/index.js';
import { openDatabase } from '../core/store/database.js';
import { openSyncIndex, replaceSyncScope } from '../core/store/sync-index-store.js';
import { TheirNegentropy, TheirStorage } from './nip77.js';
import { round, type Measurement } from './timing.js';

type Side = { initiate(): string; reconcile(message: string): { reply: string | null; found: number } };

const idOf = (label: string): Uint8Array => Uint8Array.from(createHash('sha256').update(label).digest());
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function sets(shared: number, unique: number, layout: 'clustered' | 'spread', seed: string): { a: Item[]; b: Item[]; difference: number } {
  const base = 1_700_000_000;
  const common = Array.from({ length: shared }, (_, i) => ({ timestamp: base + Math.floor(i * 0.9), id: idOf(`${seed}:s${i}`) }));
  const side = (name: string, offset: number): Item[] =>
    Array.from({ length: unique }, (_, i) => ({
      timestamp: layout === 'clustered' ? base + shared + offset + i : base + Math.floor(((i + 0.5) / unique) * shared * 0.9) + offset,
      id: idOf(`${seed}:${name}${i}`),
    }));
  return { a: [...common, ...side('a', 0)], b: [...common, ...side('b', layout === 'clustered' ? unique * 3 : 0)], difference: 2 * unique };
}

export function ours(items: readonly Item[], options: NegentropyOptions = {}, frameSizeLimit?: number): Side {
  const neg = new Negentropy(new MemoryStorage(items), frameSizeLimit, options);
  return {
    initiate: () => hex(neg.initiate()),
    reconcile: (message) => {
      const r = neg.reconcile(Uint8Array.from(Buffer.from(message, 'hex')));
      return { reply: r.reply && hex(r.reply), found: r.have.length + r.need.length };
    },
  };
}

export function theirs(items: readonly Item[], frameSizeLimit?: number): Side {
  const storage = new TheirStorage();
  for (const item of items) storage.insert(item.timestamp, hex(item.id));
  storage.seal();
  const neg = new TheirNegentropy(storage, frameSizeLimit);
  return {
    initiate: () => neg.initiate(),
    reconcile: (message) => {
      let found = 0;
      const reply = neg.reconcile(message, () => (found += 1), () => (found += 1));
      return { reply, found };
    },
  };
}

/** Every message both ways until the initiator is done; `found` is the difference both sides learned. */
export function session(initiator: Side, responder: Side): { bytes: number; roundTrips: number; found: number } {
  let bytes = 0;
  let roundTrips = 0;
  let found = 0;
  let query: string | null = initiator.initiate();
  while (query !== null) {
    bytes += query.length / 2;
    roundTrips += 1;
    const answer = responder.reconcile(query);
    found += answer.found;
    if (answer.reply === null) break;
    bytes += answer.reply.length / 2;
    const next = initiator.reconcile(answer.reply);
    found += next.found;
    query = next.reply;
  }
  return { bytes, roundTrips, found };
}

export function negentropyFigures(options: { quick: boolean }): Measurement[] {
  const scale = options.quick ? 10 : 1;
  const cases = [
    { name: `${20_000 / scale}-shared.${1_000 / scale}-unique.clustered`, ...sets(20_000 / scale, 1_000 / scale, 'clustered', 'c') },
    { name: `${20_000 / scale}-shared.${1_000 / scale}-unique.spread`, ...sets(20_000 / scale, 1_000 / scale, 'spread', 's') },
    { name: `${100_000 / scale}-shared.${1_000 / scale}-unique.spread`, ...sets(100_000 / scale, 1_000 / scale, 'spread', 'h') },
    { name: `${100_000 / scale}-shared.idle`, ...sets(100_000 / scale, 0, 'spread', 'i') },
  ];
  const results: Measurement[] = [];
  for (const c of cases) {
    const mine = session(ours(c.a), ours(c.b));
    // Ours with the responder settling id lists itself, as nostr-tools' responder does.
    const settling = { responderSettlesIdLists: true };
    const mineSettling = session(ours(c.a, settling), ours(c.b, settling));
    const theirPair = session(theirs(c.a), theirs(c.b));
    // NIP-77's own arrangement: nostr-tools as the client (initiator) against a reference relay's responder.
    const nip77 = session(theirs(c.a), ours(c.b));
    for (const [who, s] of [['ours', mine], ['ours-responder-settles', mineSettling], ['nostr-tools', theirPair], ['nostr-tools-initiator.ours-responder', nip77]] as const) {
      if (s.found !== c.difference) throw new Error(`negentropy bench: ${who} found ${s.found} of ${c.difference} differences in ${c.name}`);
      results.push({ name: `negentropy.${c.name}.${who}.bytes`, value: s.bytes, unit: 'bytes' });
      results.push({ name: `negentropy.${c.name}.${who}.round-trips`, value: s.roundTrips, unit: 'round trips' });
    }
    results.push({ name: `negentropy.${c.name}.bytes.ratio`, value: Math.round((mine.bytes / theirPair.bytes) * 1000) / 1000, unit: 'ratio', ratio_to: `negentropy.${c.name}.nostr-tools.bytes` });
    results.push({ name: `negentropy.${c.name}.responder-settles.bytes.ratio`, value: Math.round((mineSettling.bytes / theirPair.bytes) * 1000) / 1000, unit: 'ratio', ratio_to: `negentropy.${c.name}.nostr-tools.bytes` });
    results.push({ name: `negentropy.${c.name}.bytes.ratio-to-nip77-arrangement`, value: Math.round((mine.bytes / nip77.bytes) * 1000) / 1000, unit: 'ratio', ratio_to: `negentropy.${c.name}.nostr-tools-initiator.ours-responder.bytes` });
  }
  results.push(...idleOverIndex(options.quick ? 50_000 : 1_000_000));
  return results;
}

/** Two converged stores of `n` items each, their index rows written by the store's rebuild; then one idle session between them. */
function idleOverIndex(n: number): Measurement[] {
  const work = mkdtempSync(join(tmpdir(), 'entente-bench-negentropy-'));
  try {
    const base = 1_764_590_000_000;
    const items: Item[] = Array.from({ length: n }, (_, i) => ({ timestamp: base + i * 37, id: idOf(`idle:${i}`) }));
    const built = { version: 1, at: new Date(base).toISOString() };
    const dbs = ['a.db', 'b.db'].map((name) => openDatabase(join(work, name)));
    const buildStart = process.hrtime.bigint();
    for (const [i, db] of dbs.entries()) db.transaction(() => replaceSyncScope(db, i === 0 ? 'F:B' : 'F:A', items, built))();
    const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9 / 2;
    try {
      let best = Number.POSITIVE_INFINITY;
      let bytes = 0;
      let roundTrips = 0;
      for (let attempt = 0; attempt < 3; attempt++) {
        const start = process.hrtime.bigint();
        // Each side opens its index as a link's session would: reading the run rows afresh.
        const initiator = new Negentropy(openSyncIndex(dbs[0]!, 'F:B'));
        const responder = new Negentropy(openSyncIndex(dbs[1]!, 'F:A'));
        bytes = 0;
        roundTrips = 0;
        let query: Uint8Array | null = initiator.initiate();
        while (query) {
          roundTrips += 1;
          bytes += query.length;
          const answer = responder.reconcile(query);
          bytes += answer.reply!.length;
          const next = initiator.reconcile(answer.reply!);
          if (next.have.length + next.need.length > 0) throw new Error('negentropy bench: converged stores found a difference');
          query = next.reply;
        }
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
      }
      return [
        { name: `negentropy.sqlite-index.${n}-converged.idle.seconds`, value: Math.round(best * 10_000) / 10_000, unit: 's' },
        { name: `negentropy.sqlite-index.${n}-converged.idle.bytes`, value: bytes, unit: 'bytes' },
        { name: `negentropy.sqlite-index.${n}-converged.idle.round-trips`, value: roundTrips, unit: 'round trips' },
        { name: `negentropy.sqlite-index.${n}-items.build.seconds`, value: round(buildSeconds), unit: 's' },
      ];
    } finally {
      for (const db of dbs) db.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
