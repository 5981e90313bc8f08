/**
 * Verifying a principal's certificate chain to the mesh's trust anchor (RFC 5280 §6, CRLs §6.3),
 * at the observation's time and at admission; cached so the thousandth check compares numbers.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { KEY_USAGE, parseCertificate, type CertificateInput, type ParsedCertificate } from './certificate.js';
import { crlRefusal, parseCrl, type ParsedCrl, type VerifiedCrl } from './crl.js';
import { CredentialError, refusalOf, type CredentialReason, type Refusal } from './errors.js';
import type { KeyAlgorithm } from './keys.js';
import { BoundedMap } from './bounded-map.js';
import { buildPath, canSignCertificates, MAX_INTERMEDIATES } from './path.js';
import { isPrincipalRole, ROLE_OIDS, type Principal, type PrincipalRole } from './roles.js';

export { MAX_INTERMEDIATES } from './path.js';

export interface ChainVerifierOptions {
  /** The mesh's root: the one certificate trusted without a signature above it. */
  readonly anchor: CertificateInput;
  /** CAs that may stand between a leaf and the anchor (an issuing CA, say). */
  readonly intermediates?: readonly CertificateInput[];
  /** CRLs; each is checked against the CA that issued it, and refused (see `refusedCrls`) if it does not verify. */
  readonly crls?: readonly CrlInput[];
  /** When given, leaves must name this mesh in their SAN (urn:entente:<mesh>:…). */
  readonly mesh?: string;
  /** Parsed leaves and built chains kept (each cache); the oldest go first. Default 4096. */
  readonly cacheSize?: number;
  readonly maxIntermediates?: number;
}

export type CrlInput = string | Uint8Array | VerifiedCrl;

export interface VerifyOptions {
  readonly role: PrincipalRole;
  /** When the observation says it was made. */
  readonly at: Date;
  /** When it is being admitted (now, for a fresh import). */
  readonly admittedAt: Date;
  /** When given, the leaf's SAN must name this principal id. */
  readonly id?: string;
}

export interface ChainSuccess {
  readonly ok: true;
  readonly leafSha256: string;
  /** The leaf's key, to verify the observation's signature with: no re-parsing needed. */
  readonly publicKey: KeyObject;
  readonly algorithm: KeyAlgorithm;
  /** The principal the leaf's SAN names, when it names one. */
  readonly principal: Principal | undefined;
  /** Fingerprints, leaf first, anchor last. */
  readonly path: readonly string[];
  readonly chain: readonly ParsedCertificate[];
}

export type ChainResult = ChainSuccess | Refusal;
export type CrlResult = { readonly ok: true; readonly issuerSha256: string; readonly current: boolean } | Refusal;

/** A leaf's path and everything time-independent about it, built once per set of CAs. */
interface ChainEntry {
  readonly caVersion: number;
  readonly leaf: ParsedCertificate;
  readonly failure: Refusal | undefined;
  readonly path: readonly ParsedCertificate[];
  /** The latest notBefore and earliest notAfter along the path: the window where all are valid. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly success: ChainSuccess | undefined;
  /** Earliest revocation along the path as of CRL set `crlVersion` (+Infinity: none). */
  crlVersion: number;
  revokedAt: number;
  revokedIndex: number;
}

const DEFAULT_CACHE_SIZE = 4096;

/**
 * One mesh's verifier: its anchor, the CAs that may stand below it, and the CRLs they issued.
 * Built for many observations from few devices: parsed certificates and their KeyObjects are kept
 * by fingerprint, a leaf's path is built once per set of CAs, and its earliest revocation once
 * per set of CRLs; after that a verification compares a handful of numbers.
 */
export class ChainVerifier {
  private readonly anchor: ParsedCertificate;
  private readonly mesh: string | undefined;
  private readonly maxIntermediates: number;
  /** Anchor and intermediates, by fingerprint and by subject Name. */
  private readonly cas = new Map<string, ParsedCertificate>();
  private readonly casBySubject = new Map<string, ParsedCertificate[]>();
  /** The newest trusted CRL of each CA, by the CA's identity (subject Name + key). */
  private readonly crls = new Map<string, ParsedCrl>();
  private caVersion = 0;
  private crlVersion = 0;
  private readonly leaves: BoundedMap<string, ParsedCertificate>;
  private readonly leavesByPem: BoundedMap<string, ParsedCertificate>;
  private readonly leavesByObject = new WeakMap<X509Certificate, ParsedCertificate>();
  private readonly chains: BoundedMap<string, ChainEntry>;
  /** CRLs given to the constructor that were not trusted, and why. */
  readonly refusedCrls: Refusal[] = [];

