/**
 * The negentropy reconciler, protocol version 1 (hoytech/negentropy's reference and NIP-77), as
 * decision 0006's interface says. Both sides split a range whose fingerprints differ into 16
 * buckets; a range under 32 items (2 × buckets, the reference's default) is sent as its id list.
 * The initiator learns `have` (ids it holds the peer lacks) and `need`; the responder answers an
 * id list with its own list for that range, so the differences surface on the initiator.
 *
 * Hostile input: every malformed message is `Refused('bad-negentropy-message')` (truncated
 * varints, an unknown version or mode, ids cut short, bound ids over 32 bytes, bounds going
 * backwards, id counts the message cannot hold); a session past MAX_ROUNDS messages is
 * `Refused('ranges-did-not-converge')`. Every loop consumes input or items, so none runs forever.
 */
import { Refused } from '../../common/refused.js';
import {
  compareBytes,
  compareItems,
  FINGERPRINT_SIZE,
  ID_SIZE,
  INFINITE_TIMESTAMP,
  PROTOCOL_VERSION,
  type Bound,
  type Item,
} from './items.js';
import type { NegentropyStorage } from './storage.js';
import { MessageReader, MessageWriter } from './varint.js';

export const MAX_ROUNDS = 64;
export const MIN_FRAME_SIZE_LIMIT = 4096;
/** The NIP-77 module's default, so our messages and theirs split the same way. */
export const DEFAULT_FRAME_SIZE_LIMIT = 60_000;
const BUCKETS = 16;

const enum Mode {
  Skip = 0,
  Fingerprint = 1,
  IdList = 2,
}

export interface NegentropyOptions {
  /**
   * Off by default (the reference's behaviour, 0006). On, a responder settles an id list it
   * receives itself — reporting `have`/`need` from its own side and answering nothing for that
   * range — instead of answering with its own list, as nostr-tools' NIP-77 module does: about
   * half the bytes where ranges are small, but the difference is then split between the sides,
   * so the link must act on the responder's findings too. Safe only when the peer's initiator
   * needs no complete view (ours, or a NIP-77 client); a reference initiator learns less.
   */
  readonly responderSettlesIdLists?: boolean;
}

export interface ReconcileResult {
  /** The next message to send, or null when the initiator has nothing left to ask. */
  reply: Uint8Array | null;
  /** Ids this side holds and the peer lacks (found on the initiator, or on a settling responder). */
  have: Uint8Array[];
  /** Ids the peer holds and this side lacks. */
  need: Uint8Array[];
}

const EMPTY_ID = new Uint8Array(0);
const INFINITE_BOUND: Bound = { timestamp: INFINITE_TIMESTAMP, id: EMPTY_ID };

export class Negentropy {
  private initiator = false;
  private rounds = 0;
  private lastTimestampIn = 0;
  private lastTimestampOut = 0;

  constructor(
    private readonly storage: NegentropyStorage,
    private readonly frameSizeLimit: number = DEFAULT_FRAME_SIZE_LIMIT,
    private readonly options: NegentropyOptions = {},
  ) {
    if (!Number.isSafeInteger(frameSizeLimit) || frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
      throw new Refused('bad-negentropy-frame-limit', `frameSizeLimit ${frameSizeLimit} is under ${MIN_FRAME_SIZE_LIMIT} bytes`);
    }
  }

  get isInitiator(): boolean {
    return this.initiator;
  }

  /** The first message: the whole set in 16 fingerprinted buckets (or its id list if small). */
  initiate(): Uint8Array {
    if (this.initiator) throw new Refused('negentropy-already-initiated', 'this reconciler already sent its first message');
    this.initiator = true;
    this.lastTimestampOut = 0;
    const out = new MessageWriter();
    out.byte(PROTOCOL_VERSION);
    this.splitRange(0, this.storage.size(), INFINITE_BOUND, out);
    return out.result();
  }

