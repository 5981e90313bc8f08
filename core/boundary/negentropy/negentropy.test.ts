import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TheirStorage } from '../../test-support/nip77.js';
import { fingerprintOf, IdSum } from './fingerprint.js';
import { compareItems, type Item } from './items.js';
import { isProbe, Negentropy } from './reconciler.js';
import { MemoryStorage } from './storage.js';
import { bytesOf, hex, idOf, ourSide, runSession, sortedHex, syntheticSets, theirSide, union } from './test-fixtures.js';
import { encodeVarint, MessageReader } from './varint.js';

describe('varint', () => {
  it('is base-128, most significant group first, as the reference', () => {
    expect(hex(encodeVarint(0))).toBe('00');
    expect(hex(encodeVarint(127))).toBe('7f');
    expect(hex(encodeVarint(128))).toBe('8100');
    expect(hex(encodeVarint(16_384))).toBe('818000');
  });

  it('round-trips values past 2^32 (millisecond timestamps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(new MessageReader(encodeVarint(n)).varint()).toBe(n);
      }),
    );
  });
});

describe('fingerprint', () => {
  it('is SHA-256 of the ids summed mod 2^256 (little-endian) and the varint count, 16 bytes', () => {
    const ids = [idOf('a'), idOf('b'), Uint8Array.from({ length: 32 }, () => 0xff)];
    let sum = 0n;
    for (const id of ids) sum = (sum + BigInt(`0x${Buffer.from(id).reverse().toString('hex')}`)) % 2n ** 256n;
    const sumBytes = Buffer.from(sum.toString(16).padStart(64, '0'), 'hex').reverse();
    const expected = createHash('sha256').update(sumBytes).update(Uint8Array.of(3)).digest().subarray(0, 16);
    const ours = ids.reduce((s, id) => s.add(id), new IdSum());
    expect(hex(ours.fingerprint(3))).toBe(hex(expected));
    expect(hex(fingerprintOf(ours.bytes(), 3))).toBe(hex(expected));
  });

  it('subtracting an id undoes adding it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        expect(hex(IdSum.of(a).add(b).subtract(b).bytes())).toBe(hex(a));
      }),
    );
  });

  it('equals nostr-tools on the same ranges', () => {
    const items = syntheticSets(300, 0, 'spread').shared;
    const ours = new MemoryStorage(items);
    const theirs = new TheirStorage();
    for (const item of items) theirs.insert(item.timestamp, hex(item.id));
    theirs.seal();
    for (const [b, e] of [[0, 300], [0, 0], [17, 18], [5, 250]] as const) {
      expect(hex(ours.fingerprint(b, e))).toBe(hex(theirs.fingerprint(b, e)));
    }
  });
});

const item = fc.record({ timestamp: fc.integer({ min: 0, max: 40 }), id: fc.uint8Array({ minLength: 32, maxLength: 32 }) });
/** Three disjoint sets (shared, only A, only B) drawn from one unique list. */
const threeSets = fc
  .uniqueArray(item, { selector: (i) => `${i.timestamp}:${hex(i.id)}`, maxLength: 400 })
  .chain((items) => fc.tuple(fc.constant(items), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: items.length, maxLength: items.length })))
  .map(([items, where]) => ({
    shared: items.filter((_, i) => where[i] === 0),
    onlyA: items.filter((_, i) => where[i] === 1),
    onlyB: items.filter((_, i) => where[i] === 2),
  }));

