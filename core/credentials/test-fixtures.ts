/**
 * Test helpers: the openssl command line (an implementation not ours), a fixed timeline, and a raw
 * certificate maker for the odd certificates our issuer refuses to make. Tests only.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { x509 } from './crypto-provider.js';
import { CredentialError, type CredentialReason } from './errors.js';
import { newSerial } from './issue.js';
import type { KeyPair } from './keys.js';
import { signingAlgorithm, toWebKeyPair, toWebPublicKey } from './web-keys.js';

export const DAY = 86_400_000;
/** A fixed timeline, so that no test depends on the clock. */
export const T = {
  start: new Date('2026-01-01T00:00:00Z'),
  deviceFrom: new Date('2026-06-01T00:00:00Z'),
  observed: new Date('2026-07-01T08:00:00Z'),
  admitted: new Date('2026-07-01T09:00:00Z'),
  deviceUntil: new Date('2026-12-01T00:00:00Z'),
} as const;

export const deviceAt = (at: Date = T.observed, admittedAt: Date = T.admitted) => ({ role: 'device' as const, at, admittedAt });

/** A temp directory with the openssl command line in it. */
export interface OpensslDir extends TempDir {
  /** Runs openssl; returns stdout and stderr together (openssl reports "verify OK" on stderr); throws on failure. */
  run(...args: string[]): string;
  write(name: string, text: string): void;
  read(name: string): string;
}

export function opensslDir(): OpensslDir {
  const dir = makeTempDir('entente-credentials-');
  return {
    ...dir,
    run: (...args) => {
      const result = spawnSync('openssl', args, { cwd: dir.path, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
      return `${result.stdout}${result.stderr}`;
    },
    write: (name, text) => writeFileSync(dir.file(name), text),
    read: (name) => readFileSync(dir.file(name), 'utf8'),
  };
}

/** The reason a call was refused with, or 'accepted'. Anything other than a CredentialError fails the test. */
export async function reasonOf(action: () => unknown): Promise<CredentialReason | 'accepted'> {
  try {
    await action();
  } catch (error) {
    if (error instanceof CredentialError) return error.reason;
    throw error;
  }
  return 'accepted';
}

/** Who signs a raw certificate: a name (CN under O=Entente mesh <mesh>) and its keys. */
export interface RawIssuer {
  readonly cn: string;
  readonly keys: KeyPair;
  readonly mesh?: string;
}

export interface RawSpec {
  readonly cn: string;
  readonly mesh?: string;
  readonly keys: KeyPair;
  /** Default: self-signed. */
  readonly issuer?: RawIssuer;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Basic constraints: omitted when undefined. */
  readonly ca?: boolean;
  readonly pathLength?: number;
  /** Key usage bits (x509.KeyUsageFlags); omitted when undefined. */
  readonly keyUsage?: number;
  readonly eku?: readonly string[];
  readonly san?: string;
  /** Default true: an authority key identifier naming the issuer's key. */
  readonly authorityKeyId?: boolean;
  readonly extra?: InstanceType<typeof x509.Extension>[];
}

const nameOf = (cn: string, mesh = 'DEU'): Record<string, string[]>[] => [{ O: [`Entente mesh ${mesh}`] }, { CN: [cn] }];

/** A certificate exactly as described, whatever the profile says: for refusal tests. */
export async function rawCertificate(spec: RawSpec): Promise<string> {
  const issuer = spec.issuer ?? { cn: spec.cn, keys: spec.keys, mesh: spec.mesh };
  const signer = await toWebKeyPair(issuer.keys);
  const subjectKey = await toWebPublicKey(spec.keys.publicKey);
  const extensions: InstanceType<typeof x509.Extension>[] = [await x509.SubjectKeyIdentifierExtension.create(subjectKey)];
  if (spec.authorityKeyId !== false) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(await toWebPublicKey(issuer.keys.publicKey)));
  if (spec.ca !== undefined) extensions.push(new x509.BasicConstraintsExtension(spec.ca, spec.pathLength, true));
  if (spec.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.eku) extensions.push(new x509.ExtendedKeyUsageExtension([...spec.eku], false));
  if (spec.san) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spec.san }], false));
  extensions.push(...(spec.extra ?? []));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: nameOf(spec.cn, spec.mesh),
    issuer: nameOf(issuer.cn, issuer.mesh),
    notBefore: spec.notBefore ?? T.start,
    notAfter: spec.notAfter ?? new Date(T.start.getTime() + 3650 * DAY),
    signingAlgorithm: signingAlgorithm(signer.algorithm),
    publicKey: subjectKey,
    signingKey: signer.privateKey,
    extensions,
  });
  return certificate.toString('pem');
}

export const CA_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
export const { KeyUsageFlags } = x509;
