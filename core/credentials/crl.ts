/**
 * Certificate revocation lists (RFC 5280 §5): issued with @peculiar/x509; read with our own DER
 * walk and believed only once the signature verifies against the issuer (§6.3.3 (f), (g)).
 */
import { verify as verifySignature } from 'node:crypto';
import { normaliseSerial, parseCertificate, KEY_USAGE, type CertificateInput, type ParsedCertificate } from './certificate.js';
import { bytesFor, x509 } from './crypto-provider.js';
import { DerReader, encodeInteger, TAG, type DerExtension, type Tlv } from './der.js';
import { CredentialError } from './errors.js';
import { checkIssuer, type IssuerInput } from './issue.js';
import { readSinglePem, toPem } from './pem.js';
import { signingAlgorithm, toWebKeyPair } from './web-keys.js';

const DAY_MS = 86_400_000;
export const DEFAULT_CRL_DAYS = 7;
/** National CRLs can be long; past this a CRL is refused unread. */
export const MAX_CRL_BYTES = 16 * 1024 * 1024;

const OID = {
  crlNumber: '2.5.29.20',
  authorityKeyIdentifier: '2.5.29.35',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
} as const;
/**
 * §5.2, §5.3: a CRL (or entry) with a critical extension we do not process must not be used.
 * That refuses delta CRLs, partitioned CRLs (issuingDistributionPoint) and indirect CRLs
 * (certificateIssuer) — none of which a mesh's own CA issues.
 */
const PROCESSED_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(OID));

export interface Revocation {
  /** Hex, any case, leading zeros optional (node:crypto prints serials uppercase). */
  readonly serial: string;
  readonly revokedAt: Date;
  /** §5.3.2 invalidity date: when the key is known or suspected to have been compromised, if earlier. */
  readonly invalidSince?: Date;
  /** §5.3.1 reasonCode; keyCompromise goes with a stated compromise time. */
  readonly reason?: 'keyCompromise';
}

export interface CrlRequest extends IssuerInput {
  readonly revocations: readonly Revocation[];
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly nextUpdateDays?: number;
  /** §5.2.3 cRLNumber, monotonically increasing per issuer; defaults to thisUpdate in Unix seconds. */
  readonly number?: number | bigint;
}

/** A CRL signed by the issuing CA, as PEM. */
export async function issueCrl(request: CrlRequest): Promise<string> {
  const issuer = checkIssuer(request);
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE.cRLSign) === 0) {
    throw new CredentialError('not-a-ca', `${issuer.subject} may not sign CRLs (no cRLSign key usage).`);
  }
  const thisUpdate = new Date(Math.floor((request.thisUpdate ?? new Date()).getTime() / 1000) * 1000);
  const nextUpdate = new Date(Math.floor((request.nextUpdate?.getTime() ?? thisUpdate.getTime() + (request.nextUpdateDays ?? DEFAULT_CRL_DAYS) * DAY_MS) / 1000) * 1000);
  if (Number.isNaN(thisUpdate.getTime()) || !(nextUpdate.getTime() > thisUpdate.getTime())) {
    throw new CredentialError('invalid-argument', 'A CRL\'s nextUpdate must come after its thisUpdate.');
  }
  if (request.revocations.some((revocation) => !(revocation.revokedAt instanceof Date) || Number.isNaN(revocation.revokedAt.getTime()))) {
    throw new CredentialError('invalid-argument', 'Every revocation needs a valid revocation date.');
  }
  const number = BigInt(request.number ?? Math.floor(thisUpdate.getTime() / 1000));
  const web = await toWebKeyPair(request.issuerKeys);
  const issuerCert = new x509.X509Certificate(bytesFor(issuer.der));
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuerCert.subjectName,
    thisUpdate,
    nextUpdate,
    entries: request.revocations.map((revocation) => ({
      serialNumber: serialHex(revocation.serial),
      revocationDate: revocation.revokedAt,
      ...(revocation.invalidSince ? { invalidity: revocation.invalidSince } : {}),
      ...(revocation.reason === 'keyCompromise' ? { reason: x509.X509CrlReason.keyCompromise } : {}),
    })),
    extensions: [
      new x509.Extension(OID.crlNumber, false, bytesFor(encodeInteger(number))),
      // §5.2.1: conforming CRL issuers MUST include the authority key identifier.
      issuer.subjectKeyId ? new x509.AuthorityKeyIdentifierExtension(issuer.subjectKeyId, false) : await x509.AuthorityKeyIdentifierExtension.create(issuerCert, false),
    ],
    signingAlgorithm: signingAlgorithm(web.algorithm),
    signingKey: web.privateKey,
  });
  // RFC 7468 §9 labels a CRL "X509 CRL" (as openssl writes it); @peculiar/x509 would write "CRL".
  return toPem('X509 CRL', new Uint8Array(crl.rawData));
}

