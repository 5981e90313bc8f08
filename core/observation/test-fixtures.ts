/**
 * Devices with real keys and a stand-in credential check, for observation tests and benches.
 * The stand-in is not X.509: a "certificate" here is the SHA-256 of the device's SPKI DER, valid
 * over a window, and may be revoked. core/credentials provides the real check; this library
 * depends only on the CredentialCheck shape, so its tests do not depend on that module.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from '../crypto/signatures.js';
import type { UnsignedObservation } from './record.js';
import type { CredentialCheck } from './verify.js';

export interface DeviceFixture {
  readonly mesh: string;
  readonly deviceId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly anchorSha256: string;
  readonly issuerSha256: string;
  readonly certificateSha256: string;
  readonly credentialCheck: CredentialCheck;
  /** Calls made to credentialCheck so far. */
  readonly credentialCalls: () => number;
  /** From now on the credential check refuses this device as revoked. */
  revoke(): void;
  /** A valid unsigned record, the same for the same n; overrides replace top-level members. */
  record(n: number, overrides?: Partial<UnsignedObservation>): UnsignedObservation;
}

export const FIXTURE_VALID_FROM = Date.parse('2026-01-01T00:00:00Z');
export const FIXTURE_VALID_UNTIL = Date.parse('2027-01-01T00:00:00Z');
/** When fixture records are made, and a moment within the validity window to admit them at. */
export const FIXTURE_OBSERVED_AT = Date.parse('2026-11-23T08:00:00Z');
export const FIXTURE_ADMITTED_AT = new Date('2026-11-23T09:00:00Z');

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function deviceFixture(algorithm: SignatureAlgorithm, mesh = 'DEU', deviceId = 'uav-7'): DeviceFixture {
  const { publicKey, privateKey } = algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificateSha256 = sha256(publicKey.export({ type: 'spki', format: 'der' }));
  const anchorSha256 = sha256(`anchor of ${mesh}`);
  const issuerSha256 = sha256(`issuer of ${mesh}`);
  let revoked = false;
  let calls = 0;
  const credentialCheck: CredentialCheck = (_record, _admittedAt, query) => {
    calls += 1;
    if (query.certificate !== certificateSha256 || query.deviceId !== deviceId || query.mesh !== mesh) {
      return { ok: false, reason: 'unknown-certificate', message: `The device certificate ${query.certificate.slice(0, 16)}… is not one ${mesh} issued to ${query.deviceId}.` };
    }
    if (query.anchor !== anchorSha256 || query.issuer !== issuerSha256) {
      return { ok: false, reason: 'untrusted-chain', message: 'The record names a trust anchor or issuer this mesh does not use.' };
    }
    if (revoked) return { ok: false, reason: 'revoked', message: `The certificate of ${deviceId} is revoked.` };
    for (const [moment, what] of [[query.observedAt, 'observation'], [query.admittedAt, 'admission']] as const) {
      if (moment.getTime() < FIXTURE_VALID_FROM || moment.getTime() > FIXTURE_VALID_UNTIL) {
        return { ok: false, reason: 'certificate-not-valid', message: `The certificate of ${deviceId} was not valid at ${what} (${moment.toISOString()}).` };
      }
    }
    return { ok: true, publicKey };
  };
  return {
    mesh,
    deviceId,
    algorithm,
    privateKey,
    publicKey,
    anchorSha256,
    issuerSha256,
    certificateSha256,
    credentialCheck,
    credentialCalls: () => calls,
    revoke: () => {
      revoked = true;
    },
    record: (n, overrides = {}) => ({
      v: 1,
      mesh,
      subject: `track:${n}`,
      class: 'track',
      payload: { lat: 52.1 + n / 1000, lon: 5.2, speed: n },
      label: {
        kind: 'originator',
        policy: { id: 'NATO' },
        classification: 'SECRET',
        categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }],
        createdAt: '2026-11-23T08:00:00Z',
      },
      time: { reference: 'mesh-derived', wall: new Date(FIXTURE_OBSERVED_AT + n).toISOString(), hlc: { l: FIXTURE_OBSERVED_AT + n, c: 0 } },
      authority: { anchor: anchorSha256, issuer: issuerSha256 },
      device: { id: deviceId, certificate: certificateSha256 },
      lineage: { device: deviceId, sources: [], derivation: null },
      ...overrides,
    }),
  };
}
