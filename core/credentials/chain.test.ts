/**
 * Chain verification (RFC 5280 §6): a DEU mesh with an Ed25519 root and a P-256 issuing CA;
 * chains that hold, the cache that makes the thousandth check cheap, and every refusal by name.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createMeshAuthority, type MeshAuthority } from './authority.js';
import { parseCertificate } from './certificate.js';
import { ChainVerifier } from './chain.js';
import { x509 } from './crypto-provider.js';
import { issueCrl } from './crl.js';
import { enrolPrincipal, issueCaCertificate } from './issue.js';
import { generateKeyPair, KEY_ALGORITHMS, type KeyAlgorithm, type KeyPair } from './keys.js';
import { principalUri, PRINCIPAL_ROLES, ROLE_OIDS, type PrincipalRole } from './roles.js';
import { CA_USAGE, DAY, deviceAt, KeyUsageFlags, rawCertificate, T } from './test-fixtures.js';
import { toPem } from './pem.js';

interface Mesh {
  readonly root: MeshAuthority;
  readonly caPem: string;
  readonly caKeys: KeyPair;
  verifier(options?: { crls?: string[]; mesh?: string }): ChainVerifier;
  enrol(options?: { role?: PrincipalRole; id?: string; algorithm?: KeyAlgorithm; notBefore?: Date; notAfter?: Date }): Promise<{ keys: KeyPair; pem: string; sha256: string; serial: string }>;
}

async function meshOf(code: string): Promise<Mesh> {
  const root = await createMeshAuthority({ mesh: code, algorithm: 'Ed25519', validFrom: T.start, validDays: 3650 });
  const caKeys = generateKeyPair('P-256');
  const ca = await issueCaCertificate({
    mesh: code, name: `${code} Issuing CA`, subjectPublicKey: caKeys.publicKey, validity: { notBefore: T.start, days: 1825 },
    issuerCertificatePem: root.anchor.pem, issuerKeys: root.issuerKeys,
  });
  return {
    root,
    caPem: ca.pem,
    caKeys,
    verifier: (options = {}) => new ChainVerifier({ anchor: root.anchor.pem, intermediates: [ca.pem], ...options }),
    enrol: async ({ role = 'device', id = 'uav-7', algorithm = 'Ed25519', notBefore = T.deviceFrom, notAfter = T.deviceUntil } = {}) => {
      const { keys, certificate } = await enrolPrincipal({ mesh: code, role, id, algorithm, issuerCertificatePem: ca.pem, issuerKeys: { privateKey: caKeys.privateKey, publicKey: caKeys.publicKey }, validity: { notBefore, notAfter } });
      return { keys, pem: certificate.pem, sha256: certificate.sha256, serial: certificate.serial };
    },
  };
}

let deu: Mesh;
beforeAll(async () => {
  deu = await meshOf('DEU');
});

describe('a chain that holds', () => {
  it.each(KEY_ALGORITHMS)('verifies a %s device to the root through the issuing CA, with the key to check signatures with', async (algorithm) => {
    const device = await deu.enrol({ algorithm });
    const result = deu.verifier({ mesh: 'DEU' }).verify(device.pem, { ...deviceAt(), id: 'uav-7' });
    if (!result.ok) throw new Error(result.message);
    expect(result.publicKey.equals(device.keys.publicKey)).toBe(true);
    expect(result.algorithm).toBe(algorithm);
    expect(result.principal).toEqual({ mesh: 'DEU', role: 'device', id: 'uav-7' });
    expect(result.path).toEqual([device.sha256, parseCertificate(deu.caPem).sha256, deu.root.anchor.sha256]);
    expect(result.chain.map((c) => c.sha256)).toEqual(result.path);
  });

  it('verifies operators and boundary agents in their own roles', async () => {
    const verifier = deu.verifier({ mesh: 'DEU' });
    for (const role of PRINCIPAL_ROLES) {
      const principal = await deu.enrol({ role, id: `${role}-1` });
      expect(verifier.verify(principal.pem, { role, at: T.observed, admittedAt: T.admitted }).ok).toBe(true);
    }
  });

  it('answers again from its cache, for PEM, DER, node and parsed certificates alike', async () => {
    const device = await deu.enrol();
    const verifier = deu.verifier();
    const first = verifier.verify(device.pem, deviceAt());
    expect(first.ok).toBe(true);
    expect(verifier.verify(device.pem, deviceAt())).toBe(first);
    expect(verifier.verify(new X509Certificate(device.pem), deviceAt())).toBe(first);
    expect(verifier.verify(new X509Certificate(device.pem).raw, deviceAt())).toBe(first);
    expect(verifier.verify(parseCertificate(device.pem), deviceAt())).toBe(first);
    expect(verifier.publicKeyOf(device.sha256)?.equals(device.keys.publicKey)).toBe(true);
    expect(verifier.publicKeyOf(deu.root.anchor.sha256)).toBeDefined();
    expect(verifier.publicKeyOf('0'.repeat(64))).toBeUndefined();
  });

  it('is cheap once cached: 20,000 checks of one device at varying times', async () => {
    const device = await deu.enrol();
    const verifier = deu.verifier();
    const pem = `${device.pem}`;
    verifier.verify(pem, deviceAt());
    // Once the path is built, a check at another time re-reads validity windows, never signatures.
    const checks = vi.spyOn(X509Certificate.prototype, 'verify');
    try {
      for (let i = 0; i < 20_000; i += 1) {
        const at = new Date(T.observed.getTime() + i * 1000);
        if (!verifier.verify(pem, { role: 'device', at, admittedAt: at }).ok) throw new Error('refused');
      }
      expect(checks).not.toHaveBeenCalled();
    } finally {
      checks.mockRestore();
    }
  });

  it('keeps an observation made before a revocation, admitted after it', async () => {
    const device = await deu.enrol();
    const crl = await issueCrl({ issuerCertificatePem: deu.caPem, issuerKeys: deu.caKeys, revocations: [{ serial: device.serial, revokedAt: new Date(T.observed.getTime() + 60_000) }], thisUpdate: T.admitted });
    expect(deu.verifier({ crls: [crl] }).verify(device.pem, deviceAt(T.observed, new Date(T.admitted.getTime() + DAY))).ok).toBe(true);
  });

  it('picks up CAs and CRLs added after a chain was cached', async () => {
    const device = await deu.enrol();
    const verifier = new ChainVerifier({ anchor: deu.root.anchor.pem });
    expect(verifier.verify(device.pem, deviceAt())).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    verifier.addIntermediate(deu.caPem);
    expect(verifier.verify(device.pem, deviceAt()).ok).toBe(true);
    const crl = await issueCrl({ issuerCertificatePem: deu.caPem, issuerKeys: deu.caKeys, revocations: [{ serial: device.serial, revokedAt: T.start }], thisUpdate: T.observed });
    expect(verifier.addCrl(crl)).toMatchObject({ ok: true, current: true });
    expect(verifier.verify(device.pem, deviceAt())).toMatchObject({ ok: false, reason: 'revoked' });
  });
});

describe('validity, at the observation and at admission, for every certificate', () => {
  it('expired when the observation was made', async () => {
    const device = await deu.enrol();
    const late = new Date(T.deviceUntil.getTime() + DAY);
    expect(deu.verifier().verify(device.pem, deviceAt(late, late))).toMatchObject({ ok: false, reason: 'expired', message: expect.stringContaining('made') });
  });

  it('not yet valid when the observation was made', async () => {
    const device = await deu.enrol();
    const early = new Date(T.deviceFrom.getTime() - DAY);
    expect(deu.verifier().verify(device.pem, deviceAt(early, T.admitted))).toMatchObject({ ok: false, reason: 'not-yet-valid', message: expect.stringContaining('made') });
  });

  it('valid when made, expired by admission', async () => {
    const device = await deu.enrol();
    const admitted = new Date(T.deviceUntil.getTime() + 1000);
    expect(deu.verifier().verify(device.pem, deviceAt(T.observed, admitted))).toMatchObject({ ok: false, reason: 'expired', message: expect.stringContaining('admitted') });
  });

  it('an expired issuing CA, though the device itself is still valid', async () => {
    const caKeys = generateKeyPair('Ed25519');
    const shortCa = await rawCertificate({ cn: 'DEU Short CA', keys: caKeys, issuer: { cn: 'DEU Root', keys: deu.root.issuerKeys }, ca: true, keyUsage: CA_USAGE, notBefore: T.start, notAfter: new Date(T.observed.getTime() - DAY) });
    const leaf = await rawCertificate({ cn: 'uav-9', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Short CA', keys: caKeys }, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notBefore: T.start, notAfter: T.deviceUntil });
    const verifier = new ChainVerifier({ anchor: deu.root.anchor.pem, intermediates: [shortCa] });
    expect(verifier.verify(leaf, deviceAt())).toMatchObject({ ok: false, reason: 'expired', message: expect.stringContaining('CA certificate') });
    expect(verifier.verify(leaf, deviceAt(T.start, new Date(T.start.getTime() + DAY))).ok).toBe(true);
  });

  it('a time that is not a date', async () => {
    const device = await deu.enrol();
    expect(deu.verifier().verify(device.pem, deviceAt(new Date('garbage')))).toMatchObject({ ok: false, reason: 'invalid-time' });
    expect(deu.verifier().verify(device.pem, { role: 'device', at: '2026-07-01' as never, admittedAt: T.admitted })).toMatchObject({ ok: false, reason: 'invalid-time' });
  });
});

describe('revocation', () => {
  it('a revoked device, revoked before the observation', async () => {
    const device = await deu.enrol();
    const crl = await issueCrl({ issuerCertificatePem: deu.caPem, issuerKeys: deu.caKeys, revocations: [{ serial: device.serial, revokedAt: new Date(T.observed.getTime() - 1000) }], thisUpdate: T.observed });
    const verifier = deu.verifier({ crls: [crl] });
    expect(verifier.refusedCrls).toEqual([]);
    expect(verifier.verify(device.pem, deviceAt())).toMatchObject({ ok: false, reason: 'revoked', message: expect.stringContaining('The certificate') });
    // Revocation takes effect at its date: exactly then counts as revoked.
    const revokedAt = new Date(T.observed.getTime() - 1000);
    expect(verifier.verify(device.pem, deviceAt(revokedAt))).toMatchObject({ reason: 'revoked' });
    expect(verifier.verify(device.pem, deviceAt(new Date(revokedAt.getTime() - 1000))).ok).toBe(true);
  });

  it('a revoked issuing CA, listed in the root\'s CRL', async () => {
    const device = await deu.enrol();
    const caSerial = parseCertificate(deu.caPem).serial;
    const crl = await issueCrl({ issuerCertificatePem: deu.root.anchor.pem, issuerKeys: deu.root.issuerKeys, revocations: [{ serial: caSerial, revokedAt: T.deviceFrom }], thisUpdate: T.observed });
    expect(deu.verifier({ crls: [crl] }).verify(device.pem, deviceAt())).toMatchObject({ ok: false, reason: 'revoked', message: expect.stringContaining('CA certificate') });
  });

  it('a CRL whose signature does not verify is refused and changes nothing', async () => {
    const device = await deu.enrol();
    // A forger with its own key under the issuing CA's very name.
    const forgerKeys = generateKeyPair('P-256');
    const forgerCa = await rawCertificate({ cn: 'DEU Issuing CA', keys: forgerKeys, ca: true, keyUsage: CA_USAGE });
    const forged = await issueCrl({ issuerCertificatePem: forgerCa, issuerKeys: forgerKeys, revocations: [{ serial: device.serial, revokedAt: T.start }], thisUpdate: T.observed });
    const verifier = deu.verifier({ crls: [forged] });
    expect(verifier.refusedCrls).toMatchObject([{ ok: false, reason: 'bad-crl' }]);
    expect(verifier.addCrl(forged)).toMatchObject({ ok: false, reason: 'bad-crl' });
    expect(verifier.verify(device.pem, deviceAt()).ok).toBe(true);
    // Nor does one from a CA the mesh does not know.
    const nld = await meshOf('NLD');
    const foreign = await issueCrl({ issuerCertificatePem: nld.caPem, issuerKeys: nld.caKeys, revocations: [{ serial: device.serial, revokedAt: T.start }] });
    expect(verifier.addCrl(foreign)).toMatchObject({ ok: false, reason: 'bad-crl' });
    expect(verifier.addCrl('not a crl')).toMatchObject({ ok: false, reason: 'malformed-pem' });
    expect(verifier.verify(device.pem, deviceAt()).ok).toBe(true);
  });

  it('a newer CRL replaces an older one; replaying the older one un-revokes nothing', async () => {
    const device = await deu.enrol();
    const crlAt = (thisUpdate: Date, serials: string[]) =>
      issueCrl({ issuerCertificatePem: deu.caPem, issuerKeys: deu.caKeys, revocations: serials.map((serial) => ({ serial, revokedAt: T.deviceFrom })), thisUpdate });
    const before = await crlAt(T.deviceFrom, []);
    const after = await crlAt(T.observed, [device.serial]);
    const verifier = deu.verifier({ crls: [before, after] });
    expect(verifier.verify(device.pem, deviceAt())).toMatchObject({ reason: 'revoked' });
    expect(verifier.addCrl(before)).toMatchObject({ ok: true, current: false });
    expect(verifier.verify(device.pem, deviceAt())).toMatchObject({ reason: 'revoked' });
  });
});

describe('key usage and role', () => {
  it('an operator certificate offered as a device', async () => {
    const operator = await deu.enrol({ role: 'operator', id: 'op-1' });
    expect(deu.verifier().verify(operator.pem, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-key-usage', message: expect.stringContaining('device') });
  });

  it('a leaf without digitalSignature, or with no key usage at all', async () => {
    const common = { keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Issuing CA', keys: deu.caKeys }, ca: false, eku: [ROLE_OIDS.device], san: principalUri('DEU', 'device', 'x'), notBefore: T.start, notAfter: T.deviceUntil };
    const noSignature = await rawCertificate({ ...common, cn: 'x', keyUsage: KeyUsageFlags.nonRepudiation });
    const noUsage = await rawCertificate({ ...common, cn: 'x' });
    expect(deu.verifier().verify(noSignature, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-key-usage', message: expect.stringContaining('digitalSignature') });
    expect(deu.verifier().verify(noUsage, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-key-usage' });
  });

  it('a CA certificate offered as a principal', () => {
    expect(deu.verifier().verify(deu.caPem, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-key-usage' });
    expect(deu.verifier().verify(deu.root.anchor.pem, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-key-usage' });
  });

  it('a principal of another mesh, or another id, when the verifier is told which', async () => {
    const device = await deu.enrol();
    const impostorMesh = new ChainVerifier({ anchor: deu.root.anchor.pem, intermediates: [deu.caPem], mesh: 'NLD' });
    expect(impostorMesh.verify(device.pem, deviceAt())).toMatchObject({ ok: false, reason: 'wrong-principal' });
    expect(deu.verifier().verify(device.pem, { ...deviceAt(), id: 'uav-8' })).toMatchObject({ ok: false, reason: 'wrong-principal' });
  });

  it('a critical extension Entente does not process', async () => {
    const leaf = await rawCertificate({
      cn: 'x', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Issuing CA', keys: deu.caKeys }, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notAfter: T.deviceUntil,
      // certificatePolicies (§4.2.1.4) with anyPolicy, marked critical: we do no policy processing.
      extra: [new x509.Extension('2.5.29.32', true, Uint8Array.from([0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x55, 0x1d]))],
    });
    expect(deu.verifier().verify(leaf, deviceAt())).toMatchObject({ ok: false, reason: 'unhandled-critical-extension' });
  });
});

describe('paths', () => {
  it('a device of another mesh has no path here', async () => {
    const nld = await meshOf('NLD');
    const foreign = await nld.enrol();
    expect(deu.verifier().verify(foreign.pem, deviceAt())).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('a certificate naming this mesh\'s CA but signed by another key', async () => {
    const forgerKeys = generateKeyPair('P-256');
    const base = { cn: 'uav-7', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Issuing CA', keys: forgerKeys }, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notAfter: T.deviceUntil };
    // Without a key identifier the name leads to the real CA, whose key does not verify it.
    expect(deu.verifier().verify(await rawCertificate({ ...base, authorityKeyId: false }), deviceAt())).toMatchObject({ ok: false, reason: 'bad-signature' });
    // With one, the identifiers already disagree (RFC 4158): no candidate issuer at all.
    expect(deu.verifier().verify(await rawCertificate(base), deviceAt())).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('an intermediate that is not a CA, or may not sign certificates', async () => {
    const cases = [
      { ca: false, keyUsage: CA_USAGE },
      { keyUsage: CA_USAGE },
      { ca: true, keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.cRLSign },
    ];
    for (const spec of cases) {
      const midKeys = generateKeyPair('Ed25519');
      const mid = await rawCertificate({ cn: 'DEU Odd CA', keys: midKeys, issuer: { cn: 'DEU Root', keys: deu.root.issuerKeys }, ...spec });
      const leaf = await rawCertificate({ cn: 'x', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Odd CA', keys: midKeys }, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notAfter: T.deviceUntil });
      const verifier = new ChainVerifier({ anchor: deu.root.anchor.pem, intermediates: [mid] });
      expect([spec, verifier.verify(leaf, deviceAt())]).toMatchObject([spec, { ok: false, reason: 'not-a-ca' }]);
    }
  });

  it('a CA below one whose pathLenConstraint is 0', async () => {
    // deu's issuing CA was made with pathLength 0: a sub-CA below it may not sign.
    const subKeys = generateKeyPair('Ed25519');
    const sub = await rawCertificate({ cn: 'DEU Sub CA', keys: subKeys, issuer: { cn: 'DEU Issuing CA', keys: deu.caKeys }, ca: true, keyUsage: CA_USAGE });
    const leaf = await rawCertificate({ cn: 'x', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Sub CA', keys: subKeys }, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notAfter: T.deviceUntil });
    const verifier = new ChainVerifier({ anchor: deu.root.anchor.pem, intermediates: [deu.caPem, sub] });
    expect(verifier.verify(leaf, deviceAt())).toMatchObject({ ok: false, reason: 'chain-too-long', message: expect.stringContaining('pathLenConstraint') });
  });

  it('refuses an anchor that is not a CA', async () => {
    const device = await deu.enrol();
    expect(() => new ChainVerifier({ anchor: device.pem })).toThrow(expect.objectContaining({ reason: 'not-a-ca' }));
  });
});

describe('malformed input', () => {
  it('is refused by name, never thrown', async () => {
    const device = await deu.enrol();
    const der = new X509Certificate(device.pem).raw;
    const verifier = deu.verifier();
    const cases: [unknown, string][] = [
      ['', 'malformed-pem'],
      ['hello', 'malformed-pem'],
      [device.pem.replace('-----END CERTIFICATE-----', ''), 'malformed-pem'],
      [device.pem + device.pem, 'malformed-pem'],
      [toPem('CERTIFICATE', Buffer.from('not der at all')), 'malformed-certificate'],
      [toPem('CERTIFICATE', Buffer.concat([der, Buffer.from([0, 0])])), 'malformed-certificate'],
      [toPem('CERTIFICATE', der.subarray(0, der.length - 10)), 'malformed-certificate'],
      [Buffer.from('garbage'), 'malformed-certificate'],
      [null, 'malformed-certificate'],
      [42, 'malformed-certificate'],
    ];
    for (const [input, reason] of cases) {
      expect([String(input).slice(0, 30), verifier.verify(input as never, deviceAt())]).toMatchObject([String(input).slice(0, 30), { ok: false, reason }]);
    }
    expect(verifier.verify(device.pem, null as never)).toMatchObject({ ok: false, reason: 'invalid-time' });
    expect(verifier.verify(device.pem, { ...deviceAt(), role: 'admin' as never })).toMatchObject({ ok: false, reason: 'invalid-argument' });
  });
});
