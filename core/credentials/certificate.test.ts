/**
 * Our DER reading of certificates against two other implementations: openssl writes them with
 * assorted extensions, and @peculiar/x509 and node:crypto read them back for comparison.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, parseCertificates } from './certificate.js';
import { x509 } from './crypto-provider.js';
import { canSignCertificates } from './path.js';
import { opensslDir, reasonOf, type OpensslDir } from './test-fixtures.js';

let dir: OpensslDir;
beforeAll(() => {
  dir = opensslDir();
  // A configuration with no extension section at all: openssl then writes a version 1 certificate.
  dir.write('minimal.cnf', '[req]\ndistinguished_name = dn\n[dn]\n');
});
afterAll(() => dir.remove());

const CASES: readonly [string, string[]][] = [
  ['ca-pathlen', ['basicConstraints=critical,CA:TRUE,pathlen:3', 'keyUsage=critical,keyCertSign,cRLSign']],
  ['ca-plain', ['basicConstraints=CA:TRUE']],
  ['leaf-all-usages', ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment,keyAgreement,encipherOnly,decipherOnly']],
  ['leaf-san', ['keyUsage=digitalSignature', 'subjectAltName=DNS:example.org,URI:https://example.org,URI:urn:entente:DEU:device:uav%2D7,email:a@b.c']],
  ['leaf-critical-policy', ['certificatePolicies=critical,2.5.29.32.0']],
  ['version-1', []],
];

describe('certificates read with our DER walk agree with @peculiar/x509 and node:crypto', () => {
  it.each(CASES)('%s', (name, extensions) => {
    dir.run('req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/C=DE/O=Test/CN=${name}`,
      ...(extensions.length === 0 ? ['-config', 'minimal.cnf'] : extensions.flatMap((e) => ['-addext', e])));
    const pem = dir.read(`${name}.pem`);
    const ours = parseCertificate(pem);
    const theirs = new x509.X509Certificate(pem);
    const basic = theirs.getExtension(x509.BasicConstraintsExtension);
    expect(ours.isCa).toBe(basic?.ca === true);
    // node's `ca` is OpenSSL's X509_check_ca: cA and, when key usage is present, keyCertSign.
    expect(canSignCertificates(ours)).toBe(ours.x509.ca);
    expect(ours.pathLength).toBe(basic?.ca ? basic.pathLength : undefined);
    expect(ours.keyUsage).toBe(theirs.getExtension(x509.KeyUsagesExtension)?.usages);
    expect(ours.subjectKeyId).toBe(theirs.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(ours.authorityKeyId).toBe(theirs.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId);
    expect(ours.notBefore).toBe(theirs.notBefore.getTime());
    expect(ours.notAfter).toBe(theirs.notAfter.getTime());
    expect(ours.subjectDer).toBe(Buffer.from(theirs.subjectName.toArrayBuffer()).toString('hex'));
    expect(ours.selfIssued).toBe(true);
    expect(ours.unhandledCriticalExtensions).toEqual(theirs.extensions.filter((e) => e.critical && e.type === '2.5.29.32').map((e) => e.type));
    expect(ours.sha256).toBe(ours.x509.fingerprint256.replace(/:/g, '').toLowerCase());
    if (name === 'leaf-san') expect(ours.principal).toEqual({ mesh: 'DEU', role: 'device', id: 'uav-7' });
  });

  it('reads a chain file and refuses what is not a certificate', async () => {
    const chain = `${dir.read('ca-pathlen.pem')}junk between blocks\n${dir.read('ca-plain.pem')}`;
    expect(parseCertificates(chain).map((c) => c.x509.subject.split('CN=')[1])).toEqual(['ca-pathlen', 'ca-plain']);
    expect(await reasonOf(() => parseCertificate(dir.read('ca-plain.key')))).toBe('malformed-pem');
    expect(await reasonOf(() => parseCertificate(chain))).toBe('malformed-pem');
  });
});
