/**
 * Range fingerprints (hoytech/negentropy "Fingerprints"): the ids read as 256-bit little-endian
 * numbers are added mod 2^256, then SHA-256 over (that sum, 32 bytes LE ‖ varint count) and the
 * first 16 bytes kept. Addition commutes, so a sum can be kept per run of items and combined
 * (the persistent index does), and subtracted back out (`subtract`) for the rest of a run.
 */
import { createHash } from 'node:crypto';
import { FINGERPRINT_SIZE, ID_SIZE } from './items.js';
import { encodeVarint } from './varint.js';

const LIMBS = ID_SIZE / 4;

/** A 256-bit sum as eight little-endian 32-bit limbs. */
export class IdSum {
  private readonly limbs = new Uint32Array(LIMBS);

  static of(bytes: Uint8Array): IdSum {
    const sum = new IdSum();
    sum.add(bytes);
    return sum;
  }

  /** Adds a 32-byte id (or a stored 32-byte sum) mod 2^256. */
  add(bytes: Uint8Array): this {
    let carry = 0;
    for (let i = 0; i < LIMBS; i++) {
      const o = i * 4;
      const limb =
        ((bytes[o] as number) | ((bytes[o + 1] as number) << 8) | ((bytes[o + 2] as number) << 16)) +
        (bytes[o + 3] as number) * 0x1000000;
      const next = (this.limbs[i] as number) + limb + carry;
      this.limbs[i] = next >>> 0;
      carry = next > 0xffffffff ? 1 : 0;
    }
    return this;
  }

  addSum(other: IdSum): this {
    return this.add(other.bytes());
  }

  /** Subtracts mod 2^256: adds the two's complement. */
  subtract(bytes: Uint8Array): this {
    const negated = new Uint8Array(ID_SIZE);
    for (let i = 0; i < ID_SIZE; i++) negated[i] = ~(bytes[i] as number) & 0xff;
    this.add(negated);
    const one = new Uint8Array(ID_SIZE);
    one[0] = 1;
    return this.add(one);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(ID_SIZE);
    for (let i = 0; i < LIMBS; i++) {
      const v = this.limbs[i] as number;
      out[i * 4] = v & 0xff;
      out[i * 4 + 1] = (v >>> 8) & 0xff;
      out[i * 4 + 2] = (v >>> 16) & 0xff;
      out[i * 4 + 3] = (v >>> 24) & 0xff;
    }
    return out;
  }

  fingerprint(count: number): Uint8Array {
    return fingerprintOf(this.bytes(), count);
  }
}

/** SHA-256(sum ‖ varint(count)), first 16 bytes. */
export function fingerprintOf(sum: Uint8Array, count: number): Uint8Array {
  const hash = createHash('sha256').update(sum).update(encodeVarint(count)).digest();
  return new Uint8Array(hash.buffer, hash.byteOffset, FINGERPRINT_SIZE).slice();
}
