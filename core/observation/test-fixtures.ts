/** A mesh with one enrolled device and a record builder, for observation tests and the bench. */
import type { KeyObject } from 'node:crypto';
import { ChainVerifier, createMeshAuthority, enrolPrincipal, type KeyAlgorithm } from '../credentials/index.js';
import type { UnsignedObservation } from './record.js';
import type { CredentialCheck } from './verify.js';

export interface DeviceFixture {
  readonly mesh: string;
  readonly deviceId: string;
  readonly privateKey: KeyObject;
  readonly anchorSha256: string;
  readonly certificateSha256: string;
  readonly credentialCheck: CredentialCheck;
  record(n: number, overrides?: Partial<UnsignedObservation>): UnsignedObservation;
}

export async function deviceFixture(algorithm: KeyAlgorithm, mesh = 'DEU', deviceId = 'uav-7'): Promise<DeviceFixture> {
  const authority = await createMeshAuthority(mesh, algorithm, { notBefore: new Date(Date.now() - 30 * 86_400_000) });
  const { keys, certificate } = await enrolPrincipal({
    mesh, role: 'device', id: deviceId, algorithm, issuerCertificatePem: authority.issuer.pem, issuerKeys: authority.issuerKeys,
    validity: { notBefore: new Date(Date.now() - 10 * 86_400_000), days: 365 },
  });
  const chains = new ChainVerifier(authority.anchor.pem);
  // One fixed moment per fixture, so the same record number always makes the same record.
  const madeAt = Date.now() - 60_000;
  const credentialCheck: CredentialCheck = (record, admittedAt) => {
    if (record.device.certificate !== certificate.sha256) return { ok: false, reason: 'unknown-certificate', message: 'The device certificate is not known here.' };
    const result = chains.verify(certificate.pem, { role: 'device', at: new Date(record.time.wall), admittedAt });
    return result.ok ? { ok: true, publicKey: result.publicKey } : result;
  };
  return {
    mesh, deviceId, privateKey: keys.privateKey, anchorSha256: authority.anchor.sha256, certificateSha256: certificate.sha256, credentialCheck,
    record: (n, overrides = {}) => ({
      v: 1,
      mesh,
      subject: `track:${n}`,
      class: 'track',
      payload: { lat: 52.1 + n / 1000, lon: 5.2, speed: n },
      label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' },
      time: { reference: 'mesh-derived', wall: new Date(madeAt).toISOString(), hlc: { l: madeAt, c: n } },
      authority: { anchor: authority.anchor.sha256, issuer: authority.issuer.sha256 },
      device: { id: deviceId, certificate: certificate.sha256 },
      lineage: { device: deviceId, sources: [], derivation: null },
      ...overrides,
    }),
  };
}
