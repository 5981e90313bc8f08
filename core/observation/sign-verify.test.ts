/**
 * Signing and verifying single observations with Ed25519 and ECDSA P-256: the id, and every
 * kind of tampering caught by its name.
 */
import { describe, expect, it } from 'vitest';
import { observationId, signedBytes } from './canonical-form.js';
import { ObservationError, type GovernedObservation } from './record.js';
import { signObservation } from './sign.js';
import { deviceFixture, FIXTURE_ADMITTED_AT, type DeviceFixture } from './test-fixtures.js';
import { ObservationVerifier, type VerifierOptions } from './verify.js';

const ed = deviceFixture('Ed25519');
const p256 = deviceFixture('ES256', 'NLD', 'radar-2');

function reasonOf(fixture: DeviceFixture, record: unknown, options?: VerifierOptions): string {
  const result = new ObservationVerifier(fixture.credentialCheck, options).verify(record, FIXTURE_ADMITTED_AT);
  return result.ok ? 'verified' : result.reason;
}

/** Every path to a JSON leaf (string, number, boolean, null) of a value. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, member]) => leafPaths(member, [...path, key]));
}

function withLeafChanged<T>(value: T, path: (string | number)[]): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const old = parent[last];
  parent[last] = typeof old === 'string' ? `${old}x` : typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : 0;
  return copy as T;
}

const withSig = (record: GovernedObservation, sig: string): GovernedObservation => ({
  ...record,
  lineage: { ...record.lineage, integrity: { ...record.lineage.integrity, sig } },
});

describe('a signed observation', () => {
  it.each([
    ['Ed25519', ed],
    ['ES256', p256],
  ] as const)('signs and verifies with %s, the algorithm following from the key', (alg, fixture) => {
    const signed = signObservation(fixture.record(1), fixture.privateKey);
    expect(signed.lineage.integrity).toMatchObject({ type: 'signature', alg });
    expect(Buffer.from((signed.lineage.integrity as { sig: string }).sig, 'base64url')).toHaveLength(64);
    const result = new ObservationVerifier(fixture.credentialCheck).verify(signed, FIXTURE_ADMITTED_AT);
    expect(result).toMatchObject({ ok: true, id: observationId(fixture.record(1)) });
  });

  it('has an id that is the SHA-256 of its signed bytes, the same however it was attested', () => {
    const unsigned = ed.record(1);
    const id = observationId(unsigned);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    // ECDSA signatures differ on every signing; the id does not.
    expect(observationId(signObservation(p256.record(1), p256.privateKey))).toBe(observationId(signObservation(p256.record(1), p256.privateKey)));
    expect(observationId(signObservation(unsigned, ed.privateKey))).toBe(id);
    // Member order is not part of identity.
    const reordered = Object.fromEntries(Object.entries(unsigned).reverse()) as typeof unsigned;
    expect(observationId(reordered)).toBe(id);
    expect(signedBytes(reordered).equals(signedBytes(unsigned))).toBe(true);
  });

  it('has an id that changes with every field', () => {
    const unsigned = ed.record(1);
    const id = observationId(unsigned);
    const paths = leafPaths(unsigned);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) expect(observationId(withLeafChanged(unsigned, path)), path.join('.')).not.toBe(id);
  });

  it('names each tampering', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const source = observationId(ed.record(9));
    const derived = signObservation(ed.record(3, { lineage: { device: ed.deviceId, sources: [source], derivation: { name: 'fuse', version: '1' } } }), ed.privateKey);

    expect(reasonOf(ed, { ...signed, payload: { lat: 0, lon: 0, speed: 1 } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, label: { ...signed.label, classification: 'UNCLASSIFIED' } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, subject: 'track:2' })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, time: { ...signed.time, reference: 'global' } })).toBe('bad-signature');
    // Lineage: a source added, a derivation changed.
    const other = observationId(ed.record(8));
    const twoSources = [source, other].sort();
    expect(reasonOf(ed, { ...derived, lineage: { ...derived.lineage, sources: twoSources } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...derived, lineage: { ...derived.lineage, derivation: { name: 'forged', version: '1' } } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...derived, lineage: { ...derived.lineage, derivation: { name: 'fuse', version: '2' } } })).toBe('bad-signature');
    // Signature bytes flipped, one bit at a time at several places.
    const sig = Buffer.from((signed.lineage.integrity as { sig: string }).sig, 'base64url');
    for (const at of [0, 17, 31, 32, 63]) {
      const flipped = Buffer.from(sig);
      flipped[at]! ^= 1;
      expect(reasonOf(ed, withSig(signed, flipped.toString('base64url')))).toBe('bad-signature');
    }
    // The same signature written with base64url's spare bits set is not the canonical encoding.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const text = sig.toString('base64url');
    const spare = text.slice(0, -1) + alphabet[alphabet.indexOf(text.at(-1)!) ^ 1]!; // 86 characters carry 516 bits for 512
    expect(Buffer.from(spare, 'base64url').equals(sig)).toBe(true);
    expect(reasonOf(ed, withSig(signed, spare))).toBe('bad-signature');
    // Claiming the other algorithm.
    expect(reasonOf(ed, { ...signed, lineage: { ...signed.lineage, integrity: { ...signed.lineage.integrity, alg: 'ES256' } } })).toBe('bad-signature');
  });

  it('does not let a label move onto other content (the STANAG 4778 binding)', () => {
    const a = signObservation(ed.record(1, { label: { ...ed.record(1).label, classification: 'UNCLASSIFIED' } }), ed.privateKey);
    const b = signObservation(ed.record(2), ed.privateKey);
    // A's label on B's content, keeping B's signature: refused ...
    expect(reasonOf(ed, { ...b, label: a.label })).toBe('bad-signature');
    // ... and keeping A's signature: refused too.
    expect(reasonOf(ed, { ...b, label: a.label, lineage: { ...b.lineage, integrity: a.lineage.integrity } })).toBe('bad-signature');
    expect(reasonOf(ed, a)).toBe('verified');
    expect(reasonOf(ed, b)).toBe('verified');
  });

  it('refuses a malformed record, and a record with members the schema does not know', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    expect(reasonOf(ed, { ...signed, extra: true })).toBe('malformed-record');
    expect(reasonOf(ed, { ...signed, lineage: { ...signed.lineage, integrity: { type: 'signature', alg: 'RS256', sig: 'AA' } } })).toBe('malformed-record');
    expect(reasonOf(ed, null)).toBe('malformed-record');
    expect(reasonOf(ed, 'record')).toBe('malformed-record');
    expect(reasonOf(ed, { ...signed, payload: { text: '\ud800' } })).toBe('malformed-record');
    const result = new ObservationVerifier(ed.credentialCheck).verify({ ...signed, mesh: 'deu' }, FIXTURE_ADMITTED_AT);
    expect(result).toMatchObject({ ok: false, reason: 'malformed-record', message: expect.stringContaining('record.mesh') });
  });

  it('passes the credential check’s reasons through, with the record’s id', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const id = observationId(signed);
    expect(reasonOf(ed, { ...signed, device: { ...signed.device, certificate: 'f'.repeat(64) } })).toBe('unknown-certificate');
    expect(reasonOf(ed, signObservation(p256.record(1), p256.privateKey))).toBe('unknown-certificate');
    // Another device's key signing a record that names this device.
    expect(reasonOf(ed, signObservation(ed.record(1), p256.privateKey))).toBe('bad-signature');
    const late = new ObservationVerifier(ed.credentialCheck).verify(signed, new Date('2027-06-01T00:00:00Z'));
    expect(late).toMatchObject({ ok: false, id, reason: 'certificate-not-valid', message: expect.stringContaining('admission') });
    const early = signObservation(ed.record(1, { time: { ...ed.record(1).time, wall: '2025-06-01T00:00:00Z' } }), ed.privateKey);
    expect(reasonOf(ed, early)).toBe('certificate-not-valid');
    const revoked = deviceFixture('Ed25519');
    const before = signObservation(revoked.record(1), revoked.privateKey);
    revoked.revoke();
    expect(reasonOf(revoked, before)).toBe('revoked');
  });

  it('asks the credential check about the record’s certificate and both moments', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const seen: unknown[] = [];
    new ObservationVerifier((record, admittedAt, query) => {
      seen.push(query);
      return ed.credentialCheck(record, admittedAt, query);
    }).verify(signed, FIXTURE_ADMITTED_AT);
    expect(seen).toEqual([
      {
        mesh: 'DEU',
        deviceId: 'uav-7',
        certificate: ed.certificateSha256,
        anchor: ed.anchorSha256,
        issuer: ed.issuerSha256,
        observedAt: new Date(signed.time.wall),
        admittedAt: FIXTURE_ADMITTED_AT,
      },
    ]);
  });

  it('checks the label with the caller’s function, when given one', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const checkLabel = (label: Record<string, unknown>) =>
      label.classification === 'SECRET' ? ({ ok: true } as const) : ({ ok: false, reason: 'unknown-classification', message: 'Not in the policy.' } as const);
    expect(reasonOf(ed, signed, { checkLabel })).toBe('verified');
    const other = signObservation(ed.record(1, { label: { ...ed.record(1).label, classification: 'COSMIC' } }), ed.privateKey);
    expect(reasonOf(ed, other, { checkLabel })).toBe('unknown-classification');
  });

  it('refuses to sign an invalid record, or with a key it does not use', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    expect(() => signObservation({ ...ed.record(1), class: 'Not Valid' }, ed.privateKey)).toThrow(ObservationError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => signObservation(ed.record(1), rsa.privateKey)).toThrow(/Ed25519 or P-256/);
    expect(() => signObservation(ed.record(1), ed.publicKey)).toThrow(/private key/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    // The signer's refusal (core/crypto) names its reason like every other refusal.
    expect(() => signObservation(ed.record(1), p384.privateKey)).toThrow(expect.objectContaining({ reason: 'unsupported-key' }));
  });
});
