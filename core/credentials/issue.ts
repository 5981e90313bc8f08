/**
 * Making certificates (RFC 5280 §4.1, profile §4.2): the mesh's self-signed root, issuing CAs, and
 * end-entity certificates for devices, operators and boundary agents.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { describe, KEY_USAGE, parseCertificate, type IssuedCertificate, type ParsedCertificate } from './certificate.js';
import { bytesFor, x509 } from './crypto-provider.js';
import { CredentialError } from './errors.js';
import { algorithmOf, generateKeyPair, keysMatch, type KeyAlgorithm, type KeyPair } from './keys.js';
import { PATTERNS } from '../common/atoms.js';
import { federationUri, isPrincipalId, isPrincipalRole, principalUri, ROLE_OIDS, type PrincipalRole } from './roles.js';
import { signingAlgorithm, toWebKeyPair, toWebPublicKey } from './web-keys.js';

const DAY_MS = 86_400_000;
export const DEFAULT_ROOT_DAYS = 3650;
export const DEFAULT_CA_DAYS = 1825;
export const DEFAULT_PRINCIPAL_DAYS = 365;

/** A validity window: from `notBefore` (default now) for `days`, or up to an explicit `notAfter`. */
export interface Validity {
  readonly notBefore?: Date;
  readonly days?: number;
  readonly notAfter?: Date;
}

/** The CA that signs, and its keys. */
export interface IssuerInput {
  readonly issuerCertificatePem: string;
  readonly issuerKeys: KeyPair;
}

/**
 * A mesh's own root: subject `CN=<mesh> Root, O=Entente mesh <mesh>`, a CA (basicConstraints
 * critical) that may sign certificates and CRLs and nothing else (keyUsage critical).
 */
export async function createRootCertificate(mesh: string, keys: KeyPair, validity: Validity = {}): Promise<IssuedCertificate> {
  checkMesh(mesh);
  if (!keysMatch(keys.privateKey, keys.publicKey)) throw new CredentialError('key-mismatch', 'The root key pair is not one pair.');
  const web = await toWebKeyPair(keys);
  const { notBefore, notAfter } = windowOf(validity, DEFAULT_ROOT_DAYS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: [{ O: [`Entente mesh ${mesh}`] }, { CN: [`${mesh} Root`] }],
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(web.algorithm),
    keys: { privateKey: web.privateKey, publicKey: web.publicKey },
    extensions: [
      // §4.2.1.9: no pathLenConstraint, so the mesh may later put an issuing CA below its root.
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(web.publicKey),
    ],
  });
  return describe(new Uint8Array(certificate.rawData));
}

export interface CaRequest extends IssuerInput {
  readonly mesh: string;
  /** The CA's common name, e.g. "DEU Issuing CA 1". */
  readonly name: string;
  readonly subjectPublicKey: KeyObject;
  readonly validity?: Validity;
  /** §4.2.1.9 pathLenConstraint; 0 (the default) lets it sign only end-entity certificates. */
  readonly pathLength?: number;
}

/** An issuing CA below the mesh's root (or below another issuing CA). */
export async function issueCaCertificate(request: CaRequest): Promise<IssuedCertificate> {
  checkMesh(request.mesh);
  if (!isPrincipalId(request.name)) throw new CredentialError('invalid-argument', 'A CA name is 1–64 characters without control characters.');
  return sign(request, {
    subject: [{ O: [`Entente mesh ${request.mesh}`] }, { CN: [request.name] }],
    subjectPublicKey: request.subjectPublicKey,
    validity: request.validity ?? {},
    defaultDays: DEFAULT_CA_DAYS,
    extensions: [
      new x509.BasicConstraintsExtension(true, request.pathLength ?? 0, true),
      new x509.KeyUsagesExtension(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign, true),
    ],
  });
}

export interface EndEntityRequest extends IssuerInput {
  readonly mesh: string;
  readonly role: PrincipalRole;
  readonly id: string;
  readonly subjectPublicKey: KeyObject;
  readonly validity?: Validity;
}

