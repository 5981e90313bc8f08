/**
 * The protocol's varint: base-128, most significant group first, every byte but the last with
 * its high bit set (hoytech/negentropy "Varint"; unlike LEB128 the order is big-endian). Values
 * go up to 2^53 - 1, done with arithmetic rather than 32-bit bit operations, so millisecond
 * timestamps (over 2^32) round-trip.
 */
import { Refused } from '../../common/refused.js';

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Refused('bad-negentropy-message', `varint ${value} is not a non-negative safe integer`);
  }
  const groups: number[] = [];
  let rest = value;
  do {
    groups.push(rest % 128);
    rest = Math.floor(rest / 128);
  } while (rest > 0);
  groups.reverse();
  for (let i = 0; i < groups.length - 1; i++) groups[i] = (groups[i] as number) | 0x80;
  return Uint8Array.from(groups);
}

/** Reads a message front to back; every shortfall is one `bad-negentropy-message` refusal. */
export class MessageReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  byte(): number {
    if (this.remaining < 1) throw truncated('a byte');
    return this.bytes[this.position++] as number;
  }

  take(n: number): Uint8Array {
    if (this.remaining < n) throw truncated(`${n} bytes`);
    const out = this.bytes.slice(this.position, this.position + n);
    this.position += n;
    return out;
  }

  varint(): number {
    let value = 0;
    for (;;) {
      if (this.remaining < 1) throw truncated('the rest of a varint');
      const b = this.bytes[this.position++] as number;
      value = value * 128 + (b & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new Refused('bad-negentropy-message', 'negentropy message holds a varint past 2^53 - 1');
      }
      if ((b & 0x80) === 0) return value;
    }
  }
}

function truncated(what: string): Refused {
  return new Refused('bad-negentropy-message', `negentropy message ends before ${what}`);
}

/** Appends bytes to one growing buffer (doubling), for building messages. */
export class MessageWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  bytes(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  varint(value: number): void {
    this.bytes(encodeVarint(value));
  }

  append(other: MessageWriter): void {
    this.bytes(other.buffer.subarray(0, other.length));
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
