/**
 * A mesh's PKI end to end: a national CA made by the openssl command line (not our code) is
 * imported, issues device certificates, revokes one, and every refusal has its named reason.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { createMeshAuthority, importMeshAuthority, type MeshAuthority } from './authority.js';
import { ChainVerifier } from './chain.js';
import { issueCrl, verifyCrl } from './crl.js';
import { CredentialError } from './errors.js';
import { enrolPrincipal, issueEndEntityCertificate } from './issue.js';
import { exportPrivateKey, generateKeyPair, importPrivateKey } from './keys.js';

const DAY = 86_400_000;
const now = new Date();
const at = (offsetDays: number) => new Date(now.getTime() + offsetDays * DAY);
/** Checked at the moment of the call: certificates issued during a slow test start after `now`. */
const device = () => ({ role: 'device' as const, at: new Date(), admittedAt: new Date() });

let dir: TempDir;
beforeAll(() => (dir = makeTempDir('entente-pki-')));
afterAll(() => dir.remove());

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir.path, stdio: 'pipe' });
}

/** A P-256 national root and an issuing CA below it, both made by openssl. */
function opensslRootAndIssuingCa(): { root: string; ca: string; caKey: string } {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650',
    '-subj', '/C=NL/O=Defensie/CN=NLD National Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.csr', '-subj', '/C=NL/O=Defensie/CN=NLD Issuing CA');
  writeCaExtensions();
  openssl('x509', '-req', '-in', 'ca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'ca.pem', '-days', '1825', '-extfile', 'ca.ext');
  return { root: read('root.pem'), ca: read('ca.pem'), caKey: read('ca.key') };
}

function writeCaExtensions(): void {
  execFileSync('sh', ['-c', 'printf "basicConstraints=critical,CA:TRUE,pathlen:0\\nkeyUsage=critical,keyCertSign,cRLSign\\n" > ca.ext'], { cwd: dir.path });
}

const read = (name: string) => readFileSync(dir.file(name), 'utf8');

describe('an imported national CA made by openssl', () => {
  it('issues device certificates that verify to its root, and refuses revoked ones', async () => {
    const { root, ca, caKey } = opensslRootAndIssuingCa();
    const authority = importMeshAuthority({ certificatePem: ca, keyPem: caKey, chainPem: root, passphrase: null });
    expect(authority.anchor.pem.trim()).toBe(root.trim());
    expect(authority.intermediates).toHaveLength(1);

    const good = await enrol(authority, 'NLD', 'uav-1', 'P-256');
    const bad = await enrol(authority, 'NLD', 'uav-2', 'Ed25519');
    const verifier = new ChainVerifier(root, [ca]);
    expect(verifier.verify(good.certificate.pem, device())).toMatchObject({ ok: true, path: [good.certificate.sha256, authority.issuer.sha256, authority.anchor.sha256] });

    const crl = await issueCrl({ issuerCertificatePem: ca, issuerKeys: authority.issuerKeys, revocations: [{ serial: bad.certificate.serial, revokedAt: at(-1) }] });
    verifier.addCrl(await verifyCrl(crl, ca));
    expect(verifier.verify(bad.certificate.pem, device())).toMatchObject({ ok: false, reason: 'revoked' });
    expect(verifier.verify(good.certificate.pem, device()).ok).toBe(true);
  });

  it('refuses a key that is not the CA’s, a leaf as CA, and a chain without its root', () => {
    const { root, ca, caKey } = opensslRootAndIssuingCa();
    const otherKey = exportPrivateKey(generateKeyPair('P-256').privateKey, null);
    expect(reasonOf(() => importMeshAuthority({ certificatePem: ca, keyPem: otherKey, chainPem: root, passphrase: null }))).toBe('key-mismatch');
    expect(reasonOf(() => importMeshAuthority({ certificatePem: ca, keyPem: caKey, passphrase: null }))).toBe('unknown-issuer');
    expect(reasonOf(() => importMeshAuthority({ certificatePem: 'not a pem', keyPem: caKey, passphrase: null }))).toBe('malformed-pem');
  });
});

