/**
 * One X.509 certificate (RFC 5280 §4) read once into plain values — node:crypto parses it and
 * gives its key and EKUs; our DER walk reads the rest — so path validation never re-reads DER.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { DerReader, TAG, type DerExtension, type Tlv } from './der.js';
import { CredentialError } from './errors.js';
import { algorithmOf, type KeyAlgorithm } from './keys.js';
import { readPemBlocks, readSinglePem, toPem } from './pem.js';
import { parsePrincipalUri, type Principal } from './roles.js';

/**
 * RFC 5280 §4.2.1.3 key usage bits as flags: bit n is 1 << n (digitalSignature is bit 0), the
 * numbering @peculiar/x509's KeyUsageFlags uses too.
 */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
} as const;

/** Real certificates are a few kilobytes; anything past this is refused before parsing. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;
/** RFC 5280 §4.2: a critical extension the validator does not process makes the certificate unusable. */
const PROCESSED_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(OID));

export interface ParsedCertificate {
  readonly x509: X509Certificate;
  readonly der: Buffer;
  /** Lowercase hex SHA-256 of the DER: how Entente names a certificate. */
  readonly sha256: string;
  /** Built once: node makes a new KeyObject on every `X509Certificate.publicKey` read. */
  readonly publicKey: KeyObject;
  /** Ed25519 or P-256, or undefined for any other key (a CA may have one; a principal may not). */
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  /** Uppercase hex without leading zeros (normaliseSerial), for matching CRL entries. */
  readonly serial: string;
  /** The subject as one line, for messages. */
  readonly subject: string;
  /** Hex of the DER-encoded subject and issuer Names: issuers are found by exact match. */
  readonly subjectDer: string;
  readonly issuerDer: string;
  readonly selfIssued: boolean;
  /** Subject name + key: the identity RFC 4158 loop detection and CRL matching use. */
  readonly identity: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCa: boolean;
  readonly pathLength: number | undefined;
  /** Key usage flags (KEY_USAGE), or undefined when the extension is absent. */
  readonly keyUsage: number | undefined;
  /** Extended key usage OIDs, or undefined when the extension is absent. */
  readonly extendedKeyUsages: ReadonlySet<string> | undefined;
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  /** The Entente principal its SAN names, if any. */
  readonly principal: Principal | undefined;
  readonly unhandledCriticalExtensions: readonly string[];
}

export type CertificateInput = string | Uint8Array | X509Certificate | ParsedCertificate;

/**
 * Reads a certificate from PEM (exactly one CERTIFICATE block), DER, or a node X509Certificate.
 *
 * @throws CredentialError 'malformed-pem' | 'malformed-certificate'
 */
export function parseCertificate(input: CertificateInput): ParsedCertificate {
  if (isParsedCertificate(input)) return input;
  if (input instanceof X509Certificate) return fromDer(input.raw, input);
  if (typeof input === 'string') {
    if (input.length > MAX_CERTIFICATE_BYTES * 2) throw new CredentialError('malformed-certificate', 'The certificate is too large.');
    return fromDer(readSinglePem(input, ['CERTIFICATE'], 'certificate').der);
  }
  if (input instanceof Uint8Array) return fromDer(Buffer.from(input));
  throw new CredentialError('malformed-certificate', 'The certificate is neither PEM, DER nor a parsed certificate.');
}

/** Every CERTIFICATE block in a PEM text (a chain file), in order. */
export function parseCertificates(pemText: string): ParsedCertificate[] {
  return readPemBlocks(pemText)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => fromDer(block.der));
}

/** Only objects made here count as parsed: a look-alike literal cannot skip the checks. */
const PARSED = new WeakSet<object>();

export function isParsedCertificate(value: unknown): value is ParsedCertificate {
  return typeof value === 'object' && value !== null && PARSED.has(value);
}

/** Lowercase hex SHA-256 of a certificate's DER. */
export function fingerprint(certificate: X509Certificate | Uint8Array): string {
  return createHash('sha256').update(certificate instanceof X509Certificate ? certificate.raw : certificate).digest('hex');
}

/** Serials as node:crypto prints them, minus leading zeros: one spelling for certificates and CRL entries. */
export function normaliseSerial(serial: string): string {
  return serial.replace(/^0+(?=.)/, '').toUpperCase();
}

function fromDer(der: Buffer, parsedByNode?: X509Certificate): ParsedCertificate {
  if (der.length > MAX_CERTIFICATE_BYTES) throw new CredentialError('malformed-certificate', 'The certificate is too large.');
  // Our walk first: it refuses trailing bytes, which node would ignore — two byte strings would
  // then be "the same" certificate under two fingerprints.
  const tbs = readTbs(der);
  let cert: X509Certificate;
  let publicKey: KeyObject;
  try {
    cert = parsedByNode ?? new X509Certificate(der);
    publicKey = cert.publicKey;
  } catch {
    throw new CredentialError('malformed-certificate', 'The certificate cannot be parsed.');
  }
  let keyAlgorithm: KeyAlgorithm | undefined;
  try {
    keyAlgorithm = algorithmOf(publicKey);
  } catch {
    keyAlgorithm = undefined;
  }
  const parsed: ParsedCertificate = Object.freeze({
    x509: cert,
    der,
    sha256: fingerprint(der),
    publicKey,
    keyAlgorithm,
    serial: normaliseSerial(cert.serialNumber),
    subject: cert.subject.replace(/\n/g, ', ') || '(empty subject)',
    subjectDer: tbs.subject,
    issuerDer: tbs.issuer,
    selfIssued: tbs.subject === tbs.issuer,
    identity: `${tbs.subject}/${tbs.spkiSha256}`,
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
    // node's `keyUsage` is in fact the extended key usages (and, unlike @peculiar/x509 2.2, it
    // prints OID arcs past 2^53 — Entente's own UUID arc — correctly).
    extendedKeyUsages: cert.keyUsage ? new Set(cert.keyUsage) : undefined,
    ...readExtensions(tbs.reader, tbs.extensions),
  });
  PARSED.add(parsed);
  return parsed;
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature } (§4.1);
 * TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, issuer, validity, subject,
 *   subjectPublicKeyInfo, [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions }
 */