describe('reconciliation, ours against ours', () => {
  it('have and need are exactly A\\B and B\\A on random overlapping sets', () => {
    fc.assert(
      fc.property(threeSets, ({ shared, onlyA, onlyB }) => {
        const s = runSession(ourSide(union(shared, onlyA)), ourSide(union(shared, onlyB)));
        expect(s.have.sort()).toEqual(sortedHex(onlyA));
        expect(s.need.sort()).toEqual(sortedHex(onlyB));
      }),
      { numRuns: 150 },
    );
  });

  for (const layout of ['clustered', 'spread'] as const) {
    it(`finds ${layout} differences in a few thousand items, also under the smallest frame limit`, () => {
      const { shared, onlyA, onlyB } = syntheticSets(5_000, 300, layout);
      for (const limit of [undefined, 4096]) {
        const s = runSession(ourSide(union(shared, onlyA), limit), ourSide(union(shared, onlyB), limit));
        expect(s.have.sort()).toEqual(sortedHex(onlyA));
        expect(s.need.sort()).toEqual(sortedHex(onlyB));
        if (limit !== undefined) for (const m of s.messages) expect(m.length / 2).toBeLessThanOrEqual(limit);
      }
    });
  }

  it('two equal sets settle in one round trip', () => {
    const { shared } = syntheticSets(10_000, 0, 'spread');
    const s = runSession(ourSide(shared), ourSide(shared));
    expect(s.roundTrips).toBe(1);
    expect(s.have).toEqual([]);
    expect(s.need).toEqual([]);
  });

  it('handles empty sides', () => {
    const { shared } = syntheticSets(100, 0, 'spread');
    expect(runSession(ourSide([]), ourSide(shared)).need.sort()).toEqual(sortedHex(shared));
    expect(runSession(ourSide(shared), ourSide([])).have.sort()).toEqual(sortedHex(shared));
    expect(runSession(ourSide([]), ourSide([])).roundTrips).toBe(1);
  });

  it('carries millisecond timestamps past 2^32 exactly', () => {
    const ms = (i: number) => 1_764_590_000_000 + i * 7;
    const a: Item[] = Array.from({ length: 200 }, (_, i) => ({ timestamp: ms(i), id: idOf(`m${i}`) }));
    const b = a.filter((_, i) => i % 9 !== 0);
    const s = runSession(ourSide(a), ourSide(b));
    expect(s.have.sort()).toEqual(sortedHex(a.filter((_, i) => i % 9 === 0)));
  });
});

