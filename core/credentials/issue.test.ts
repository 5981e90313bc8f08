/**
 * Issued certificates follow the profile (RFC 5280 §4.2): the mesh root, issuing CAs and
 * principal certificates, checked by our reader and by the openssl command line.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeshAuthority } from './authority.js';
import { KEY_USAGE, parseCertificate } from './certificate.js';
import { enrolPrincipal, issueCaCertificate, issueEndEntityCertificate } from './issue.js';
import { generateKeyPair, KEY_ALGORITHMS } from './keys.js';
import { principalUri, PRINCIPAL_ROLES, ROLE_OIDS } from './roles.js';
import { DAY, opensslDir, reasonOf, T, type OpensslDir } from './test-fixtures.js';

let dir: OpensslDir;
beforeAll(() => {
  dir = opensslDir();
});
afterAll(() => dir.remove());

describe.each(KEY_ALGORITHMS)('a %s mesh root', (algorithm) => {
  it('is a self-signed CA for certificates and CRLs only, named after its mesh', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm, validFrom: T.start, validDays: 30 });
    const root = parseCertificate(authority.anchor.pem);
    expect(authority.issuer).toEqual(authority.anchor);
    expect(root.x509.subject).toBe('O=Entente mesh DEU\nCN=DEU Root');
    expect(root.selfIssued && root.x509.verify(root.publicKey)).toBe(true);
    expect(root.isCa).toBe(true);
    expect(root.keyUsage).toBe(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign);
    expect(root.keyAlgorithm).toBe(algorithm);
    expect(authority.anchor.sha256).toBe(createHash('sha256').update(root.der).digest('hex'));
    expect(authority.anchor.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect([authority.anchor.notBefore, authority.anchor.notAfter]).toEqual([T.start.toISOString(), new Date(T.start.getTime() + 30 * DAY).toISOString()]);

    // openssl reads the same profile, criticality included.
    dir.write('root.pem', authority.anchor.pem);
    const text = dir.run('x509', '-in', 'root.pem', '-noout', '-ext', 'basicConstraints,keyUsage');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
  });
});

describe('principal certificates', () => {
  it.each(PRINCIPAL_ROLES.flatMap((role) => KEY_ALGORITHMS.map((algorithm) => [role, algorithm] as const)))(
    '%s with a %s key: digitalSignature (critical), the role EKU, not a CA, its URN, a 16-byte serial',
    async (role, algorithm) => {
      const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: algorithm === 'Ed25519' ? 'P-256' : 'Ed25519', validFrom: new Date(Date.now() - 10 * DAY) });
      const { keys, certificate } = await enrolPrincipal({
        mesh: 'DEU', role, id: 'uav-7', algorithm,
        issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys,
        validity: { notBefore: new Date(Date.now() - DAY), days: 90 },
      });
      const leaf = parseCertificate(certificate.pem);
      const root = parseCertificate(authority.anchor.pem);
      expect(leaf.publicKey.equals(keys.publicKey)).toBe(true);
      expect(leaf.isCa).toBe(false);
      expect(leaf.keyUsage).toBe(KEY_USAGE.digitalSignature);
      expect([...leaf.extendedKeyUsages!]).toEqual([ROLE_OIDS[role]]);
      expect(leaf.x509.subjectAltName).toBe(`URI:${principalUri('DEU', role, 'uav-7')}`);
      expect(leaf.principal).toEqual({ mesh: 'DEU', role, id: 'uav-7' });
      // 16 bytes, positive (first byte 0x01–0x7f, so no padding byte and no leading zero byte).
      expect(certificate.serial).toMatch(/^[0-9A-F]{32}$/);
      expect(Number.parseInt(certificate.serial.slice(0, 2), 16)).toSatisfy((byte: number) => byte >= 1 && byte <= 0x7f);
      expect(Date.parse(certificate.notAfter) - Date.parse(certificate.notBefore)).toBe(90 * DAY);
      // Chained by exact Name bytes and key identifiers.
      expect(leaf.issuerDer).toBe(root.subjectDer);
      expect(leaf.authorityKeyId).toBe(root.subjectKeyId);
      expect(leaf.x509.verify(root.publicKey)).toBe(true);

      dir.write('root.pem', authority.anchor.pem);
      dir.write('leaf.pem', certificate.pem);
      const text = dir.run('x509', '-in', 'leaf.pem', '-noout', '-ext', 'basicConstraints,keyUsage,extendedKeyUsage');
      expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
      expect(text).toMatch(/Key Usage: critical\s+Digital Signature\s/);
      expect(text).toContain(ROLE_OIDS[role]);
      expect(dir.run('verify', '-CAfile', 'root.pem', 'leaf.pem')).toContain('leaf.pem: OK');
    },
  );

  it('take a supplied public key, and never repeat a serial', async () => {
    const authority = await createMeshAuthority({ mesh: 'NLD', algorithm: 'Ed25519' });
    const subject = generateKeyPair('P-256');
    const serials = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const certificate = await issueEndEntityCertificate({
        mesh: 'NLD', role: 'operator', id: `op-${i}`, subjectPublicKey: subject.publicKey,
        issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys,
      });
      expect(new X509Certificate(certificate.pem).publicKey.equals(subject.publicKey)).toBe(true);
      serials.add(certificate.serial);
    }
    expect(serials.size).toBe(20);
  });

  it('are cut to their issuer\'s validity', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519', validFrom: T.start, validDays: 100 });
    const { certificate } = await enrolPrincipal({
      mesh: 'DEU', role: 'device', id: 'd', algorithm: 'Ed25519',
      issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys,
      validity: { notBefore: new Date(T.start.getTime() - 10 * DAY), days: 365 },
    });
    expect([certificate.notBefore, certificate.notAfter]).toEqual([authority.anchor.notBefore, authority.anchor.notAfter]);
  });

  it('are refused for a bad request, a wrong key, or an issuer that is no CA', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' });
    const base = { mesh: 'DEU', role: 'device' as const, id: 'uav-7', algorithm: 'Ed25519' as const, issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys };
    expect(await reasonOf(() => enrolPrincipal({ ...base, mesh: 'deu' }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, id: '' }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, id: 'x'.repeat(65) }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, id: 'line\nbreak' }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, role: 'admin' as never }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, validity: { days: 0 } }))).toBe('invalid-argument');
    expect(await reasonOf(() => enrolPrincipal({ ...base, issuerKeys: generateKeyPair('Ed25519') }))).toBe('key-mismatch');
    const { keys, certificate } = await enrolPrincipal(base);
    expect(await reasonOf(() => enrolPrincipal({ ...base, issuerCertificatePem: certificate.pem, issuerKeys: keys }))).toBe('not-a-ca');
    expect(await reasonOf(() => enrolPrincipal({ ...base, issuerCertificatePem: 'garbage' }))).toBe('malformed-pem');
  });
});

describe('issuing CAs', () => {
  it('below the root: a CA with a path length, chaining to it', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' });
    const caKeys = generateKeyPair('P-256');
    const issued = await issueCaCertificate({
      mesh: 'DEU', name: 'DEU Issuing CA 1', subjectPublicKey: caKeys.publicKey,
      issuerCertificatePem: authority.anchor.pem, issuerKeys: authority.issuerKeys,
    });
    const ca = parseCertificate(issued.pem);
    expect([ca.isCa, ca.pathLength, ca.keyUsage]).toEqual([true, 0, KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign]);
    expect(ca.x509.subject).toBe('O=Entente mesh DEU\nCN=DEU Issuing CA 1');
    dir.write('root.pem', authority.anchor.pem);
    dir.write('ca.pem', issued.pem);
    expect(dir.run('verify', '-CAfile', 'root.pem', 'ca.pem')).toContain('ca.pem: OK');
  });
});
