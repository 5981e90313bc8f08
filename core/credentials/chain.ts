/**
 * Certificate path validation (RFC 5280 §6, the parts Entente relies on): from a principal's
 * certificate up to the mesh's own trust anchor through known CAs, each signature checked,
 * each certificate valid both when the observation was made and when it is admitted, CAs
 * allowed to sign, the leaf holding the role's key usage, nothing revoked. Parsed certificates
 * and built paths are cached, so checking the thousandth observation of a device costs a few
 * comparisons, not a path build.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { normaliseSerial, type VerifiedCrl } from './crl.js';
import { CredentialError, type CredentialReason } from './errors.js';
import { fingerprint } from './issue.js';
import { ROLE_OIDS, type PrincipalRole } from './roles.js';
import { x509 } from './x509.js';

/** More CAs than this between a leaf and its anchor is refused: no real national PKI is deeper. */
export const MAX_INTERMEDIATES = 8;

export type ChainResult =
  | { readonly ok: true; readonly leafSha256: string; readonly publicKey: KeyObject; readonly path: readonly string[] }
  | { readonly ok: false; readonly reason: CredentialReason; readonly message: string };

interface Parsed {
  readonly cert: X509Certificate;
  /** Made once: node builds a new KeyObject on every `cert.publicKey` read. */
  readonly publicKey: KeyObject;
  readonly sha256: string;
  readonly serial: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCa: boolean;
  readonly canSignCertificates: boolean;
  readonly canSignData: boolean;
  readonly roles: ReadonlySet<string>;
}

export interface VerifyOptions {
  readonly role: PrincipalRole;
  /** When the observation says it was made. */
  readonly at: Date;
  /** When it is being admitted (now, for a fresh import). */
  readonly admittedAt: Date;
}

export class ChainVerifier {
  private readonly anchor: Parsed;
  private readonly cas = new Map<string, Parsed>();
  private readonly parsed = new Map<string, Parsed>();
  /** The same PEM text is parsed once: verifying a device's thousandth record parses nothing. */
  private readonly byPem = new Map<string, Parsed>();
  private readonly paths = new Map<string, Parsed[] | CredentialError>();
  private readonly revoked = new Map<string, ReadonlyMap<string, Date>>();

  constructor(anchorPem: string, intermediatePems: readonly string[] = []) {
    this.anchor = this.parse(anchorPem);
    for (const pem of intermediatePems) this.addIntermediate(pem);
  }

  get anchorSha256(): string {
    return this.anchor.sha256;
  }

  addIntermediate(pem: string): void {
    const ca = this.parse(pem);
    this.cas.set(ca.sha256, ca);
    this.paths.clear();
  }

  /** Takes a CRL that verifyCrl has already checked against its issuer. */
  addCrl(crl: VerifiedCrl): void {
    this.revoked.set(crl.issuerSha256, crl.revoked);
  }

  verify(leafPem: string, options: VerifyOptions): ChainResult {
    try {
      const leaf = this.parse(leafPem);
      const path = this.pathOf(leaf);
      checkLeaf(leaf, options.role);
      for (const [index, cert] of path.entries()) {
        for (const [label, time] of [['made', options.at], ['admitted', options.admittedAt]] as const) {
          if (time.getTime() < cert.notBefore) {
            throw new CredentialError('not-yet-valid', `${describe(cert, index)} is not yet valid when the observation was ${label} (${time.toISOString()}).`);
          }
          if (time.getTime() > cert.notAfter) {
            throw new CredentialError('expired', `${describe(cert, index)} had expired when the observation was ${label} (${time.toISOString()}).`);
          }
        }
        const issuer = path[index + 1];
        const revokedAt = issuer && this.revoked.get(issuer.sha256)?.get(cert.serial);
        if (revokedAt && revokedAt.getTime() <= options.at.getTime()) {
          throw new CredentialError('revoked', `${describe(cert, index)} was revoked on ${revokedAt.toISOString()}.`);
        }
      }
      return { ok: true, leafSha256: leaf.sha256, publicKey: leaf.publicKey, path: path.map((p) => p.sha256) };
    } catch (error) {
      if (error instanceof CredentialError) return { ok: false, reason: error.reason, message: error.message };
      return { ok: false, reason: 'malformed-certificate', message: 'The certificate cannot be read.' };
    }
  }

  /** The path from any certificate (a CA being imported, say) to the anchor; throws CredentialError. */
  pathFrom(pem: string): readonly string[] {
    return this.pathOf(this.parse(pem)).map((p) => p.sha256);
  }

