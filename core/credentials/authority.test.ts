/**
 * Mesh authorities, made here or imported from national CAs the openssl command line made (a
 * bare root; a root with an issuing CA): their principals verify here and under `openssl verify`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeshAuthority, importMeshAuthority } from './authority.js';
import { ChainVerifier } from './chain.js';
import { enrolPrincipal } from './issue.js';
import { exportPrivateKey, generateKeyPair, KEY_ALGORITHMS } from './keys.js';
import { DAY, opensslDir, reasonOf, type OpensslDir } from './test-fixtures.js';

const PASS = 'national ca passphrase';
const now = () => ({ role: 'device' as const, at: new Date(), admittedAt: new Date() });

let dir: OpensslDir;
beforeAll(() => {
  dir = opensslDir();
});
afterAll(() => dir.remove());

/** openssl's own fingerprint of a certificate file, in Entente's spelling. */
function opensslFingerprint(file: string): string {
  return dir.run('x509', '-in', file, '-noout', '-fingerprint', '-sha256').split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
}

const CA_EXTENSIONS = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
const newKey = (algorithm: 'ed25519' | 'P-256') => (algorithm === 'ed25519' ? ['-newkey', 'ed25519'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);

/** An openssl-made self-signed root; its key encrypted under PASS as `<name>.enc.key`. */
function opensslRoot(name: string, algorithm: 'ed25519' | 'P-256', subject: string, extensions = CA_EXTENSIONS): void {
  dir.run('req', '-x509', ...newKey(algorithm), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', subject, ...extensions);
  dir.run('pkcs8', '-topk8', '-in', `${name}.key`, '-out', `${name}.enc.key`, '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`);
}

/** An openssl-made issuing CA below `parent`, key encrypted as `<name>.enc.key`. */
function opensslIssuingCa(name: string, parent: string, subject: string, extensions = 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'): void {
  dir.run('req', '-new', ...newKey('P-256'), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  dir.write(`${name}.ext`, extensions);
  dir.run('x509', '-req', '-in', `${name}.csr`, '-CA', `${parent}.pem`, '-CAkey', `${parent}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '1825', '-extfile', `${name}.ext`);
  dir.run('pkcs8', '-topk8', '-in', `${name}.key`, '-out', `${name}.enc.key`, '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`);
}

describe('a mesh authority made here', () => {
  it('is its own anchor and issuer, in both call forms', async () => {
    const made = await createMeshAuthority({ mesh: 'DEU', algorithm: 'P-256' });
    expect(made.anchor).toEqual(made.issuer);
    expect(made.chain).toEqual([made.anchor]);
    expect(made.intermediates).toEqual([]);
    const positional = await createMeshAuthority('NLD', 'Ed25519', { days: 10 });
    expect(Date.parse(positional.anchor.notAfter) - Date.parse(positional.anchor.notBefore)).toBe(10 * DAY);
  });
});

describe('an openssl-made Ed25519 national root, imported', () => {
  it('becomes anchor and issuer, and issues Ed25519 and P-256 devices that verify (and openssl agrees)', async () => {
    opensslRoot('deu-root', 'ed25519', '/C=DE/O=Bundeswehr/CN=DEU National Root');
    const authority = importMeshAuthority({ certificatePem: dir.read('deu-root.pem'), keyPem: dir.read('deu-root.enc.key'), passphrase: PASS });
    expect(authority.anchor.sha256).toBe(opensslFingerprint('deu-root.pem'));
    expect(authority.issuer).toEqual(authority.anchor);
    expect(authority.intermediates).toEqual([]);

    const verifier = new ChainVerifier({ anchor: authority.anchor.pem, mesh: 'DEU' });
    for (const algorithm of KEY_ALGORITHMS) {
      const { keys, certificate } = await enrolPrincipal({ mesh: 'DEU', role: 'device', id: `uav-${algorithm}`, algorithm, issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys });
      const result = verifier.verify(certificate.pem, { ...now(), id: `uav-${algorithm}` });
      expect(result).toMatchObject({ ok: true, algorithm, path: [certificate.sha256, authority.anchor.sha256] });
      expect(result.ok && result.publicKey.equals(keys.publicKey)).toBe(true);
      dir.write('device.pem', certificate.pem);
      expect(dir.run('verify', '-CAfile', 'deu-root.pem', 'device.pem')).toContain('device.pem: OK');
    }
  });

  it('is accepted with openssl\'s default CA profile too (no keyUsage: RFC 5280 §6.1.4 (n) allows it)', () => {
    opensslRoot('plain-root', 'ed25519', '/CN=Plain Root', []);
    const authority = importMeshAuthority({ certificatePem: dir.read('plain-root.pem'), keyPem: dir.read('plain-root.key') });
    expect(authority.anchor.sha256).toBe(opensslFingerprint('plain-root.pem'));
  });
});

describe('an openssl-made P-256 root with an openssl-made issuing CA below it, imported', () => {
  beforeAll(() => {
    opensslRoot('pol-root', 'P-256', '/C=PL/O=MON/CN=POL National Root');
    opensslIssuingCa('pol-ca', 'pol-root', '/C=PL/O=MON/CN=POL Issuing CA');
  });

  it('anchors at the root, issues from the CA, and its devices verify here and under openssl', async () => {
    const authority = importMeshAuthority({ certificatePem: dir.read('pol-ca.pem'), keyPem: dir.read('pol-ca.enc.key'), chainPem: dir.read('pol-root.pem'), passphrase: PASS });
    expect(authority.anchor.sha256).toBe(opensslFingerprint('pol-root.pem'));
    expect(authority.issuer.sha256).toBe(opensslFingerprint('pol-ca.pem'));
    expect(authority.chain.map((c) => c.sha256)).toEqual([authority.issuer.sha256, authority.anchor.sha256]);
    expect(authority.intermediates).toEqual([authority.issuer]);

    const verifier = new ChainVerifier({ anchor: authority.anchor.pem, intermediates: authority.intermediates.map((c) => c.pem), mesh: 'POL' });
    for (const algorithm of KEY_ALGORITHMS) {
      const { certificate } = await enrolPrincipal({ mesh: 'POL', role: 'device', id: 'radar-2', algorithm, issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys });
      expect(verifier.verify(certificate.pem, now())).toMatchObject({ ok: true, path: [certificate.sha256, authority.issuer.sha256, authority.anchor.sha256] });
      dir.write('device.pem', certificate.pem);
      expect(dir.run('verify', '-CAfile', 'pol-root.pem', '-untrusted', 'pol-ca.pem', 'device.pem')).toContain('device.pem: OK');
    }
  });

  it('finds the chain among extra certificates in any order', () => {
    opensslRoot('stray', 'ed25519', '/CN=Unrelated Root');
    const chainPem = `${dir.read('stray.pem')}\n${dir.read('pol-root.pem')}`;
    const authority = importMeshAuthority({ certificatePem: dir.read('pol-ca.pem'), keyPem: dir.read('pol-ca.key'), chainPem });
    expect(authority.anchor.sha256).toBe(opensslFingerprint('pol-root.pem'));
    expect(authority.chain).toHaveLength(2);
  });

  it('is refused when the chain does not link to a root', async () => {
    const request = { certificatePem: dir.read('pol-ca.pem'), keyPem: dir.read('pol-ca.key') };
    expect(await reasonOf(() => importMeshAuthority(request))).toBe('unknown-issuer');
    expect(await reasonOf(() => importMeshAuthority({ ...request, chainPem: dir.read('stray.pem') }))).toBe('unknown-issuer');
    // A root with the very same name but another key is not the issuer.
    opensslRoot('impostor', 'P-256', '/C=PL/O=MON/CN=POL National Root');
    expect(await reasonOf(() => importMeshAuthority({ ...request, chainPem: dir.read('impostor.pem') }))).toBe('unknown-issuer');
    expect(await reasonOf(() => importMeshAuthority({ ...request, chainPem: 'not pem' }))).toBe('malformed-pem');
  });
});

describe('importing refuses', () => {
  it('a key that is not the certificate\'s', async () => {
    opensslRoot('a', 'ed25519', '/CN=A Root');
    opensslRoot('b', 'ed25519', '/CN=B Root');
    expect(await reasonOf(() => importMeshAuthority({ certificatePem: dir.read('a.pem'), keyPem: dir.read('b.key') }))).toBe('key-mismatch');
  });

  it('a certificate that is not a CA, or may not sign certificates or CRLs', async () => {
    opensslRoot('leaf', 'ed25519', '/CN=Just A Leaf', ['-addext', 'basicConstraints=critical,CA:FALSE']);
    opensslRoot('no-certsign', 'ed25519', '/CN=No CertSign', ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,cRLSign']);
    opensslRoot('no-crlsign', 'ed25519', '/CN=No CRLSign', ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    for (const name of ['leaf', 'no-certsign', 'no-crlsign']) {
      expect([name, await reasonOf(() => importMeshAuthority({ certificatePem: dir.read(`${name}.pem`), keyPem: dir.read(`${name}.key`) }))]).toEqual([name, 'not-a-ca']);
    }
  });

  it('an expired or not yet valid CA, anywhere on the chain', async () => {
    const old = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519', validFrom: new Date('2020-01-01T00:00:00Z'), validDays: 30 });
    const future = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519', validFrom: new Date(Date.now() + 30 * DAY) });
    const keyOf = (authority: typeof old) => exportPrivateKey(authority.issuerKeys.privateKey, { insecure: true });
    expect(await reasonOf(() => importMeshAuthority({ certificatePem: old.anchor.pem, keyPem: keyOf(old) }))).toBe('expired');
    expect(await reasonOf(() => importMeshAuthority({ certificatePem: future.anchor.pem, keyPem: keyOf(future) }))).toBe('not-yet-valid');
    // Valid when `now` says so.
    expect(importMeshAuthority({ certificatePem: old.anchor.pem, keyPem: keyOf(old), now: new Date('2020-01-15T00:00:00Z') }).anchor.sha256).toBe(old.anchor.sha256);
  });

  it('wrong, missing or unneeded passphrases, and malformed input, by name', async () => {
    opensslRoot('p', 'P-256', '/CN=P Root');
    const request = { certificatePem: dir.read('p.pem'), keyPem: dir.read('p.enc.key') };
    expect(await reasonOf(() => importMeshAuthority({ ...request, passphrase: 'wrong' }))).toBe('wrong-passphrase');
    expect(await reasonOf(() => importMeshAuthority(request))).toBe('passphrase-required');
    expect(await reasonOf(() => importMeshAuthority({ ...request, certificatePem: 'garbage' }))).toBe('malformed-pem');
    expect(await reasonOf(() => importMeshAuthority({ ...request, keyPem: dir.read('p.pem'), passphrase: PASS }))).toBe('malformed-pem');
    expect(await reasonOf(() => importMeshAuthority({ ...request, keyPem: exportPrivateKey(generateKeyPair('P-256').privateKey, { insecure: true }) }))).toBe('key-mismatch');
  });
});