describe('interoperability with nostr-tools (NIP-77)', () => {
  const cases = [
    ['random', syntheticSets(3_000, 120, 'spread', 'r')],
    ['clustered', syntheticSets(3_000, 120, 'clustered', 'c')],
  ] as const;

  for (const [name, { shared, onlyA, onlyB }] of cases) {
    const A = union(shared, onlyA);
    const B = union(shared, onlyB);

    it(`${name}: theirs as initiator, ours as responder — they learn exactly the difference`, () => {
      const s = runSession(theirSide(A), ourSide(B));
      expect(s.have.sort()).toEqual(sortedHex(onlyA));
      expect(s.need.sort()).toEqual(sortedHex(onlyB));
    });

    it(`${name}: ours as initiator, theirs as responder — between us, the difference exactly`, () => {
      // nostr-tools' responder settles an id list itself instead of answering with its own, so
      // part of the difference is found on its side (runSession turns those around).
      const s = runSession(ourSide(A), theirSide(B));
      expect(s.have.sort()).toEqual(sortedHex(onlyA));
      expect(s.need.sort()).toEqual(sortedHex(onlyB));
    });

    it(`${name}: our initiator's messages are byte-identical to theirs against the same responder`, () => {
      const mine = runSession(ourSide(A), ourSide(B));
      const theirs = runSession(theirSide(A), ourSide(B));
      expect(mine.messages).toEqual(theirs.messages);
      expect(mine.messages.length).toBeGreaterThan(2);
    });

    it(`${name}: our responder answers fingerprints byte for byte as theirs does`, () => {
      // The first query holds only fingerprints (over 32 items), where both follow the reference.
      const query = ourSide(A).initiate();
      expect(query).toBe(theirSide(A).initiate());
      expect(ourSide(B).reconcile(query).reply).toBe(theirSide(B).reconcile(query).reply);
    });
  }

  it('with responderSettlesIdLists, our pair finds the difference between them and speaks byte for byte as a nostr-tools pair', () => {
    fc.assert(
      fc.property(threeSets, ({ shared, onlyA, onlyB }) => {
        const A = union(shared, onlyA);
        const B = union(shared, onlyB);
        const mine = runSession(ourSide(A, undefined, { responderSettlesIdLists: true }), ourSide(B, undefined, { responderSettlesIdLists: true }));
        expect(mine.have.sort()).toEqual(sortedHex(onlyA));
        expect(mine.need.sort()).toEqual(sortedHex(onlyB));
        // Theirs returns null where ours sends the bare version byte; the rest is identical.
        const theirs = runSession(theirSide(A), theirSide(B));
        expect(mine.messages.filter((m) => m !== '61')).toEqual(theirs.messages);
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with theirs under a small frame limit', () => {
    const { shared, onlyA, onlyB } = syntheticSets(4_000, 400, 'spread', 'f');
    const s = runSession(theirSide(union(shared, onlyA), 4096), ourSide(union(shared, onlyB), 4096));
    expect(s.have.sort()).toEqual(sortedHex(onlyA));
    expect(s.need.sort()).toEqual(sortedHex(onlyB));
  });
});

describe('the probe (a live link\'s first message after a convergence)', () => {
  /** Our initiator opening with the probe instead of the 16 buckets. */
  function probeSide(items: readonly Item[]) {
    const neg = new Negentropy(new MemoryStorage(items));
    return {
      initiate: () => hex(neg.initiateProbe()),
      reconcile: (message: string) => {
        const r = neg.reconcile(bytesOf(message));
        return { reply: r.reply === null ? null : hex(r.reply), have: r.have.map(hex), need: r.need.map(hex) };
      },
    };
  }

  it('is 20 bytes, answered by the bare version byte when the sets agree, by ours and by nostr-tools alike', () => {
    const { shared } = syntheticSets(5_000, 0, 'spread', 'p');
    const probe = new Negentropy(new MemoryStorage(shared)).initiateProbe();
    expect(probe.length).toBe(20);
    expect(isProbe(probe)).toBe(true);
    expect(isProbe(new Negentropy(new MemoryStorage(shared)).initiate())).toBe(false);
    expect(isProbe(new Negentropy(new MemoryStorage([])).initiateProbe())).toBe(true);
    expect(ourSide(shared).reconcile(hex(probe)).reply).toBe('61');
    // Theirs has nothing to say at all (null) where ours sends the bare version byte.
    expect(theirSide(shared).reconcile(hex(probe)).reply).toBeNull();
    expect(runSession(probeSide(shared), ourSide(shared))).toMatchObject({ have: [], need: [], roundTrips: 1, bytes: 21 });
  });

  it('still finds the whole difference when the sets differ, against ours (either responder) and theirs', () => {
    fc.assert(
      fc.property(threeSets, ({ shared, onlyA, onlyB }) => {
        const A = union(shared, onlyA);
        const B = union(shared, onlyB);
        for (const responder of [ourSide(B), ourSide(B, undefined, { responderSettlesIdLists: true }), theirSide(B)]) {
          const s = runSession(probeSide(A), responder);
          expect(s.have.sort()).toEqual(sortedHex(onlyA));
          expect(s.need.sort()).toEqual(sortedHex(onlyB));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('memory storage', () => {
  it('keeps the sorted order on insert and refuses duplicates', () => {
    const s = new MemoryStorage();
    const items = syntheticSets(50, 0, 'spread').shared.reverse();
    for (const i of items) expect(s.insert(i)).toBe(true);
    expect(s.insert(items[0] as Item)).toBe(false);
    for (let i = 1; i < s.size(); i++) expect(compareItems(s.getItem(i - 1), s.getItem(i))).toBeLessThan(0);
    expect(() => new MemoryStorage([items[0] as Item, items[0] as Item])).toThrow(/twice/);
    expect(() => s.insert({ timestamp: 1, id: new Uint8Array(31) })).toThrow(/32 bytes/);
  });
});