  /** Leaf first, anchor last; built once per leaf (and per set of CAs). */
  private pathOf(leaf: Parsed): Parsed[] {
    const cached = this.paths.get(leaf.sha256);
    if (cached instanceof CredentialError) throw cached;
    if (cached) return cached;
    try {
      const path = this.buildPath(leaf);
      this.paths.set(leaf.sha256, path);
      return path;
    } catch (error) {
      if (error instanceof CredentialError) this.paths.set(leaf.sha256, error);
      throw error;
    }
  }

  private buildPath(leaf: Parsed): Parsed[] {
    const path = [leaf];
    const seen = new Set([leaf.sha256]);
    let current = leaf;
    while (current.sha256 !== this.anchor.sha256) {
      if (path.length > MAX_INTERMEDIATES + 1) {
        throw new CredentialError('chain-too-long', `The chain has more than ${MAX_INTERMEDIATES} intermediate CAs.`);
      }
      const issuer = this.issuerOf(current);
      if (!issuer) {
        throw new CredentialError('unknown-issuer', `${current.cert.subject.replace(/\n/g, ', ')} does not chain to this mesh's trust anchor.`);
      }
      if (seen.has(issuer.sha256)) throw new CredentialError('chain-loop', 'The chain loops back on itself.');
      if (!issuer.isCa || !issuer.canSignCertificates) {
        throw new CredentialError('not-a-ca', `${issuer.cert.subject.replace(/\n/g, ', ')} signed a certificate but is not a CA allowed to.`);
      }
      seen.add(issuer.sha256);
      path.push(issuer);
      current = issuer;
    }
    return path;
  }

  private issuerOf(cert: Parsed): Parsed | undefined {
    let nameMatched = false;
    for (const candidate of [this.anchor, ...this.cas.values()]) {
      if (candidate.sha256 === cert.sha256 || !cert.cert.checkIssued(candidate.cert)) continue;
      nameMatched = true;
      if (cert.cert.verify(candidate.cert.publicKey)) return candidate;
    }
    if (nameMatched) throw new CredentialError('bad-signature', `The signature on ${cert.cert.subject.replace(/\n/g, ', ')} does not verify.`);
    return undefined;
  }

  private parse(pem: string): Parsed {
    const seen = this.byPem.get(pem);
    if (seen) return seen;
    const parsed = this.parseNew(pem);
    if (this.byPem.size < 10_000) this.byPem.set(pem, parsed);
    return parsed;
  }

  private parseNew(pem: string): Parsed {
    const cert = readCertificate(pem);
    const sha256 = fingerprint(cert);
    const known = this.parsed.get(sha256);
    if (known) return known;
    const extensions = new x509.X509Certificate(cert.raw);
    const basic = extensions.getExtension(x509.BasicConstraintsExtension);
    const usage = extensions.getExtension(x509.KeyUsagesExtension);
    const parsed: Parsed = {
      cert,
      publicKey: cert.publicKey,
      sha256,
      serial: normaliseSerial(cert.serialNumber),
      notBefore: Date.parse(cert.validFrom),
      notAfter: Date.parse(cert.validTo),
      isCa: basic?.ca === true,
      canSignCertificates: usage ? (usage.usages & x509.KeyUsageFlags.keyCertSign) !== 0 : false,
      canSignData: usage ? (usage.usages & x509.KeyUsageFlags.digitalSignature) !== 0 : false,
      roles: new Set(cert.keyUsage ?? []),
    };
    this.parsed.set(sha256, parsed);
    return parsed;
  }
}

export function readCertificate(pem: string): X509Certificate {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CredentialError('malformed-pem', 'This is not a PEM certificate.');
  try {
    return new X509Certificate(pem);
  } catch {
    throw new CredentialError('malformed-certificate', 'The certificate cannot be parsed.');
  }
}

function checkLeaf(leaf: Parsed, role: PrincipalRole): void {
  if (!leaf.canSignData) throw new CredentialError('wrong-key-usage', 'The certificate is not allowed to sign data (no digitalSignature key usage).');
  if (!leaf.roles.has(ROLE_OIDS[role])) throw new CredentialError('wrong-key-usage', `The certificate is not a ${role} certificate of this mesh.`);
  if (leaf.isCa) throw new CredentialError('wrong-key-usage', 'A CA certificate cannot speak as a principal.');
}

function describe(cert: Parsed, index: number): string {
  return index === 0 ? 'The certificate' : `CA certificate ${cert.cert.subject.replace(/\n/g, ', ')}`;
}
