/**
 * A mesh's signing authority: either made here (a fresh root), or an existing national CA
 * imported from PEM — a root, or an issuing CA below a root given as its chain. Either way the
 * root becomes the mesh's trust anchor and the issuing CA signs its principals and CRLs.
 */
import type { X509Certificate } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { ChainVerifier, readCertificate } from './chain.js';
import { CredentialError } from './errors.js';
import { createRootCertificate, describe, type IssuedCertificate, type Validity } from './issue.js';
import { generateKeyPair, importPrivateKey, type KeyAlgorithm, type KeyPair } from './keys.js';
import { x509 } from './x509.js';

export interface MeshAuthority {
  /** The root every principal's chain ends at. */
  readonly anchor: IssuedCertificate;
  /** The CA that signs principals and CRLs (the root itself when there is no issuing CA). */
  readonly issuer: IssuedCertificate;
  readonly issuerKeys: KeyPair;
  /** CAs between the issuer and the anchor, issuer first (empty when the issuer is the root). */
  readonly intermediates: readonly IssuedCertificate[];
}

export async function createMeshAuthority(mesh: string, algorithm: KeyAlgorithm, validity?: Validity): Promise<MeshAuthority> {
  const keys = generateKeyPair(algorithm);
  const root = await createRootCertificate(mesh, keys, validity);
  return { anchor: root, issuer: root, issuerKeys: keys, intermediates: [] };
}

export interface ImportRequest {
  readonly certificatePem: string;
  readonly keyPem: string;
  /** The CAs above the certificate, up to and including the root; omit for a root. */
  readonly chainPem?: string;
  readonly passphrase: string | null;
  readonly now?: Date;
}

export function importMeshAuthority(request: ImportRequest): MeshAuthority {
  const issuerCert = readCertificate(request.certificatePem);
  const privateKey = importPrivateKey(request.keyPem, request.passphrase);
  const publicKey = createPublicKey(privateKey);
  if (!publicKey.equals(issuerCert.publicKey)) {
    throw new CredentialError('key-mismatch', 'The private key does not belong to the CA certificate.');
  }
  checkCanIssue(issuerCert, request.now ?? new Date());

  const chain = splitPem(request.chainPem ?? '').map(readCertificate);
  const root = chain.find((cert) => cert.checkIssued(cert) && cert.verify(cert.publicKey)) ?? issuerCert;
  if (!(root.checkIssued(root) && root.verify(root.publicKey))) {
    throw new CredentialError('unknown-issuer', 'No self-signed root was given: pass the chain up to the national root.');
  }
  for (const ca of chain) checkCanIssue(ca, request.now ?? new Date());
  const intermediates = chain.filter((cert) => cert !== root);

  // The issuing CA must chain to the root through the given CAs, as every principal will.
  new ChainVerifier(root.toString(), intermediates.map((c) => c.toString())).pathFrom(issuerCert.toString());
  return {
    anchor: describe(root.toString()),
    issuer: describe(issuerCert.toString()),
    issuerKeys: { privateKey, publicKey },
    intermediates: [issuerCert, ...intermediates].filter((c) => c !== root).map((c) => describe(c.toString())),
  };
}

function checkCanIssue(cert: X509Certificate, now: Date): void {
  const parsed = new x509.X509Certificate(cert.raw);
  const basic = parsed.getExtension(x509.BasicConstraintsExtension);
  const usage = parsed.getExtension(x509.KeyUsagesExtension);
  if (!basic?.ca) throw new CredentialError('not-a-ca', `${cert.subject.replace(/\n/g, ', ')} is not a CA certificate.`);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new CredentialError('not-a-ca', `${cert.subject.replace(/\n/g, ', ')} may not sign certificates (no keyCertSign).`);
  }
  if (now.getTime() > Date.parse(cert.validTo)) throw new CredentialError('expired', `${cert.subject.replace(/\n/g, ', ')} has expired.`);
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
