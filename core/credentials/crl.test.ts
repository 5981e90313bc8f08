/**
 * CRLs (RFC 5280 §5): ours read back and accepted by openssl; openssl's (`openssl ca -gencrl`)
 * read and verified by us; forged, tampered and unprocessable CRLs refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeshAuthority, importMeshAuthority } from './authority.js';
import { normaliseSerial } from './certificate.js';
import { ChainVerifier } from './chain.js';
import { x509 } from './crypto-provider.js';
import { issueCrl, parseCrl, verifyCrl } from './crl.js';
import { enrolPrincipal } from './issue.js';
import { generateKeyPair, KEY_ALGORITHMS } from './keys.js';
import { toPem } from './pem.js';
import { opensslDir, reasonOf, type OpensslDir } from './test-fixtures.js';
import { signingAlgorithm, toWebKeyPair } from './web-keys.js';

let dir: OpensslDir;
beforeAll(() => {
  dir = opensslDir();
});
afterAll(() => dir.remove());

const thisUpdate = new Date('2026-07-01T00:00:00Z');

describe.each(KEY_ALGORITHMS)('a CRL signed with %s', (algorithm) => {
  it('lists revoked serials with their dates, verifies against its issuer, and openssl agrees', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm, validFrom: new Date('2026-01-01T00:00:00Z') });
    const revokedAt = new Date('2026-06-15T12:00:00Z');
    const pem = await issueCrl({
      issuerCertificatePem: authority.issuer.pem,
      issuerKeys: authority.issuerKeys,
      revocations: [
        { serial: '0A1B2C', revokedAt },
        { serial: '7f00000000000000000000000000ff01', revokedAt, invalidSince: new Date('2026-06-01T00:00:00Z') },
      ],
      thisUpdate,
      nextUpdateDays: 7,
      number: 42,
    });
    expect(pem).toContain('-----BEGIN X509 CRL-----');
    const crl = parseCrl(pem);
    expect(crl.thisUpdate).toBe(thisUpdate.getTime());
    expect(crl.nextUpdate).toBe(thisUpdate.getTime() + 7 * 86_400_000);
    expect(crl.number).toBe(42n);
    // The earlier of revocation and invalidity (§5.3.2) is when the certificate stopped vouching.
    expect([...crl.revoked]).toEqual([['A1B2C', revokedAt.getTime()], ['7F00000000000000000000000000FF01', Date.parse('2026-06-01T00:00:00Z')]]);
    const verified = verifyCrl(pem, authority.issuer.pem);
    expect(verified.issuerSha256).toBe(authority.issuer.sha256);
    expect(verified.revoked.get('A1B2C')).toEqual(revokedAt);

    dir.write('ca.pem', authority.issuer.pem);
    dir.write('crl.pem', pem);
    const out = dir.run('crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout', '-text');
    expect(out).toMatch(/CRL Number:\s+42/);
    expect(out).toContain('Serial Number: 0A1B2C');
    expect(dir.run('crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout')).toContain('verify OK');
  });
});

describe('an openssl-made CRL', () => {
  it('(openssl ca -gencrl) is read and verified, and revokes our device under the openssl CA', async () => {
    dir.run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'nl.key', '-out', 'nl.pem', '-days', '365',
      '-subj', '/C=NL/O=Defensie/CN=NLD National Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const authority = importMeshAuthority({ certificatePem: dir.read('nl.pem'), keyPem: dir.read('nl.key') });
    const { certificate } = await enrolPrincipal({ mesh: 'NLD', role: 'device', id: 'ship-3', algorithm: 'Ed25519', issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys });
    const verifier = new ChainVerifier({ anchor: authority.anchor.pem });
    const now = { role: 'device' as const, at: new Date(), admittedAt: new Date() };
    expect(verifier.verify(certificate.pem, now).ok).toBe(true);

    dir.write('index.txt', '');
    dir.write('crlnumber', '1000\n');
    dir.write('ca.cnf', '[ca]\ndefault_ca = own\n[own]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\ncertificate = nl.pem\nprivate_key = nl.key\n');
    dir.write('device.pem', certificate.pem);
    dir.run('ca', '-config', 'ca.cnf', '-revoke', 'device.pem');
    dir.run('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'nl.crl');
    const crl = parseCrl(dir.read('nl.crl'));
    expect(crl.number).toBe(0x1000n);
    expect([...crl.revoked.keys()]).toEqual([normaliseSerial(certificate.serial)]);
    expect(verifyCrl(dir.read('nl.crl'), authority.anchor.pem).issuerSha256).toBe(authority.anchor.sha256);

    expect(verifier.addCrl(dir.read('nl.crl'))).toEqual({ ok: true, issuerSha256: authority.anchor.sha256, current: true });
    expect(verifier.verify(certificate.pem, { ...now, at: new Date(Date.now() + 1000), admittedAt: new Date(Date.now() + 1000) })).toMatchObject({ ok: false, reason: 'revoked' });
  });
});

describe('CRLs that are refused', () => {
  it('one signed by another key under the same name, or tampered with', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' });
    const forger = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' });
    const forged = await issueCrl({ issuerCertificatePem: forger.issuer.pem, issuerKeys: forger.issuerKeys, revocations: [{ serial: '01', revokedAt: new Date() }] });
    expect(await reasonOf(() => verifyCrl(forged, authority.issuer.pem))).toBe('bad-crl');

    const genuine = await issueCrl({ issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys, revocations: [{ serial: '01', revokedAt: new Date() }] });
    const der = parseCrl(genuine).der;
    // Flip a bit inside the signed part (the last revocation date's seconds digit) and in the signature.
    for (const offset of [der.length - 70, der.length - 5]) {
      const tampered = Buffer.from(der);
      tampered[offset] = tampered[offset]! ^ 0x01;
      expect(await reasonOf(() => verifyCrl(toPem('X509 CRL', tampered), authority.issuer.pem))).toMatch(/^(bad-crl|malformed-crl)$/);
    }
    // Not from a certificate that may sign CRLs: a device is no CRL issuer.
    const { certificate } = await enrolPrincipal({ mesh: 'DEU', role: 'device', id: 'd', algorithm: 'Ed25519', issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys });
    expect(await reasonOf(() => verifyCrl(genuine, certificate.pem))).toBe('bad-crl');
  });

  it('one with a critical extension we do not process (a delta CRL)', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'P-256' });
    const web = await toWebKeyPair(authority.issuerKeys);
    const delta = await x509.X509CrlGenerator.create({
      issuer: new x509.X509Certificate(authority.issuer.pem).subjectName,
      thisUpdate: new Date(),
      // deltaCRLIndicator (§5.2.4), critical, base CRL number 1.
      extensions: [new x509.Extension('2.5.29.27', true, Uint8Array.from([0x02, 0x01, 0x01]))],
      signingAlgorithm: signingAlgorithm(web.algorithm),
      signingKey: web.privateKey,
    });
    expect(await reasonOf(() => verifyCrl(delta.toString('pem'), authority.issuer.pem))).toBe('bad-crl');
  });

  it('malformed input, by name', async () => {
    const authority = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519' });
    expect(await reasonOf(() => parseCrl('no pem here'))).toBe('malformed-pem');
    expect(await reasonOf(() => parseCrl(toPem('X509 CRL', Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00]))))).toBe('malformed-crl');
    expect(await reasonOf(() => parseCrl(authority.anchor.pem))).toBe('malformed-pem');
    expect(await reasonOf(() => issueCrl({ issuerCertificatePem: authority.issuer.pem, issuerKeys: generateKeyPair('Ed25519'), revocations: [] }))).toBe('key-mismatch');
    expect(await reasonOf(() => issueCrl({ issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys, revocations: [{ serial: 'xyz', revokedAt: new Date() }] }))).toBe('invalid-argument');
  });
});
