/**
 * Making certificates (RFC 5280): a mesh's self-signed root, and end-entity certificates for
 * its devices, operators and boundary agents, signed by the mesh's issuing CA.
 */
import { createHash, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { generateKeyPair, publicWebKey, signingAlgorithm, toWebCrypto, type KeyAlgorithm, type KeyPair } from './keys.js';
import { principalUri, ROLE_OIDS, type PrincipalRole } from './roles.js';
import { x509 } from './x509.js';

const DAY_MS = 86_400_000;

export interface IssuedCertificate {
  readonly pem: string;
  readonly sha256: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface Validity {
  readonly notBefore?: Date;
  readonly days?: number;
}

/** A mesh's own root authority: CA, allowed to sign certificates and CRLs, nothing else. */
export async function createRootCertificate(mesh: string, keys: KeyPair, validity: Validity = {}): Promise<IssuedCertificate> {
  const web = await toWebCrypto(keys);
  const { notBefore, notAfter } = window(validity, 3650);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: `CN=${mesh} Root, O=Entente mesh ${mesh}`,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(web.algorithm),
    keys: { privateKey: web.privateKey, publicKey: web.publicKey },
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(web.publicKey),
    ],
  });
  return describe(certificate.toString('pem'));
}

export interface EndEntityRequest {
  readonly mesh: string;
  readonly role: PrincipalRole;
  readonly id: string;
  readonly subjectPublicKey: KeyObject;
  readonly issuerCertificatePem: string;
  readonly issuerKeys: KeyPair;
  readonly validity?: Validity;
}

/** A principal's certificate: signs observations (digitalSignature) in its role, never certificates. */
export async function issueEndEntityCertificate(request: EndEntityRequest): Promise<IssuedCertificate> {
  const issuer = new x509.X509Certificate(request.issuerCertificatePem);
  const web = await toWebCrypto(request.issuerKeys);
  const subjectKey = await publicWebKey(request.subjectPublicKey);
  const { notBefore, notAfter } = window(request.validity ?? {}, 365);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: `CN=${request.id.replace(/[,=+<>#;"\\]/g, '_')}, OU=${request.role}, O=Entente mesh ${request.mesh}`,
    issuer: issuer.subject,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(web.algorithm),
    publicKey: subjectKey,
    signingKey: web.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([ROLE_OIDS[request.role]], false),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: principalUri(request.mesh, request.role, request.id) }], false),
      await x509.AuthorityKeyIdentifierExtension.create(issuer, false),
    ],
  });
  return describe(certificate.toString('pem'));
}

/** A fresh key pair and its certificate, for enrolling a principal in one step. */
export async function enrolPrincipal(
  request: Omit<EndEntityRequest, 'subjectPublicKey'> & { algorithm: KeyAlgorithm },
): Promise<{ keys: KeyPair; certificate: IssuedCertificate }> {
  const keys = generateKeyPair(request.algorithm);
  const certificate = await issueEndEntityCertificate({ ...request, subjectPublicKey: keys.publicKey });
  return { keys, certificate };
}

export function describe(pem: string): IssuedCertificate {
  const parsed = new X509Certificate(pem);
  return {
    pem,
    sha256: fingerprint(parsed),
    serial: parsed.serialNumber.toUpperCase(),
    notBefore: new Date(parsed.validFrom).toISOString(),
    notAfter: new Date(parsed.validTo).toISOString(),
  };
}

/** Lowercase hex SHA-256 of the certificate's DER: how Entente names a certificate. */
export function fingerprint(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('hex');
}

function window(validity: Validity, defaultDays: number): { notBefore: Date; notAfter: Date } {
  // Whole seconds: X.509 times carry no fractions, and a round trip must compare equal.
  const notBefore = new Date(Math.floor((validity.notBefore ?? new Date()).getTime() / 1000) * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + (validity.days ?? defaultDays) * DAY_MS) };
}

/** 16 random bytes with the top bit clear: a positive INTEGER, as RFC 5280 §4.1.2.2 requires. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