/**
 * A principal's certificate: it signs observations in its role (digitalSignature, critical; the
 * role's EKU) and nothing else — never certificates (basicConstraints cA false).
 *
 * @example await issueEndEntityCertificate({ mesh: 'DEU', role: 'device', id: 'uav-7', subjectPublicKey, ...authorityInput })
 */
export async function issueEndEntityCertificate(request: EndEntityRequest): Promise<IssuedCertificate> {
  checkMesh(request.mesh);
  if (!isPrincipalRole(request.role)) throw new CredentialError('invalid-argument', 'The role is device, operator or boundary-agent.');
  if (!isPrincipalId(request.id)) throw new CredentialError('invalid-argument', 'A principal id is 1–64 characters without control characters.');
  // The key will sign observations, which are Ed25519 or ES256 only.
  algorithmOf(request.subjectPublicKey);
  return sign(request, principalBody(request, request.mesh, request.role, []));
}

export interface CrossCertificateRequest extends IssuerInput {
  /** The agent's home mesh: its certificate names the agent as the home mesh does. */
  readonly homeMesh: string;
  readonly id: string;
  /** The federation it may act under, the one the request named. */
  readonly federation: string;
  readonly subjectPublicKey: KeyObject;
  readonly validity?: Validity;
}

/**
 * A partner's boundary-agent certificate (decision 0005, cross-certification): issued by this
 * mesh's CA to another mesh's agent, for its existing key. Subject and SAN name the agent as its
 * home mesh does (`urn:entente:<HOME>:boundary-agent:<id>`), a second SAN URI names the
 * federation, and the boundary-agent EKU is the only purpose: it signs hellos, manifests and
 * receipts here, never observations of this mesh.
 */
export async function issueCrossCertificate(request: CrossCertificateRequest): Promise<IssuedCertificate> {
  checkMesh(request.homeMesh);
  if (!isPrincipalId(request.id)) throw new CredentialError('invalid-argument', 'A principal id is 1–64 characters without control characters.');
  if (!PATTERNS.federationId.test(request.federation)) throw new CredentialError('invalid-argument', 'A federation id is 3–64 lowercase letters, digits and hyphens.');
  algorithmOf(request.subjectPublicKey);
  return sign(request, principalBody(request, request.homeMesh, 'boundary-agent', [federationUri(request.federation)]));
}

/**
 * The one end-entity profile both kinds of principal certificate share: subject O/OU/CN naming
 * the principal as its home mesh does, digitalSignature only (critical), the role's EKU, never a
 * CA, and the principal's SAN URI followed by any further URIs (a cross-certificate's federation).
 */
function principalBody(
  request: { readonly id: string; readonly subjectPublicKey: KeyObject; readonly validity?: Validity },
  mesh: string,
  role: PrincipalRole,
  moreUris: readonly string[],
): Body {
  return {
    subject: [{ O: [`Entente mesh ${mesh}`] }, { OU: [role] }, { CN: [request.id] }],
    subjectPublicKey: request.subjectPublicKey,
    validity: request.validity ?? {},
    defaultDays: DEFAULT_PRINCIPAL_DAYS,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(KEY_USAGE.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([ROLE_OIDS[role]], false),
      // §4.2.1.6: the subject is not empty, so the SAN need not be critical.
      new x509.SubjectAlternativeNameExtension(
        [principalUri(mesh, role, request.id), ...moreUris].map((value) => ({ type: 'url' as const, value })),
        false,
      ),
    ],
  };
}

/** A fresh key pair and its certificate in one step; the private key never leaves the caller. */
export async function enrolPrincipal(
  request: Omit<EndEntityRequest, 'subjectPublicKey'> & { readonly algorithm: KeyAlgorithm },
): Promise<{ keys: KeyPair; certificate: IssuedCertificate }> {
  const keys = generateKeyPair(request.algorithm);
  const certificate = await issueEndEntityCertificate({ ...request, subjectPublicKey: keys.publicKey });
  return { keys, certificate };
}

