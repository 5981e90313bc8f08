import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Refused } from '../../common/refused.js';
import type { Item } from './items.js';
import { MAX_ROUNDS, Negentropy } from './reconciler.js';
import { MemoryStorage } from './storage.js';
import { bytesOf, hex, ourSide, syntheticSets } from './test-fixtures.js';

const items = syntheticSets(200, 0, 'spread').shared;
const responder = (set: readonly Item[] = items) => new Negentropy(new MemoryStorage(set));

function refusal(run: () => unknown): Refused {
  try {
    run();
  } catch (error) {
    if (error instanceof Refused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const ff32 = 'ff'.repeat(32);

describe('hostile negentropy messages', () => {
  const cases: [string, string, RegExp][] = [
    ['an empty message', '', /ends before a byte/],
    ['a byte that is no version', '00', /not a version byte/],
    ['a varint cut short', '6180', /rest of a varint/],
    ['a bound with no mode', '6100 00', /rest of a varint/],
    ['a bound id prefix over 32 bytes', `61 01 21 ${ff32}ff 00`, /id prefix of 33 bytes/],
    ['a fingerprint cut short', '61 00 00 01 0102', /ends before 16 bytes/],
    ['an id cut short', `61 00 00 02 02 ${ff32} 0102`, /more than the message holds/],
    ['an absurd id count', '61 00 00 02 8fffffff7f', /more than the message holds/],
    ['an unknown mode', '61 00 00 03', /unknown mode 3/],
    ['bounds going backwards', '61 05 01 80 00 01 01 10 00', /below the one before/],
    ['a timestamp past 2^53', '61 8fffffffffffff7f 00 00 8fffffffffffff7f 00 00', /2\^53/],
    ['a varint past 2^53', '61 ffffffffffffffff7f 00 00', /2\^53/],
  ];
  for (const [name, message, why] of cases) {
    it(`refuses ${name} with bad-negentropy-message`, () => {
      const r = refusal(() => responder().reconcile(bytesOf(message.replace(/ /g, ''))));
      expect(r.reason).toBe('bad-negentropy-message');
      expect(r.message).toMatch(why);
      expect(r.message).not.toContain('\n');
    });
  }

  it('a responder answers an unsupported version with its own version byte alone; an initiator refuses it', () => {
    expect(hex(responder().reconcile(Uint8Array.of(0x62, 0x00, 0x00)).reply!)).toBe('61');
    const initiator = responder();
    initiator.initiate();
    const r = refusal(() => initiator.reconcile(Uint8Array.of(0x62)));
    expect(r).toMatchObject({ reason: 'bad-negentropy-message' });
    expect(r.message).toMatch(/version 2/);
  });

  it('an initiator receiving the bare version byte is done', () => {
    const initiator = responder();
    initiator.initiate();
    expect(initiator.reconcile(Uint8Array.of(0x61))).toEqual({ reply: null, have: [], need: [] });
  });

  it(`refuses a session past ${MAX_ROUNDS} rounds with ranges-did-not-converge`, () => {
    // A peer that keeps asking about the whole set (a fingerprint that never matches).
    const neg = responder();
    const endless = bytesOf(`61000001${'00'.repeat(16)}`);
    for (let i = 0; i < MAX_ROUNDS; i++) expect(neg.reconcile(endless).reply).not.toBeNull();
    expect(refusal(() => neg.reconcile(endless)).reason).toBe('ranges-did-not-converge');
  });

  it('refuses a frame limit under 4,096 bytes and a second initiate', () => {
    expect(refusal(() => new Negentropy(new MemoryStorage(), 4095)).reason).toBe('bad-negentropy-frame-limit');
    const neg = responder();
    neg.initiate();
    expect(refusal(() => neg.initiate()).reason).toBe('negentropy-already-initiated');
  });

  it('random bytes are a reply or a refusal, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, initiator) => {
        const neg = responder();
        if (initiator) neg.initiate();
        const message = bytes.length > 0 && bytes[0]! % 2 === 0 ? Uint8Array.of(0x61, ...bytes) : bytes;
        try {
          neg.reconcile(message);
        } catch (error) {
          expect(error).toBeInstanceOf(Refused);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('valid messages with bytes flipped or cut are a reply or a refusal, never another error', () => {
    const other = syntheticSets(200, 40, 'spread').shared.slice(20);
    const query = bytesOf(ourSide(other).initiate());
    fc.assert(
      fc.property(fc.nat(query.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(query.length), (at, value, cut) => {
        const mutated = query.slice(0, Math.max(1, cut));
        if (at < mutated.length) mutated[at] = value;
        try {
          const { reply } = responder().reconcile(mutated);
          expect(reply).not.toBeNull();
        } catch (error) {
          expect(error).toBeInstanceOf(Refused);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
