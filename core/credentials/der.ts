/**
 * Just enough of a DER reader (ITU-T X.690 §8, §10) to find the exact bytes X.509 signs and names:
 * tbsCertificate / tbsCertList, Names, algorithm identifiers, times, signatures. Internal.
 */
import { CredentialError, type CredentialReason } from './errors.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  /** [0] EXPLICIT, constructed: the version of a certificate, the extensions of a CRL. */
  context0: 0xa0,
  /** [3] EXPLICIT, constructed: the extensions of a certificate. */
  context3: 0xa3,
} as const;

/** One tag-length-value element: offsets into the buffer it was read from. */
export interface Tlv {
  readonly tag: number;
  /** Where the element's header (tag byte) starts. */
  readonly start: number;
  /** Where its contents start. */
  readonly contentStart: number;
  /** One past its last byte. */
  readonly end: number;
}

/** One extension as it stands in the DER: its value is the OCTET STRING's contents. */
export interface DerExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export class DerReader {
  constructor(
    readonly bytes: Uint8Array,
    /** The reason a structural error is reported under (malformed-certificate, malformed-crl…). */
    private readonly reason: CredentialReason,
  ) {}

  /** The element starting at `offset`, which must end by `limit`. */
  read(offset: number, limit = this.bytes.length): Tlv {
    if (offset + 2 > limit) this.fail('truncated element');
    const tag = this.bytes[offset]!;
    // X.509's structures only use low tag numbers; the high-tag form (0x1f) never appears.
    if ((tag & 0x1f) === 0x1f) this.fail('high tag number');
    const first = this.bytes[offset + 1]!;
    let length: number;
    let contentStart: number;
    if (first < 0x80) {
      length = first;
      contentStart = offset + 2;
    } else {
      // X.690 §10.1: DER uses the definite form only; 4 length bytes cover any sane certificate.
      const count = first & 0x7f;
      if (count === 0 || count > 4) this.fail('indefinite or oversized length');
      if (offset + 2 + count > limit) this.fail('truncated length');
      length = 0;
      for (let i = 0; i < count; i += 1) length = length * 256 + this.bytes[offset + 2 + i]!;
      contentStart = offset + 2 + count;
    }
    const end = contentStart + length;
    if (end > limit) this.fail('element overruns its container');
    return { tag, start: offset, contentStart, end };
  }

  /** The element filling the whole buffer (nothing may trail it). */
  root(expectedTag: number): Tlv {
    const tlv = this.read(0);
    if (tlv.tag !== expectedTag || tlv.end !== this.bytes.length) this.fail('unexpected outer element');
    return tlv;
  }

  /** The elements directly inside a constructed element. */
  children(parent: Tlv): Tlv[] {
    const out: Tlv[] = [];
    for (let offset = parent.contentStart; offset < parent.end; ) {
      const child = this.read(offset, parent.end);
      out.push(child);
      offset = child.end;
    }
    return out;
  }

  /** The whole element, header included: what gets hashed, compared or signed. */
  whole(tlv: Tlv): Uint8Array {
    return this.bytes.subarray(tlv.start, tlv.end);
  }

  content(tlv: Tlv): Uint8Array {
    return this.bytes.subarray(tlv.contentStart, tlv.end);
  }

  expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
    if (!tlv || tlv.tag !== tag) this.fail(`${what} missing`);
    return tlv;
  }

  /** A BIT STRING's bits as bytes; signatures and keys never have unused bits (X.690 §8.6.2.2). */
  bitStringBytes(tlv: Tlv): Uint8Array {
    const content = this.content(this.expect(tlv, TAG.bitString, 'bit string'));
    if (content.length === 0 || content[0] !== 0) this.fail('bit string with unused bits');
    return content.subarray(1);
  }

  /** The OID of an AlgorithmIdentifier SEQUENCE (RFC 5280 §4.1.1.2). */
  algorithmOid(tlv: Tlv): string {
    const [oid] = this.children(this.expect(tlv, TAG.sequence, 'algorithm identifier'));
    return decodeOid(this.content(this.expect(oid, TAG.oid, 'algorithm OID')), () => this.fail('bad OID'));
  }

  oid(tlv: Tlv | undefined): string {
    return decodeOid(this.content(this.expect(tlv, TAG.oid, 'OID')), () => this.fail('bad OID'));
  }

  /** UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows (UTC, whole seconds), as epoch ms. */
  time(tlv: Tlv | undefined): number {
    if (!tlv || (tlv.tag !== TAG.utcTime && tlv.tag !== TAG.generalizedTime)) this.fail('time missing');
    const text = Buffer.from(this.content(tlv)).toString('latin1');
    const match = tlv.tag === TAG.utcTime ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!match) this.fail('time not in RFC 5280 form');
    let year = Number(match[1]);
    // §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
    if (tlv.tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
    const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(ms);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) this.fail('impossible date');
    return ms;
  }

  /**
   * Extensions ::= SEQUENCE OF SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
   * (RFC 5280 §4.1, §5.1). A repeated extension is malformed (§4.2: "MUST NOT include more than one").
   */
  extensions(list: Tlv | undefined): DerExtension[] {
    const out: DerExtension[] = [];
    for (const item of this.children(this.expect(list, TAG.sequence, 'extensions'))) {
      const parts = this.children(this.expect(item, TAG.sequence, 'extension'));
      const oid = this.oid(parts[0]);
      const hasCritical = parts[1]?.tag === TAG.boolean;
      const critical = hasCritical && this.boolean(parts[1]);
      const value = this.content(this.expect(parts[hasCritical ? 2 : 1], TAG.octetString, 'extension value'));
      if (parts.length !== (hasCritical ? 3 : 2)) this.fail('extension shape');
      if (out.some((extension) => extension.oid === oid)) this.fail(`repeated extension ${oid}`);
      out.push({ oid, critical, value });
    }
    return out;
  }

  boolean(tlv: Tlv | undefined): boolean {
    const content = this.content(this.expect(tlv, TAG.boolean, 'BOOLEAN'));
    if (content.length !== 1) this.fail('BOOLEAN length');
    return content[0] !== 0;
  }

  /** A non-negative INTEGER's magnitude as uppercase hex without leading zeros (serials, CRL numbers). */
  unsignedHex(tlv: Tlv | undefined): string {
    const content = this.content(this.expect(tlv, TAG.integer, 'INTEGER'));
    if (content.length === 0) this.fail('empty INTEGER');
    return Buffer.from(content).toString('hex').replace(/^0+(?=.)/, '').toUpperCase();
  }

  fail(detail: string): never {
    throw new CredentialError(this.reason, `The ${this.reason === 'malformed-crl' ? 'CRL' : 'data'} is not valid DER (${detail}).`);
  }
}

/** Dotted form of an OBJECT IDENTIFIER (X.690 §8.19); arcs may exceed 2^53 (UUID arcs, 2.25.…). */
export function decodeOid(content: Uint8Array, fail: () => never): string {
  if (content.length === 0 || content[content.length - 1]! & 0x80) fail();
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER, DER-encoded (X.690 §8.3): for the cRLNumber extension. */
export function encodeInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new CredentialError('invalid-argument', 'A CRL number cannot be negative.');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading 1 bit would read as negative: prefix a zero byte.
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  if (content.length > 127) throw new CredentialError('invalid-argument', 'The CRL number is too large.');
  return Uint8Array.from([TAG.integer, content.length, ...content]);
}