describe('path validation', () => {
  let authority: MeshAuthority;
  let verifier: ChainVerifier;
  beforeAll(async () => {
    authority = await createMeshAuthority('DEU', 'Ed25519', { notBefore: at(-30) });
    verifier = new ChainVerifier(authority.anchor.pem);
  });

  it('checks validity when the observation was made and when it is admitted', async () => {
    const shortLived = await enrol(authority, 'DEU', 'sensor-9', 'Ed25519', { notBefore: at(-10), days: 5 });
    expect(verifier.verify(shortLived.certificate.pem, { ...device(), at: at(-7), admittedAt: at(-6) }).ok).toBe(true);
    expect(verifier.verify(shortLived.certificate.pem, { ...device(), at: at(-7), admittedAt: now })).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifier.verify(shortLived.certificate.pem, { ...device(), at: at(-12), admittedAt: at(-6) })).toMatchObject({ ok: false, reason: 'not-yet-valid' });
  });

  it('refuses observations made after a revocation, not those made before it', async () => {
    const revoked = await enrol(authority, 'DEU', 'uav-lost', 'Ed25519', { notBefore: at(-20), days: 365 });
    const crl = await issueCrl({ issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys, revocations: [{ serial: revoked.certificate.serial, revokedAt: at(-5) }] });
    const withCrl = new ChainVerifier(authority.anchor.pem);
    withCrl.addCrl(await verifyCrl(crl, authority.issuer.pem));
    expect(withCrl.verify(revoked.certificate.pem, { ...device(), at: at(-1) })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(withCrl.verify(revoked.certificate.pem, { ...device(), at: at(-10) }).ok).toBe(true);
  });

  it('holds each certificate to its role', async () => {
    const operator = await enrolAs(authority, 'DEU', 'officer-1', 'operator');
    expect(verifier.verify(operator.certificate.pem, device())).toMatchObject({ ok: false, reason: 'wrong-key-usage' });
    expect(verifier.verify(operator.certificate.pem, { ...device(), role: 'operator' }).ok).toBe(true);
    expect(verifier.verify(authority.anchor.pem, device())).toMatchObject({ ok: false, reason: 'wrong-key-usage' });
  });

  it("refuses another mesh's certificate: there is no shared root", async () => {
    const other = await createMeshAuthority('POL', 'P-256');
    const foreign = await enrol(other, 'POL', 'uav-1', 'P-256');
    expect(verifier.verify(foreign.certificate.pem, device())).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('refuses a chain of 100 intermediates quickly', async () => {
    let issuerPem = authority.anchor.pem;
    let issuerKeys = authority.issuerKeys;
    const cas: string[] = [];
    for (let i = 0; i < 100; i++) {
      const keys = generateKeyPair('Ed25519');
      const ca = await issueCa(issuerPem, issuerKeys, keys, `CA ${i}`);
      cas.push(ca);
      issuerPem = ca;
      issuerKeys = keys;
    }
    const leaf = await issueEndEntityCertificate({
      mesh: 'DEU', role: 'device', id: 'deep', subjectPublicKey: generateKeyPair('Ed25519').publicKey, issuerCertificatePem: issuerPem, issuerKeys,
    });
    const deep = new ChainVerifier(authority.anchor.pem, cas);
    expect(deep.verify(leaf.pem, device())).toMatchObject({ ok: false, reason: 'chain-too-long' });
  });

  it('refuses a CRL its issuer did not sign', async () => {
    const other = await createMeshAuthority('DEU', 'Ed25519');
    const forged = await issueCrl({ issuerCertificatePem: other.anchor.pem, issuerKeys: other.issuerKeys, revocations: [] });
    await expect(verifyCrl(forged, authority.anchor.pem)).rejects.toMatchObject({ reason: 'bad-crl' });
    await expect(verifyCrl('garbage', authority.anchor.pem)).rejects.toMatchObject({ reason: 'bad-crl' });
  });

  it('never throws on hostile certificate text: it names a reason', () => {
    for (const pem of ['', 'garbage', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', authority.anchor.pem.replace(/[A-Z]{8}/, 'ZZZZZZZZ')]) {
      const result = verifier.verify(pem, device());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(['malformed-pem', 'malformed-certificate', 'bad-signature', 'wrong-key-usage']).toContain(result.reason);
    }
  });
});

describe('private keys', () => {
  it('are stored encrypted and refuse a wrong or missing passphrase without echoing the key', () => {
    const { privateKey } = generateKeyPair('P-256');
    const pem = exportPrivateKey(privateKey, 'correct horse');
    expect(pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(importPrivateKey(pem, 'correct horse').equals(privateKey)).toBe(true);
    expect(reasonOf(() => importPrivateKey(pem, 'wrong'))).toBe('wrong-passphrase');
    expect(reasonOf(() => importPrivateKey(pem, null))).toBe('passphrase-required');
    expect(reasonOf(() => importPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', null))).toBe('malformed-pem');
  });
});

async function enrol(authority: MeshAuthority, mesh: string, id: string, algorithm: 'Ed25519' | 'P-256', validity?: { notBefore: Date; days: number }) {
  return enrolPrincipal({ mesh, role: 'device', id, algorithm, issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys, validity });
}

async function enrolAs(authority: MeshAuthority, mesh: string, id: string, role: 'operator') {
  return enrolPrincipal({ mesh, role, id, algorithm: 'Ed25519', issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys });
}

/** An intermediate CA: a root-shaped certificate re-signed by the issuer (test-only helper). */
async function issueCa(issuerPem: string, issuerKeys: ReturnType<typeof generateKeyPair>, keys: ReturnType<typeof generateKeyPair>, name: string): Promise<string> {
  const { x509 } = await import('./x509.js');
  const { toWebCrypto, signingAlgorithm, publicWebKey } = await import('./keys.js');
  const issuer = new x509.X509Certificate(issuerPem);
  const web = await toWebCrypto(issuerKeys);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0' + Math.floor(Math.random() * 1e9).toString(16),
    subject: `CN=${name}`,
    issuer: issuer.subject,
    notBefore: at(-1),
    notAfter: at(365),
    signingAlgorithm: signingAlgorithm(web.algorithm),
    publicKey: await publicWebKey(keys.publicKey),
    signingKey: web.privateKey,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return cert.toString('pem');
}

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof CredentialError) return error.reason;
    throw error;
  }
  return 'accepted';
}