  /**
   * A first message of one range, everything up to infinity, in fingerprint mode: the whole
   * set's fingerprint in 20 bytes. Still protocol version 1 (a responder treats it as any range:
   * skips it when the fingerprints agree, splits it into buckets when not), so it costs one round
   * trip more when the sets differ and an eighteenth of the bytes when they do not: what a live
   * link that converged a moment ago sends to learn whether anything moved (0006 "Rounds").
   */
  initiateProbe(): Uint8Array {
    if (this.initiator) throw new Refused('negentropy-already-initiated', 'this reconciler already sent its first message');
    this.initiator = true;
    this.lastTimestampOut = 0;
    const out = new MessageWriter();
    out.byte(PROTOCOL_VERSION);
    this.encodeBound(INFINITE_BOUND, out);
    out.varint(Mode.Fingerprint);
    out.bytes(this.storage.fingerprint(0, this.storage.size()));
    return out.result();
  }

  reconcile(message: Uint8Array): ReconcileResult {
    this.rounds += 1;
    if (this.rounds > MAX_ROUNDS) {
      throw new Refused('ranges-did-not-converge', `negentropy session still open after ${MAX_ROUNDS} rounds`);
    }
    const have: Uint8Array[] = [];
    const need: Uint8Array[] = [];
    const query = new MessageReader(message);
    this.lastTimestampIn = 0;
    this.lastTimestampOut = 0;
    const full = new MessageWriter();
    full.byte(PROTOCOL_VERSION);

    const version = query.byte();
    if (version < 0x60 || version > 0x6f) {
      throw new Refused('bad-negentropy-message', `negentropy message opens with 0x${version.toString(16)}, not a version byte`);
    }
    if (version !== PROTOCOL_VERSION) {
      // The protocol's answer to a version it does not speak: a responder replies with its own
      // version byte alone, so the initiator can fall back; an initiator has nothing to offer.
      if (this.initiator) {
        throw new Refused('bad-negentropy-message', `peer speaks negentropy version ${version - 0x60}, not 1`);
      }
      return { reply: full.result(), have, need };
    }

    const size = this.storage.size();
    let prevBound: Bound = { timestamp: 0, id: EMPTY_ID };
    let prevIndex = 0;
    let skip = false;

    while (query.remaining > 0) {
      let o = new MessageWriter();
      const flushSkip = (): void => {
        if (skip) {
          skip = false;
          this.encodeBound(prevBound, o);
          o.varint(Mode.Skip);
        }
      };

      const currBound = this.decodeBound(query);
      if (compareItems(currBound, prevBound) < 0) {
        throw new Refused('bad-negentropy-message', 'negentropy message has a range bound below the one before it');
      }
      const mode = query.varint();
      const lower = prevIndex;
      let upper = this.storage.findLowerBound(prevIndex, size, currBound);

      if (mode === Mode.Skip) {
        skip = true;
      } else if (mode === Mode.Fingerprint) {
        const theirs = query.take(FINGERPRINT_SIZE);
        const ours = this.storage.fingerprint(lower, upper);
        if (compareBytes(theirs, ours) !== 0) {
          flushSkip();
          this.splitRange(lower, upper, currBound, o);
        } else {
          skip = true;
        }
      } else if (mode === Mode.IdList) {
        const count = query.varint();
        if (count * ID_SIZE > query.remaining) {
          throw new Refused('bad-negentropy-message', `negentropy id list claims ${count} ids, more than the message holds`);
        }
        const theirs = new Map<string, Uint8Array>();
        for (let i = 0; i < count; i++) {
          const id = query.take(ID_SIZE);
          theirs.set(hexOf(id), id);
        }
        if (this.initiator || this.options.responderSettlesIdLists === true) {
          skip = true;
          this.storage.iterate(lower, upper, (item) => {
            const key = hexOf(item.id);
            if (theirs.has(key)) theirs.delete(key);
            else have.push(Uint8Array.from(item.id));
            return true;
          });
          for (const id of theirs.values()) need.push(id);
        } else {
          flushSkip();
          const ids = new MessageWriter();
          let listed = 0;
          let endBound: Bound = currBound;
          this.storage.iterate(lower, upper, (item, index) => {
            if (this.exceeds(full.length + ids.length)) {
              // Out of room: this list stops here, and the rest of the range goes as one
              // fingerprint below (upper shrinks so that fingerprint covers it).
              endBound = item;
              upper = index;
              return false;
            }
            ids.bytes(item.id);
            listed += 1;
            return true;
          });
          this.encodeBound(endBound, o);
          o.varint(Mode.IdList);
          o.varint(listed);
          o.append(ids);
          full.append(o);
          o = new MessageWriter();
        }
      } else {
        throw new Refused('bad-negentropy-message', `negentropy range has unknown mode ${mode}`);
      }

      if (this.exceeds(full.length + o.length)) {
        // The frame is full: one fingerprint over everything not yet answered, as the reference.
        const rest = this.storage.fingerprint(upper, size);
        this.encodeBound(INFINITE_BOUND, full);
        full.varint(Mode.Fingerprint);
        full.bytes(rest);
        break;
      }
      full.append(o);
      prevIndex = upper;
      prevBound = currBound;
    }

    const reply = full.length === 1 && this.initiator ? null : full.result();
    return { reply, have, need };
  }