function readTbs(der: Buffer) {
  const reader = new DerReader(der, 'malformed-certificate');
  const parts = reader.children(reader.root(TAG.sequence));
  if (parts.length !== 3) reader.fail('Certificate shape');
  const fields = reader.children(reader.expect(parts[0], TAG.sequence, 'tbsCertificate'));
  const first = fields[0]?.tag === TAG.context0 ? 1 : 0;
  const issuer = reader.expect(fields[first + 2], TAG.sequence, 'issuer');
  const validity = reader.children(reader.expect(fields[first + 3], TAG.sequence, 'validity'));
  const subject = reader.expect(fields[first + 4], TAG.sequence, 'subject');
  const spki = reader.expect(fields[first + 5], TAG.sequence, 'subjectPublicKeyInfo');
  const extensionsField = fields.slice(first + 6).find((field) => field.tag === TAG.context3);
  let extensions: DerExtension[] = [];
  if (extensionsField) {
    const wrapped = reader.children(extensionsField);
    if (wrapped.length !== 1) reader.fail('extensions wrapper');
    extensions = reader.extensions(wrapped[0]);
  }
  return {
    reader,
    issuer: hex(reader.whole(issuer)),
    subject: hex(reader.whole(subject)),
    spkiSha256: createHash('sha256').update(reader.whole(spki)).digest('hex'),
    notBefore: reader.time(validity[0]),
    notAfter: reader.time(validity[1]),
    extensions,
  };
}

type ExtensionValues = Pick<ParsedCertificate, 'isCa' | 'pathLength' | 'keyUsage' | 'subjectKeyId' | 'authorityKeyId' | 'principal' | 'unhandledCriticalExtensions'>;

function readExtensions(reader: DerReader, extensions: readonly DerExtension[]): ExtensionValues {
  const values: { -readonly [K in keyof ExtensionValues]: ExtensionValues[K] } = {
    isCa: false,
    pathLength: undefined,
    keyUsage: undefined,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
    principal: undefined,
    unhandledCriticalExtensions: extensions.filter((e) => e.critical && !PROCESSED_EXTENSIONS.has(e.oid)).map((e) => e.oid),
  };
  for (const { oid, value } of extensions) {
    const inner = new DerReader(value, 'malformed-certificate');
    if (oid === OID.basicConstraints) {
      // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } (§4.2.1.9)
      const parts = inner.children(inner.root(TAG.sequence));
      const hasCa = parts[0]?.tag === TAG.boolean;
      values.isCa = hasCa && inner.boolean(parts[0]);
      const pathLength = parts[hasCa ? 1 : 0];
      if (pathLength && values.isCa) values.pathLength = Number.parseInt(inner.unsignedHex(pathLength), 16);
    } else if (oid === OID.keyUsage) {
      values.keyUsage = keyUsageFlags(inner, inner.root(TAG.bitString));
    } else if (oid === OID.subjectKeyIdentifier) {
      // SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING (§4.2.1.2)
      values.subjectKeyId = hex(inner.content(inner.root(TAG.octetString)));
    } else if (oid === OID.authorityKeyIdentifier) {
      // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … } (§4.2.1.1)
      const keyId = inner.children(inner.root(TAG.sequence)).find((part) => part.tag === 0x80);
      values.authorityKeyId = keyId ? hex(inner.content(keyId)) : undefined;
    } else if (oid === OID.subjectAltName) {
      values.principal = principalOf(inner);
    }
  }
  return values;
}

/** KeyUsage ::= BIT STRING, bit 0 first (the first content byte counts the unused trailing bits). */
function keyUsageFlags(reader: DerReader, bits: Tlv): number {
  const content = reader.content(bits);
  if (content.length === 0 || content[0]! > 7) reader.fail('key usage bits');
  let flags = 0;
  for (let bit = 0; bit < (content.length - 1) * 8 && bit < 16; bit += 1) {
    if ((content[1 + (bit >> 3)]! & (0x80 >> (bit & 7))) !== 0) flags |= 1 << bit;
  }
  return flags;
}

/** The first Entente principal among the SAN's URIs: GeneralName uniformResourceIdentifier [6] IA5String (§4.2.1.6). */
function principalOf(reader: DerReader): Principal | undefined {
  for (const name of reader.children(reader.root(TAG.sequence))) {
    if (name.tag !== 0x86) continue;
    const principal = parsePrincipalUri(Buffer.from(reader.content(name)).toString('latin1'));
    if (principal) return principal;
  }
  return undefined;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** What the store keeps of a certificate beside its PEM. */
export interface IssuedCertificate {
  readonly pem: string;
  readonly sha256: string;
  /** As node:crypto prints it (uppercase hex). */
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export function describe(certificate: CertificateInput): IssuedCertificate {
  const parsed = parseCertificate(certificate);
  return {
    pem: toPem('CERTIFICATE', parsed.der),
    sha256: parsed.sha256,
    serial: parsed.x509.serialNumber.toUpperCase(),
    notBefore: new Date(parsed.notBefore).toISOString(),
    notAfter: new Date(parsed.notAfter).toISOString(),
  };
}