/** A CRL read but not yet trusted. */
export interface ParsedCrl {
  readonly der: Buffer;
  /** Hex of the issuer Name's DER, matched exactly against CA subjects. */
  readonly issuerDer: string;
  readonly issuer: string;
  readonly authorityKeyId: string | undefined;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly number: bigint | undefined;
  /** Serial (normalised) → when it stopped being trustworthy: the earlier of revocation and invalidity date. */
  readonly revoked: ReadonlyMap<string, number>;
  readonly tbs: Uint8Array;
  readonly signatureOid: string;
  readonly signature: Uint8Array;
}

/**
 * Reads a CRL (PEM "X509 CRL" block — or "CRL", as earlier Entente versions wrote — or DER)
 * without trusting it. The whole structure is read here with the DER reader: @peculiar/x509
 * 2.2 drops the extensions of a CRL that has no entries, and a critical extension must never
 * go unseen.
 *
 * @throws CredentialError 'malformed-pem' | 'malformed-crl' | 'bad-crl'
 */
export function parseCrl(input: string | Uint8Array): ParsedCrl {
  const der = typeof input === 'string' ? readSinglePem(input, ['X509 CRL', 'CRL'], 'CRL').der : Buffer.from(input);
  if (der.length > MAX_CRL_BYTES) throw new CredentialError('malformed-crl', 'The CRL is too large.');
  // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue } (§5.1)
  const reader = new DerReader(der, 'malformed-crl');
  const parts = reader.children(reader.root(TAG.sequence));
  if (parts.length !== 3) reader.fail('CertificateList shape');
  const tbs = reader.expect(parts[0], TAG.sequence, 'tbsCertList');
  const outerAlgorithm = reader.expect(parts[1], TAG.sequence, 'signatureAlgorithm');
  const signature = reader.expect(parts[2], TAG.bitString, 'signatureValue');

  // TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL,
  //   revokedCertificates OPTIONAL, [0] crlExtensions OPTIONAL } (§5.1.2)
  const fields = reader.children(tbs);
  let index = 0;
  if (fields[index]?.tag === TAG.integer) index += 1;
  const innerAlgorithm = reader.expect(fields[index++], TAG.sequence, 'signature algorithm');
  const issuerName = reader.expect(fields[index++], TAG.sequence, 'issuer');
  const thisUpdate = reader.time(fields[index++]);
  let nextUpdate: number | undefined;
  if (fields[index]?.tag === TAG.utcTime || fields[index]?.tag === TAG.generalizedTime) nextUpdate = reader.time(fields[index++]);
  let revoked = new Map<string, number>();
  if (fields[index]?.tag === TAG.sequence) revoked = readEntries(reader, fields[index++]!);
  let extensions: DerExtension[] = [];
  if (fields[index]?.tag === TAG.context0) extensions = readExtensionList(reader, reader.children(fields[index++]!)[0], 'CRL');
  if (index !== fields.length) reader.fail('unexpected field in tbsCertList');

  // §5.1.1.2: the algorithm inside the signed part must be the one outside it.
  if (!Buffer.from(reader.whole(innerAlgorithm)).equals(reader.whole(outerAlgorithm))) {
    throw new CredentialError('bad-crl', 'The CRL names two different signature algorithms.');
  }
  const number = extensions.find((extension) => extension.oid === OID.crlNumber);
  const aki = extensions.find((extension) => extension.oid === OID.authorityKeyIdentifier);
  return {
    der,
    issuerDer: Buffer.from(reader.whole(issuerName)).toString('hex'),
    issuer: displayName(reader.whole(issuerName)),
    authorityKeyId: aki ? keyIdentifierOf(aki.value) : undefined,
    thisUpdate,
    nextUpdate,
    number: number ? integerOf(number.value) : undefined,
    revoked,
    tbs: reader.whole(tbs),
    signatureOid: reader.algorithmOid(outerAlgorithm),
    signature: reader.bitStringBytes(signature),
  };
}

/** The extensions of a CRL or an entry; §5.2, §5.3: a critical one we do not process means the CRL is not used. */
function readExtensionList(reader: DerReader, list: Tlv | undefined, where: string): DerExtension[] {
  const extensions = reader.extensions(list);
  for (const extension of extensions) {
    if (extension.critical && !PROCESSED_EXTENSIONS.has(extension.oid)) {
      throw new CredentialError('bad-crl', `The ${where} has a critical extension (${extension.oid}) Entente does not process; the CRL is not used.`);
    }
  }
  return extensions;
}

/** revokedCertificates ::= SEQUENCE OF SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL } */
function readEntries(reader: DerReader, list: Tlv): Map<string, number> {
  const revoked = new Map<string, number>();
  for (const item of reader.children(list)) {
    const parts = reader.children(reader.expect(item, TAG.sequence, 'CRL entry'));
    if (parts.length > 3) reader.fail('CRL entry shape');
    const serial = reader.unsignedHex(parts[0]);
    let at = reader.time(parts[1]);
    if (parts[2]) {
      const invalidity = readExtensionList(reader, parts[2], 'CRL entry').find((extension) => extension.oid === OID.invalidityDate);
      if (invalidity) {
        const inner = new DerReader(invalidity.value, 'malformed-crl');
        at = Math.min(at, inner.time(inner.root(TAG.generalizedTime)));
      }
    }
    revoked.set(serial, Math.min(at, revoked.get(serial) ?? Number.POSITIVE_INFINITY));
  }
  return revoked;
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … } (§4.2.1.1) */
function keyIdentifierOf(value: Uint8Array): string | undefined {
  const reader = new DerReader(value, 'malformed-crl');
  const keyId = reader.children(reader.root(TAG.sequence)).find((part) => part.tag === 0x80);
  return keyId ? Buffer.from(reader.content(keyId)).toString('hex') : undefined;
}

