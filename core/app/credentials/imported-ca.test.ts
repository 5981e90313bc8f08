/**
 * The acceptance path: a national CA made by the openssl command line (not our code)
 * becomes a mesh's authority; a device is enrolled under it, records observations, derives one
 * from two others, and every chain verifies back to the openssl root.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../credentials/index.js';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { readCertificate, readMesh, readPrincipal } from '../../store/mesh-store.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { createServices } from '../services.js';

const PASS = 'national ca test passphrase';
let dir: TempDir;
let db: WriteDb;
beforeEach(() => {
  dir = makeTempDir('entente-openssl-ca-');
  db = openDatabase(dir.file('entente.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir.path, stdio: 'pipe' });
}

describe('a mesh under an openssl-made national CA', () => {
  it('enrols, records, derives and verifies back to the openssl root', async () => {
    openssl('req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650',
      '-subj', '/C=PL/O=MON/CN=POL National Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-new', '-newkey', 'ed25519', '-nodes', '-keyout', 'ca.key', '-out', 'ca.csr', '-subj', '/C=PL/O=MON/CN=POL Issuing CA');
    writeFileSync(dir.file('ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
    openssl('x509', '-req', '-in', 'ca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'ca.pem', '-days', '1825', '-extfile', 'ca.ext');
    // The national CA's key arrives encrypted under its own passphrase, as keys travel.
    openssl('pkcs8', '-topk8', '-in', 'ca.key', '-out', 'ca.enc.key', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`);
    const read = (name: string) => readFileSync(dir.file(name), 'utf8');

    // The imported key is opened with the workspace passphrase, and kept under it.
    const services = createServices(db, { passphrase: PASS });
    const mesh = await services.mesh.init({
      mesh: 'POL',
      algorithm: 'Ed25519',
      encryptKeys: true,
      importCa: { certificatePem: read('ca.pem'), keyPem: read('ca.enc.key'), chainPem: read('root.pem') },
    });
    expect(readCertificate(db, mesh.anchorSha256)!.pem.trim()).toBe(read('root.pem').trim());
    expect(mesh.issuerSha256).not.toBe(mesh.anchorSha256);

    await services.credentials.enrol({ role: 'device', id: 'uav-1', algorithm: 'P-256' });
    const device = readCertificate(db, readPrincipal(db, 'device', 'uav-1')!.certificateSha256)!;
    const viaOpenssl = new ChainVerifier(read('root.pem'), [read('ca.pem')]).verify(device.pem, { role: 'device', at: new Date(), admittedAt: new Date() });
    expect(viaOpenssl.ok).toBe(true);
    // openssl agrees that the chain holds.
    writeFileSync(dir.file('device.pem'), device.pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'ca.pem', 'device.pem'], { cwd: dir.path, encoding: 'utf8' })).toContain('device.pem: OK');

    const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'CONFIDENTIAL', categories: [], createdAt: '2026-11-23T08:00:00Z' });
    const base = { device: 'uav-1', class: 'track', labelText: label, derivedFrom: [], derivation: null };
    const a = await services.observations.observe({ ...base, subject: 'track:9', payloadText: '{"lat":50.0}' });
    const b = await services.observations.observe({ ...base, subject: 'track:9', payloadText: '{"lat":50.1}' });
    const fused = await services.observations.observe({ ...base, subject: 'track:9', payloadText: '{"lat":50.05}', derivedFrom: [a.id, b.id], derivation: { name: 'fuse', version: '1' } });
    expect(fused.record.authority).toEqual({ anchor: readMesh(db)!.anchorSha256, issuer: readMesh(db)!.issuerSha256 });
    expect(await services.observations.verifyAll()).toEqual({ checked: 3, verified: 3, failures: [] });
  });
});