interface Body {
  readonly subject: { [attribute: string]: string[] }[];
  readonly subjectPublicKey: KeyObject;
  readonly validity: Validity;
  readonly defaultDays: number;
  readonly extensions: InstanceType<typeof x509.Extension>[];
}

async function sign(issuerInput: IssuerInput, body: Body): Promise<IssuedCertificate> {
  const issuer = checkIssuer(issuerInput);
  const web = await toWebKeyPair(issuerInput.issuerKeys);
  const issuerCert = new x509.X509Certificate(bytesFor(issuer.der));
  const subjectKey = await toWebPublicKey(body.subjectPublicKey).catch(() => {
    throw new CredentialError('unsupported-algorithm', 'The subject key is not an Ed25519 or P-256 public key.');
  });
  // A certificate outliving its issuer would only fail later, at every verification: cut it to
  // the issuer's own window now.
  const wanted = windowOf(body.validity, body.defaultDays);
  const notBefore = new Date(Math.max(wanted.notBefore.getTime(), issuer.notBefore));
  const notAfter = new Date(Math.min(wanted.notAfter.getTime(), issuer.notAfter));
  if (notAfter.getTime() <= notBefore.getTime()) throw new CredentialError('invalid-argument', 'The validity window lies outside the issuing CA\'s own.');
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: body.subject,
    // The issuer's Name object itself, not its text: re-encoding could change string types, and
    // issuers are matched on exact Name bytes (§4.1.2.4).
    issuer: issuerCert.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm(web.algorithm),
    publicKey: subjectKey,
    signingKey: web.privateKey,
    extensions: [
      ...body.extensions,
      await x509.SubjectKeyIdentifierExtension.create(subjectKey),
      // §4.2.1.1: the issuer's own key identifier when it has one, so both sides agree.
      issuer.subjectKeyId ? new x509.AuthorityKeyIdentifierExtension(issuer.subjectKeyId, false) : await x509.AuthorityKeyIdentifierExtension.create(issuerCert, false),
    ],
  });
  return describe(new Uint8Array(certificate.rawData));
}

/** The signing CA must be a CA allowed to sign certificates, and the key must be its own. */
export function checkIssuer(issuerInput: IssuerInput): ParsedCertificate {
  const issuer = parseCertificate(issuerInput.issuerCertificatePem);
  if (!issuer.isCa || (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE.keyCertSign) === 0)) {
    throw new CredentialError('not-a-ca', `${issuer.subject} is not a CA allowed to sign certificates.`);
  }
  if (!keysMatch(issuerInput.issuerKeys.privateKey, issuer.publicKey)) {
    throw new CredentialError('key-mismatch', `The signing key does not belong to ${issuer.subject}.`);
  }
  return issuer;
}

function checkMesh(mesh: string): void {
  if (!PATTERNS.meshCode.test(mesh)) throw new CredentialError('invalid-argument', 'A mesh code is 2–16 capital letters or digits, such as DEU.');
}

export function windowOf(validity: Validity, defaultDays: number): { notBefore: Date; notAfter: Date } {
  // Whole seconds: X.509 times carry none (§4.1.2.5), and a round trip must compare equal.
  const notBefore = wholeSeconds(validity.notBefore ?? new Date());
  const days = validity.days ?? defaultDays;
  if (validity.notAfter === undefined && (!Number.isFinite(days) || days <= 0)) throw new CredentialError('invalid-argument', 'A validity is a positive number of days.');
  const notAfter = wholeSeconds(validity.notAfter ?? new Date(notBefore.getTime() + days * DAY_MS));
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notAfter.getTime() <= notBefore.getTime()) {
    throw new CredentialError('invalid-argument', 'A validity window must end after it starts.');
  }
  return { notBefore, notAfter };
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * 16 random bytes (§4.1.2.2: positive, at most 20 octets; CAs SHOULD use unpredictable serials).
 * The top bit is cleared so the INTEGER is positive without a padding byte, and the first byte
 * is never zero so every serial is exactly 16 bytes long.
 */
export function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
