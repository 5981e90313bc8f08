/** The small DER reader (X.690): OIDs with UUID-sized arcs, lengths, and hostile lengths refused. */
import { describe, expect, it } from 'vitest';
import { decodeOid, DerReader, encodeInteger, TAG } from './der.js';
import { CredentialError } from './errors.js';
import { readPemBlocks, toPem } from './pem.js';

const fail = (): never => {
  throw new Error('bad OID');
};

function base128(value: bigint): number[] {
  const out = [Number(value & 0x7fn)];
  for (let v = value >> 7n; v > 0n; v >>= 7n) out.unshift(Number(v & 0x7fn) | 0x80);
  return out;
}

describe('DER', () => {
  it('decodes OIDs, including arcs far past 2^53', () => {
    expect(decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]), fail)).toBe('1.2.840.113549');
    expect(decodeOid(Uint8Array.from([0x2b, 0x65, 0x70]), fail)).toBe('1.3.101.112');
    // 2.25.<UUID>: first subidentifier 2*40+25, then the UUID's integer in base 128.
    expect(decodeOid(Uint8Array.from([0x69, ...base128(121034695760258903549271907082826566419n)]), fail)).toBe('2.25.121034695760258903549271907082826566419');
    // X.690 §8.19.4: under arc 2 the second arc may exceed 39 (2.999 is 0x88 0x37).
    expect(decodeOid(Uint8Array.from([0x88, 0x37]), fail)).toBe('2.999');
    expect(() => decodeOid(Uint8Array.from([0x86]), fail)).toThrow('bad OID');
  });

  it('encodes non-negative INTEGERs minimally, with a zero byte before a high bit', () => {
    expect([...encodeInteger(0n)]).toEqual([TAG.integer, 1, 0]);
    expect([...encodeInteger(127n)]).toEqual([TAG.integer, 1, 0x7f]);
    expect([...encodeInteger(128n)]).toEqual([TAG.integer, 2, 0, 0x80]);
    expect([...encodeInteger(0x1234n)]).toEqual([TAG.integer, 2, 0x12, 0x34]);
  });

  it('refuses indefinite, overrunning and trailing lengths', () => {
    const read = (bytes: number[]) => () => new DerReader(Uint8Array.from(bytes), 'malformed-certificate').root(TAG.sequence);
    expect(read([0x30, 0x80, 0, 0])).toThrow(CredentialError);
    expect(read([0x30, 0x85, 1, 1, 1, 1, 1])).toThrow(CredentialError);
    expect(read([0x30, 0x05, 1])).toThrow(CredentialError);
    expect(read([0x30, 0x00, 0x00])).toThrow(CredentialError);
    expect(read([0x30, 0x00])()).toMatchObject({ tag: 0x30, contentStart: 2, end: 2 });
  });
});

describe('PEM', () => {
  it('round-trips, ignoring text around blocks (RFC 7468 §2)', () => {
    const der = Uint8Array.from({ length: 100 }, (_, i) => i);
    const text = `Certificate:\n  some openssl -text output\n${toPem('CERTIFICATE', der)}trailing words`;
    const [block] = readPemBlocks(text);
    expect(block!.label).toBe('CERTIFICATE');
    expect([...block!.der]).toEqual([...der]);
  });
});