/** CRLNumber ::= INTEGER (0..MAX) (§5.2.3) */
function integerOf(value: Uint8Array): bigint {
  const reader = new DerReader(value, 'malformed-crl');
  return BigInt(`0x${reader.unsignedHex(reader.root(TAG.integer))}`);
}

function displayName(nameDer: Uint8Array): string {
  try {
    return new x509.Name(bytesFor(nameDer)).toString() || 'an unnamed issuer';
  } catch {
    return 'an issuer whose name cannot be read';
  }
}

/** Signature algorithms a CRL may be signed with, and what node:crypto needs to check each. */
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, { readonly keyType: string; readonly hash: string | null }> = new Map([
  ['1.3.101.112', { keyType: 'ed25519', hash: null }], // RFC 8410 Ed25519
  ['1.2.840.10045.4.3.2', { keyType: 'ec', hash: 'sha256' }], // RFC 5758 ecdsa-with-SHA256
  ['1.2.840.10045.4.3.3', { keyType: 'ec', hash: 'sha384' }],
  ['1.2.840.10045.4.3.4', { keyType: 'ec', hash: 'sha512' }],
  ['1.2.840.113549.1.1.11', { keyType: 'rsa', hash: 'sha256' }], // RFC 4055 sha256WithRSAEncryption
  ['1.2.840.113549.1.1.12', { keyType: 'rsa', hash: 'sha384' }],
  ['1.2.840.113549.1.1.13', { keyType: 'rsa', hash: 'sha512' }],
]);

/**
 * Whether `issuer` issued this CRL (checked synchronously with node:crypto over the exact
 * tbsCertList bytes, so a verifier takes CRLs without awaiting): same Name, agreeing key identifiers, allowed to sign CRLs
 * (§6.3.3 (f): cRLSign when keyUsage is present), and the signature verifies with its key.
 * Returns a sentence saying why not, or undefined when it did.
 */
export function crlRefusal(crl: ParsedCrl, issuer: ParsedCertificate): string | undefined {
  if (crl.issuerDer !== issuer.subjectDer) return `The CRL was issued by ${crl.issuer}, not by ${issuer.subject}.`;
  if (crl.authorityKeyId && issuer.subjectKeyId && crl.authorityKeyId !== issuer.subjectKeyId) return `The CRL names a different key of ${issuer.subject}.`;
  if (!issuer.isCa || (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE.cRLSign) === 0)) return `${issuer.subject} is not allowed to sign CRLs.`;
  const algorithm = SIGNATURE_ALGORITHMS.get(crl.signatureOid);
  if (!algorithm || algorithm.keyType !== issuer.publicKey.asymmetricKeyType) return `The CRL's signature algorithm (${crl.signatureOid}) does not fit the key of ${issuer.subject}.`;
  let valid: boolean;
  try {
    valid = verifySignature(algorithm.hash, crl.tbs, algorithm.keyType === 'ec' ? { key: issuer.publicKey, dsaEncoding: 'der' } : issuer.publicKey, crl.signature);
  } catch {
    valid = false;
  }
  return valid ? undefined : `The CRL's signature does not verify with the key of ${issuer.subject}; it is not trusted.`;
}

/** A CRL whose signature verified against its issuer. */
export interface VerifiedCrl {
  readonly pem: string;
  readonly issuerSha256: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revoked: ReadonlyMap<string, Date>;
}

/**
 * Reads a CRL and checks it against the certificate of the CA that should have issued it.
 *
 * @throws CredentialError 'malformed-pem' | 'malformed-crl' | 'bad-crl'
 */
export function verifyCrl(crlPem: string | Uint8Array, issuerCertificate: CertificateInput): VerifiedCrl {
  const crl = parseCrl(crlPem);
  const issuer = parseCertificate(issuerCertificate);
  const refusal = crlRefusal(crl, issuer);
  if (refusal) throw new CredentialError('bad-crl', refusal);
  return {
    pem: toPem('X509 CRL', crl.der),
    issuerSha256: issuer.sha256,
    thisUpdate: new Date(crl.thisUpdate),
    nextUpdate: crl.nextUpdate === undefined ? undefined : new Date(crl.nextUpdate),
    revoked: new Map([...crl.revoked].map(([serial, at]) => [serial, new Date(at)])),
  };
}

function serialHex(serial: string): string {
  if (typeof serial !== 'string' || !/^[0-9a-fA-F]{1,40}$/.test(serial)) throw new CredentialError('invalid-argument', 'A serial number is 1–40 hex digits.');
  const trimmed = normaliseSerial(serial);
  return trimmed.length % 2 === 1 ? `0${trimmed}` : trimmed;
}
