/**
 * A mesh's signing authority (RFC 5280 §3.2): a fresh self-signed root, or an existing national
 * CA imported from PEM. The root becomes the trust anchor; the issuing CA signs principals and CRLs.
 */
import { describe, KEY_USAGE, parseCertificate, parseCertificates, type IssuedCertificate, type ParsedCertificate } from './certificate.js';
import { CredentialError } from './errors.js';
import { createRootCertificate, DEFAULT_ROOT_DAYS, type Validity } from './issue.js';
import { generateKeyPair, importPrivateKey, keysMatch, publicKeyOf, type KeyAlgorithm, type KeyPair } from './keys.js';
import { buildPath, canSignCertificates, signatureVerifies } from './path.js';

export interface MeshAuthority {
  /** The root every principal's chain ends at: the mesh's trust anchor. */
  readonly anchor: IssuedCertificate;
  /** The CA that signs principals and CRLs (the root itself when there is no issuing CA). */
  readonly issuer: IssuedCertificate;
  readonly issuerKeys: KeyPair;
  /** Issuer first, anchor last (just the anchor when the issuer is the root). */
  readonly chain: readonly IssuedCertificate[];
  /** The chain without the anchor: the CAs a verifier must be given besides it. */
  readonly intermediates: readonly IssuedCertificate[];
}

export interface CreateAuthorityOptions {
  readonly mesh: string;
  readonly algorithm: KeyAlgorithm;
  readonly validFrom?: Date;
  /** Default 3650 days. */
  readonly validDays?: number;
}

/**
 * A fresh mesh root and its key.
 *
 * @example const deu = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' })
 */
export async function createMeshAuthority(options: CreateAuthorityOptions): Promise<MeshAuthority>;
/** The positional form core/app uses. */
export async function createMeshAuthority(mesh: string, algorithm: KeyAlgorithm, validity?: Validity): Promise<MeshAuthority>;
export async function createMeshAuthority(first: CreateAuthorityOptions | string, algorithm?: KeyAlgorithm, validity?: Validity): Promise<MeshAuthority> {
  const options: CreateAuthorityOptions =
    typeof first === 'string' ? { mesh: first, algorithm: algorithm!, validFrom: validity?.notBefore, validDays: validity?.days } : first;
  const keys = generateKeyPair(options.algorithm);
  const root = await createRootCertificate(options.mesh, keys, { notBefore: options.validFrom, days: options.validDays ?? DEFAULT_ROOT_DAYS });
  return { anchor: root, issuer: root, issuerKeys: keys, chain: [root], intermediates: [] };
}

export interface ImportAuthorityRequest {
  /** The CA that will sign: the national root itself, or an issuing CA below it. */
  readonly certificatePem: string;
  /** Its private key (PKCS#8, encrypted or not, or SEC 1 for EC). */
  readonly keyPem: string;
  /** The CAs above it, up to and including the self-signed root; omit for a root. */
  readonly chainPem?: string;
  readonly passphrase?: string | null;
  /** When the CAs must be valid; default now. */
  readonly now?: Date;
}
/** The name core/app imports. */
export type ImportRequest = ImportAuthorityRequest;

/**
 * Takes an existing national CA as the mesh's authority, after checking that the key is the
 * certificate's, that every CA on the chain may sign certificates and CRLs and is valid now,
 * and that the chain links, signature by signature, to a self-signed root.
 *
 * @throws CredentialError 'malformed-pem' | 'malformed-certificate' | 'wrong-passphrase' | 'passphrase-required'
 *   | 'unsupported-algorithm' | 'key-mismatch' | 'not-a-ca' | 'expired' | 'not-yet-valid' | 'unknown-issuer'
 *   | 'bad-signature' | 'chain-loop' | 'chain-too-long'
 */
export function importMeshAuthority(request: ImportAuthorityRequest): MeshAuthority {
  const now = (request.now ?? new Date()).getTime();
  const issuer = parseCertificate(request.certificatePem);
  const privateKey = importPrivateKey(request.keyPem, request.passphrase);
  if (!keysMatch(privateKey, issuer.publicKey)) {
    throw new CredentialError('key-mismatch', `The private key does not belong to ${issuer.subject}.`);
  }
  checkAuthority(issuer, now);
  // The issuer signs the mesh's CRLs: without cRLSign (§4.2.1.3) the mesh could not revoke.
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE.cRLSign) === 0) {
    throw new CredentialError('not-a-ca', `${issuer.subject} may not sign CRLs (no cRLSign key usage), so the mesh could not revoke.`);
  }

  const given = request.chainPem === undefined ? [] : parseCertificates(request.chainPem);
  if (request.chainPem !== undefined && request.chainPem.trim() !== '' && given.length === 0) {
    throw new CredentialError('malformed-pem', 'The chain holds no PEM certificate.');
  }
  const roots = [issuer, ...given].filter(isSelfSigned);
  if (roots.length === 0) {
    throw new CredentialError('unknown-issuer', `${issuer.subject} is not a root, and no self-signed root was given: pass the chain up to the national root.`);
  }
  const candidates = [issuer, ...given];
  const path = buildPath(issuer, {
    isAnchor: (certificate) => roots.some((root) => root.sha256 === certificate.sha256),
    issuersNamed: (name) => candidates.filter((certificate) => certificate.subjectDer === name),
    // Every principal's path will run through the issuer: a constraint that leaves it no room below is refused now, not at the first enrolment.
    startIssues: true,
  });
  for (const ca of path) checkAuthority(ca, now);

  const chain = path.map((certificate) => describe(certificate));
  return {
    anchor: chain[chain.length - 1]!,
    issuer: chain[0]!,
    issuerKeys: { privateKey, publicKey: publicKeyOf(privateKey) },
    chain,
    intermediates: chain.slice(0, -1),
  };
}

/** A CA on the mesh's chain: allowed to sign certificates (§4.2.1.3, §4.2.1.9) and valid now. */
function checkAuthority(ca: ParsedCertificate, now: number): void {
  if (!canSignCertificates(ca)) throw new CredentialError('not-a-ca', `${ca.subject} is not a CA allowed to sign certificates (basicConstraints cA and keyCertSign).`);
  if (now < ca.notBefore) throw new CredentialError('not-yet-valid', `${ca.subject} is not valid until ${new Date(ca.notBefore).toISOString()}.`);
  if (now > ca.notAfter) throw new CredentialError('expired', `${ca.subject} expired on ${new Date(ca.notAfter).toISOString()}.`);
}

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.selfIssued && signatureVerifies(certificate, certificate);
}
