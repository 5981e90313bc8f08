/**
 * Certificate revocation lists (RFC 5280 §5): the mesh's authority publishes which serials it
 * revoked and when. A CRL is only believed after its signature verifies against its issuer.
 */
import { X509Certificate } from 'node:crypto';
import { signingAlgorithm, toWebCrypto, type KeyPair } from './keys.js';
import { CredentialError } from './errors.js';
import { fingerprint } from './issue.js';
import { x509 } from './x509.js';

export interface Revocation {
  /** Uppercase hex, as node:crypto reports certificate serials. */
  readonly serial: string;
  readonly revokedAt: Date;
}

export interface CrlRequest {
  readonly issuerCertificatePem: string;
  readonly issuerKeys: KeyPair;
  readonly revocations: readonly Revocation[];
  readonly thisUpdate?: Date;
  readonly nextUpdateDays?: number;
}

export async function issueCrl(request: CrlRequest): Promise<string> {
  const issuer = new x509.X509Certificate(request.issuerCertificatePem);
  const web = await toWebCrypto(request.issuerKeys);
  const thisUpdate = new Date(Math.floor((request.thisUpdate ?? new Date()).getTime() / 1000) * 1000);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subject,
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + (request.nextUpdateDays ?? 7) * 86_400_000),
    entries: request.revocations.map((r) => ({ serialNumber: r.serial.toLowerCase(), revocationDate: r.revokedAt })),
    signingAlgorithm: signingAlgorithm(web.algorithm),
    signingKey: web.privateKey,
  });
  return crl.toString('pem');
}

/** A CRL whose signature verified: its issuer's fingerprint and the serials it revoked. */
export interface VerifiedCrl {
  readonly issuerSha256: string;
  readonly thisUpdate: Date;
  readonly revoked: ReadonlyMap<string, Date>;
}

export async function verifyCrl(crlPem: string, issuerPem: string): Promise<VerifiedCrl> {
  let crl: InstanceType<typeof x509.X509Crl>;
  try {
    crl = new x509.X509Crl(crlPem);
  } catch {
    throw new CredentialError('bad-crl', 'The CRL cannot be read.');
  }
  const issuer = new x509.X509Certificate(issuerPem);
  if (crl.issuer !== issuer.subject || !(await crl.verify({ publicKey: issuer.publicKey }))) {
    throw new CredentialError('bad-crl', `The CRL is not signed by ${issuer.subject}; it is ignored.`);
  }
  const revoked = new Map(crl.entries.map((entry) => [normaliseSerial(entry.serialNumber), entry.revocationDate]));
  return { issuerSha256: fingerprint(new X509Certificate(issuerPem)), thisUpdate: crl.thisUpdate, revoked };
}

export function normaliseSerial(serial: string): string {
  return serial.replace(/^0+/, '').toUpperCase();
}