  private splitRange(lower: number, upper: number, upperBound: Bound, o: MessageWriter): void {
    const count = upper - lower;
    if (count < BUCKETS * 2) {
      this.encodeBound(upperBound, o);
      o.varint(Mode.IdList);
      o.varint(count);
      this.storage.iterate(lower, upper, (item) => {
        o.bytes(item.id);
        return true;
      });
      return;
    }
    const perBucket = Math.floor(count / BUCKETS);
    const withExtra = count % BUCKETS;
    let curr = lower;
    for (let i = 0; i < BUCKETS; i++) {
      const bucketSize = perBucket + (i < withExtra ? 1 : 0);
      const fingerprint = this.storage.fingerprint(curr, curr + bucketSize);
      curr += bucketSize;
      let next: Bound;
      if (curr === upper) {
        next = upperBound;
      } else {
        let prev: Item | undefined;
        let here: Item | undefined;
        this.storage.iterate(curr - 1, curr + 1, (item, index) => {
          if (index === curr - 1) prev = item;
          else here = item;
          return true;
        });
        next = minimalBound(prev as Item, here as Item);
      }
      this.encodeBound(next, o);
      o.varint(Mode.Fingerprint);
      o.bytes(fingerprint);
    }
  }

  /** The reference keeps 200 bytes spare under the limit for the closing fingerprint. */
  private exceeds(n: number): boolean {
    return n > this.frameSizeLimit - 200;
  }

  private decodeBound(query: MessageReader): Bound {
    const timestamp = this.decodeTimestamp(query);
    const length = query.varint();
    if (length > ID_SIZE) {
      throw new Refused('bad-negentropy-message', `negentropy bound has an id prefix of ${length} bytes, over ${ID_SIZE}`);
    }
    return { timestamp, id: query.take(length) };
  }

  /** `1 + delta` from the previous bound in this message, 0 for infinity (which then sticks). */
  private decodeTimestamp(query: MessageReader): number {
    const encoded = query.varint();
    if (encoded === 0 || this.lastTimestampIn === INFINITE_TIMESTAMP) {
      this.lastTimestampIn = INFINITE_TIMESTAMP;
      return INFINITE_TIMESTAMP;
    }
    const timestamp = this.lastTimestampIn + encoded - 1;
    if (timestamp > Number.MAX_SAFE_INTEGER) {
      throw new Refused('bad-negentropy-message', 'negentropy bound timestamp passes 2^53 - 1');
    }
    this.lastTimestampIn = timestamp;
    return timestamp;
  }

  private encodeBound(bound: Bound, o: MessageWriter): void {
    if (bound.timestamp === INFINITE_TIMESTAMP) {
      this.lastTimestampOut = INFINITE_TIMESTAMP;
      o.varint(0);
    } else {
      o.varint(bound.timestamp - this.lastTimestampOut + 1);
      this.lastTimestampOut = bound.timestamp;
    }
    o.varint(bound.id.length);
    o.bytes(bound.id);
  }
}

/** The shortest bound that sorts after `prev` and at or before `curr`. */
function minimalBound(prev: Item, curr: Item): Bound {
  if (curr.timestamp !== prev.timestamp) return { timestamp: curr.timestamp, id: EMPTY_ID };
  let shared = 0;
  while (shared < ID_SIZE && curr.id[shared] === prev.id[shared]) shared++;
  return { timestamp: curr.timestamp, id: curr.id.slice(0, shared + 1) };
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Whether a message is exactly a probe (initiateProbe): version 1, one infinite range, mode fingerprint, 16 bytes. */
export function isProbe(message: Uint8Array): boolean {
  return message.length === 4 + FINGERPRINT_SIZE && message[0] === PROTOCOL_VERSION && message[1] === 0 && message[2] === 0 && message[3] === Mode.Fingerprint;
}