  /**
   * @throws CredentialError when the anchor or an intermediate cannot be read, or the anchor is not a CA.
   * @example new ChainVerifier({ anchor: rootPem, intermediates: [issuingCaPem], crls: [crlPem], mesh: 'DEU' })
   */
  constructor(options: ChainVerifierOptions);
  /** The positional form core/app uses: anchor PEM and intermediate PEMs. */
  constructor(anchor: CertificateInput, intermediates?: readonly CertificateInput[]);
  constructor(first: ChainVerifierOptions | CertificateInput, intermediates: readonly CertificateInput[] = []) {
    const options: ChainVerifierOptions = isOptions(first) ? first : { anchor: first, intermediates };
    const cacheSize = Math.max(16, options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.leaves = new BoundedMap(cacheSize);
    this.leavesByPem = new BoundedMap(cacheSize);
    this.chains = new BoundedMap(cacheSize);
    this.mesh = options.mesh;
    this.maxIntermediates = options.maxIntermediates ?? MAX_INTERMEDIATES;
    this.anchor = parseCertificate(options.anchor);
    if (!canSignCertificates(this.anchor)) throw new CredentialError('not-a-ca', `The trust anchor ${this.anchor.subject} is not a CA allowed to sign certificates.`);
    this.addCa(this.anchor);
    for (const ca of options.intermediates ?? []) this.addIntermediate(ca);
    for (const crl of options.crls ?? []) {
      const result = this.addCrl(crl);
      if (!result.ok) this.refusedCrls.push(result);
    }
  }

  get anchorSha256(): string {
    return this.anchor.sha256;
  }

  /** Bumped whenever a CA or a newer CRL is added; cached chains are re-checked against it. */
  get version(): string {
    return `${this.caVersion}.${this.crlVersion}`;
  }

  /** @throws CredentialError when the certificate cannot be read. */
  addIntermediate(certificate: CertificateInput): void {
    this.addCa(parseCertificate(certificate));
  }

  /**
   * Takes a CRL if a known CA issued it and its signature verifies; an older CRL than the one
   * already held for that CA is accepted but changes nothing (a replayed old CRL cannot
   * un-revoke anything).
   */
  addCrl(input: CrlInput): CrlResult {
    try {
      const crl = parseCrl(isVerifiedCrl(input) ? input.pem : input);
      const named = this.casBySubject.get(crl.issuerDer) ?? [];
      if (named.length === 0) return refusal('bad-crl', `The CRL was issued by ${crl.issuer}, which is not a CA of this mesh.`);
      let why: string | undefined;
      const issuer = named.find((candidate) => {
        why = crlRefusal(crl, candidate);
        return why === undefined;
      });
      if (!issuer) return refusal('bad-crl', why!);
      const held = this.crls.get(issuer.identity);
      if (held && !isNewer(crl, held)) return { ok: true, issuerSha256: issuer.sha256, current: false };
      this.crls.set(issuer.identity, crl);
      this.crlVersion += 1;
      return { ok: true, issuerSha256: issuer.sha256, current: true };
    } catch (error) {
      return error instanceof CredentialError ? refusalOf(error) : refusal('malformed-crl', 'The CRL cannot be read.');
    }
  }

  /**
   * Whether `leaf` may speak as `role` for an observation made at `at` and admitted at
   * `admittedAt`. Never throws: every refusal carries a named reason.
   */
  verify(leaf: CertificateInput, options: VerifyOptions): ChainResult {
    try {
      const at = timeOf(options?.at);
      const admittedAt = timeOf(options?.admittedAt);
      if (Number.isNaN(at) || Number.isNaN(admittedAt)) return refusal('invalid-time', 'The observation or admission time is not a valid date.');
      if (!isPrincipalRole(options.role)) return refusal('invalid-argument', 'The role is device, operator or boundary-agent.');

      const entry = this.entryFor(this.leafOf(leaf));
      if (entry.failure) return entry.failure;
      const roleRefusal = this.principalRefusal(entry.leaf, options);
      if (roleRefusal) return roleRefusal;
      if (at < entry.notBefore || at > entry.notAfter || admittedAt < entry.notBefore || admittedAt > entry.notAfter) {
        return timeRefusal(entry.path, at, admittedAt);
      }
      if (entry.crlVersion !== this.crlVersion) this.refreshRevocation(entry);
      // §6.3: a certificate revoked at or before the moment the observation was made does not vouch for it.
      if (entry.revokedAt <= at) {
        const revoked = entry.path[entry.revokedIndex]!;
        return refusal('revoked', `${describeAt(entry.revokedIndex, revoked)} was revoked on ${new Date(entry.revokedAt).toISOString()}, at or before the observation (${new Date(at).toISOString()}).`);
      }
      return entry.success!;
    } catch (error) {
      if (error instanceof CredentialError) return refusalOf(error);
      return refusal('malformed-certificate', 'The certificate cannot be read.');
    }
  }

  /** The public key of a certificate this verifier has seen (leaf or CA), by fingerprint. */
  publicKeyOf(sha256: string): KeyObject | undefined {
    return (this.leaves.get(sha256) ?? this.cas.get(sha256))?.publicKey;
  }

  /** A certificate this verifier has seen, parsed, by fingerprint. */
  certificateOf(sha256: string): ParsedCertificate | undefined {
    return this.leaves.get(sha256) ?? this.cas.get(sha256);
  }

  private addCa(ca: ParsedCertificate): void {
    if (this.cas.has(ca.sha256)) return;
    this.cas.set(ca.sha256, ca);
    const named = this.casBySubject.get(ca.subjectDer);
    if (named) named.push(ca);
    else this.casBySubject.set(ca.subjectDer, [ca]);
    this.caVersion += 1;
  }

  /** The same input is parsed once: a device's thousandth record parses nothing. */
  private leafOf(input: CertificateInput): ParsedCertificate {
    if (typeof input === 'string') {
      const seen = this.leavesByPem.get(input);
      if (seen) return seen;
      const parsed = this.remember(parseCertificate(input));
      this.leavesByPem.set(input, parsed);
      return parsed;
    }
    if (input instanceof X509Certificate) {
      const seen = this.leavesByObject.get(input);
      if (seen) return seen;
      const parsed = this.remember(parseCertificate(input));
      this.leavesByObject.set(input, parsed);
      return parsed;
    }
    return this.remember(parseCertificate(input));
  }

  private remember(parsed: ParsedCertificate): ParsedCertificate {
    const known = this.leaves.get(parsed.sha256);
    if (known) return known;
    this.leaves.set(parsed.sha256, parsed);
    return parsed;
  }

  private entryFor(leaf: ParsedCertificate): ChainEntry {
    const cached = this.chains.get(leaf.sha256);
    if (cached && cached.caVersion === this.caVersion) return cached;
    const entry = this.buildEntry(leaf);
    this.chains.set(leaf.sha256, entry);
    return entry;
  }

  private buildEntry(leaf: ParsedCertificate): ChainEntry {
    const base = { caVersion: this.caVersion, leaf, crlVersion: -1, revokedAt: Number.POSITIVE_INFINITY, revokedIndex: -1 };
    try {
      const path = buildPath(leaf, {
        isAnchor: (certificate) => certificate.sha256 === this.anchor.sha256,
        issuersNamed: (name) => this.casBySubject.get(name) ?? [],
        maxIntermediates: this.maxIntermediates,
      });
      checkPath(path);
      checkLeaf(leaf, this.mesh);
      const success: ChainSuccess = Object.freeze({
        ok: true,
        leafSha256: leaf.sha256,
        publicKey: leaf.publicKey,
        algorithm: leaf.keyAlgorithm!,
        principal: leaf.principal,
        path: Object.freeze(path.map((certificate) => certificate.sha256)),
        chain: Object.freeze([...path]),
      });
      return {
        ...base,
        failure: undefined,
        path,
        notBefore: Math.max(...path.map((certificate) => certificate.notBefore)),
        notAfter: Math.min(...path.map((certificate) => certificate.notAfter)),
        success,
      };
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error;
      return { ...base, failure: refusalOf(error), path: [], notBefore: 0, notAfter: 0, success: undefined };
    }
  }

  private principalRefusal(leaf: ParsedCertificate, options: VerifyOptions): Refusal | undefined {
    // §4.2.1.12: the role is a key purpose; a certificate without it is not that principal.
    if (!leaf.extendedKeyUsages?.has(ROLE_OIDS[options.role])) {
      return refusal('wrong-key-usage', `The certificate (${leaf.subject}) is not a ${options.role} certificate: it lacks the ${options.role} extended key usage.`);
    }
    if (this.mesh !== undefined && leaf.principal?.role !== options.role) {
      return refusal('wrong-principal', `The certificate's subject alternative name does not name a ${options.role}.`);
    }
    if (options.id !== undefined && leaf.principal?.id !== options.id) {
      return refusal('wrong-principal', `The certificate was issued to ${leaf.principal ? `${leaf.principal.role} ${leaf.principal.id}` : 'no Entente principal'}, not to ${options.id}.`);
    }
    return undefined;
  }

  private refreshRevocation(entry: ChainEntry): void {
    entry.revokedAt = Number.POSITIVE_INFINITY;
    entry.revokedIndex = -1;
    // Each certificate is looked up in the CRL of the CA just above it in the path.
    for (let index = 0; index + 1 < entry.path.length; index += 1) {
      const when = this.crls.get(entry.path[index + 1]!.identity)?.revoked.get(entry.path[index]!.serial);
      if (when !== undefined && when < entry.revokedAt) {
        entry.revokedAt = when;
        entry.revokedIndex = index;
      }
    }
    entry.crlVersion = this.crlVersion;
  }
}

/** Checks every CA on the path and the path's certificates' critical extensions. */
function checkPath(path: readonly ParsedCertificate[]): void {
  // The anchor is trusted as configured (§6.1.1 (d)); everything below it must be fully understood.
  for (const [index, certificate] of path.slice(0, -1).entries()) {
    if (certificate.unhandledCriticalExtensions.length > 0) {
      throw new CredentialError('unhandled-critical-extension', `${describeAt(index, certificate)} has a critical extension Entente does not process (${certificate.unhandledCriticalExtensions.join(', ')}).`);
    }
  }
}

/** The leaf speaks for a principal: it signs data, it is not a CA, its key is one Entente signs with. */
function checkLeaf(leaf: ParsedCertificate, mesh: string | undefined): void {
  if (leaf.isCa) throw new CredentialError('wrong-key-usage', `The certificate (${leaf.subject}) is a CA certificate; a CA cannot speak as a principal.`);
  if (leaf.keyUsage === undefined || (leaf.keyUsage & KEY_USAGE.digitalSignature) === 0) {
    throw new CredentialError('wrong-key-usage', `The certificate (${leaf.subject}) may not sign data: it lacks the digitalSignature key usage.`);
  }
  if (!leaf.keyAlgorithm) throw new CredentialError('unsupported-algorithm', `The certificate (${leaf.subject}) holds a key Entente does not sign with; Ed25519 or P-256 only.`);
  if (mesh !== undefined && leaf.principal?.mesh !== mesh) {
    throw new CredentialError('wrong-principal', `The certificate names ${leaf.principal ? `mesh ${leaf.principal.mesh}` : 'no Entente principal'}, not mesh ${mesh}.`);
  }
}

/** The slow path, only taken on failure: which certificate, which moment. */
function timeRefusal(path: readonly ParsedCertificate[], at: number, admittedAt: number): Refusal {
  for (const [moment, label] of [[at, 'made'], [admittedAt, 'admitted']] as const) {
    for (const [index, certificate] of path.entries()) {
      if (moment < certificate.notBefore) {
        return refusal('not-yet-valid', `${describeAt(index, certificate)} is not valid until ${new Date(certificate.notBefore).toISOString()}, after the observation was ${label} (${new Date(moment).toISOString()}).`);
      }
      if (moment > certificate.notAfter) {
        return refusal('expired', `${describeAt(index, certificate)} expired on ${new Date(certificate.notAfter).toISOString()}, before the observation was ${label} (${new Date(moment).toISOString()}).`);
      }
    }
  }
  return refusal('expired', 'The chain is not valid at that time.');
}

function isNewer(candidate: ParsedCrl, held: ParsedCrl): boolean {
  if (candidate.thisUpdate !== held.thisUpdate) return candidate.thisUpdate > held.thisUpdate;
  return candidate.number !== undefined && held.number !== undefined && candidate.number > held.number;
}

function timeOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

function isOptions(value: unknown): value is ChainVerifierOptions {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && 'anchor' in value;
}

function isVerifiedCrl(value: CrlInput): value is VerifiedCrl {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && typeof (value as VerifiedCrl).pem === 'string';
}

function refusal(reason: CredentialReason, message: string): Refusal {
  return Object.freeze({ ok: false, reason, message });
}

function describeAt(index: number, certificate: ParsedCertificate): string {
  return index === 0 ? `The certificate (${certificate.subject})` : `CA certificate ${certificate.subject}`;
}
