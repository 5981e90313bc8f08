/**
 * Hostile input: a 100-deep chain, cross-signing CAs, a crowd of look-alike CAs, and properties
 * that random or mutated bytes never throw out of the verifier (every refusal has a named reason).
 */
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMeshAuthority, type MeshAuthority } from './authority.js';
import { parseCertificate } from './certificate.js';
import { ChainVerifier } from './chain.js';
import { issueCrl, parseCrl } from './crl.js';
import { CREDENTIAL_REASONS, CredentialError } from './errors.js';
import { enrolPrincipal } from './issue.js';
import { exportPrivateKey, generateKeyPair, importPrivateKey, type KeyPair } from './keys.js';
import { MAX_SIGNATURE_CHECKS } from './path.js';
import { toPem } from './pem.js';
import { ROLE_OIDS } from './roles.js';
import { CA_USAGE, deviceAt, KeyUsageFlags, rawCertificate, T } from './test-fixtures.js';

const REASONS: ReadonlySet<string> = new Set(CREDENTIAL_REASONS);
const leafSpec = (issuer: { cn: string; keys: KeyPair }) => ({
  cn: 'uav-7', keys: generateKeyPair('Ed25519'), issuer, ca: false, keyUsage: KeyUsageFlags.digitalSignature, eku: [ROLE_OIDS.device], notAfter: T.deviceUntil,
});

/** Counts X.509 signature checks: the work a hostile chain can make the verifier do. */
function countSignatureChecks() {
  return vi.spyOn(X509Certificate.prototype, 'verify');
}
afterEach(() => vi.restoreAllMocks());

let root: MeshAuthority;
let devicePem: string;
let crlPem: string;
beforeAll(async () => {
  root = await createMeshAuthority({ mesh: 'DEU', algorithm: 'Ed25519', validFrom: T.start });
  devicePem = (await enrolPrincipal({ mesh: 'DEU', role: 'device', id: 'uav-7', algorithm: 'P-256', issuerCertificatePem: root.anchor.pem, issuerKeys: root.issuerKeys, validity: { notBefore: T.deviceFrom, notAfter: T.deviceUntil } })).certificate.pem;
  // It revokes the device: were a mutated copy ever believed, the device would stop verifying.
  crlPem = await issueCrl({ issuerCertificatePem: root.anchor.pem, issuerKeys: root.issuerKeys, revocations: [{ serial: parseCertificate(devicePem).serial, revokedAt: T.start }], thisUpdate: T.observed });
});

describe('path search under attack', () => {
  it('refuses a chain of 100 intermediates, quickly', async () => {
    const intermediates: string[] = [];
    let above = { cn: 'DEU Root', keys: root.issuerKeys };
    for (let i = 1; i <= 100; i += 1) {
      const keys = generateKeyPair('Ed25519');
      intermediates.push(await rawCertificate({ cn: `DEU CA ${i}`, keys, issuer: above, ca: true, keyUsage: CA_USAGE }));
      above = { cn: `DEU CA ${i}`, keys };
    }
    const leaf = await rawCertificate(leafSpec(above));
    const verifier = new ChainVerifier({ anchor: root.anchor.pem, intermediates: intermediates.reverse() });
    const checks = countSignatureChecks();
    const result = verifier.verify(leaf, deviceAt());
    expect(result).toMatchObject({ ok: false, reason: 'chain-too-long' });
    // The search stops at the length cap after a handful of signature checks, not a hundred.
    expect(checks.mock.calls.length).toBeLessThanOrEqual(MAX_SIGNATURE_CHECKS);
    expect(checks.mock.calls.length).toBeGreaterThan(0);
    expect(checks.mock.calls.length).toBeLessThan(20);
    // And the refusal is cached: asking again checks nothing.
    const before = checks.mock.calls.length;
    expect(verifier.verify(leaf, deviceAt())).toBe(result);
    expect(checks.mock.calls.length).toBe(before);
  });

  it('refuses two CAs that cross-sign each other as a loop', async () => {
    const a = generateKeyPair('Ed25519');
    const b = generateKeyPair('P-256');
    const aByB = await rawCertificate({ cn: 'DEU Loop A', keys: a, issuer: { cn: 'DEU Loop B', keys: b }, ca: true, keyUsage: CA_USAGE });
    const bByA = await rawCertificate({ cn: 'DEU Loop B', keys: b, issuer: { cn: 'DEU Loop A', keys: a }, ca: true, keyUsage: CA_USAGE });
    const leaf = await rawCertificate(leafSpec({ cn: 'DEU Loop A', keys: a }));
    const verifier = new ChainVerifier({ anchor: root.anchor.pem, intermediates: [aByB, bByA] });
    expect(verifier.verify(leaf, deviceAt())).toMatchObject({ ok: false, reason: 'chain-loop' });
  });

  it('gives up within its budget on a crowd of look-alike CAs', async () => {
    const crowd: string[] = [];
    for (let i = 0; i < 80; i += 1) {
      crowd.push(await rawCertificate({ cn: 'DEU Crowd CA', keys: generateKeyPair('Ed25519'), issuer: { cn: 'DEU Root', keys: root.issuerKeys }, ca: true, keyUsage: CA_USAGE }));
    }
    // Signed by none of them, and without a key identifier to rule any out.
    const leaf = await rawCertificate({ ...leafSpec({ cn: 'DEU Crowd CA', keys: generateKeyPair('Ed25519') }), authorityKeyId: false });
    const checks = countSignatureChecks();
    const result = new ChainVerifier({ anchor: root.anchor.pem, intermediates: crowd }).verify(leaf, deviceAt());
    // 80 candidates for each step could mean thousands of checks; the budget caps the search.
    expect(checks.mock.calls.length).toBeGreaterThan(0);
    expect(checks.mock.calls.length).toBeLessThanOrEqual(MAX_SIGNATURE_CHECKS);
    expect(result).toMatchObject({ ok: false });
    expect(['chain-too-long', 'bad-signature']).toContain(result.ok ? 'accepted' : result.reason);
  });
});

describe('properties: nothing escapes as an exception', () => {
  const verifier = () => new ChainVerifier({ anchor: root.anchor.pem });
  const refusedByName = (result: ReturnType<ChainVerifier['verify']>) => result.ok || REASONS.has(result.reason);

  it('random text and random bytes', () => {
    const v = verifier();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 2048 }), fc.base64String().map((body) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`)), (input) => {
        const result = v.verify(input, deviceAt());
        expect(result.ok).toBe(false);
        expect(refusedByName(result)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated certificates: flipped bytes, truncation, characters changed in the PEM', () => {
    const der = new X509Certificate(devicePem).raw;
    const v = verifier();
    expect(v.verify(devicePem, deviceAt()).ok).toBe(true);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(der.length - 1), mask: fc.integer({ min: 1, max: 255 }) }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat(der.length - 1), mask: fc.constant(0) }),
          fc.record({ kind: fc.constant('char' as const), at: fc.nat(devicePem.length - 1), mask: fc.integer({ min: 32, max: 126 }) }),
        ),
        ({ kind, at, mask }) => {
          let input: string;
          if (kind === 'char') {
            input = devicePem.slice(0, at) + String.fromCharCode(mask) + devicePem.slice(at + 1);
          } else {
            const mutated = Buffer.from(kind === 'cut' ? der.subarray(0, at) : der);
            if (kind === 'flip') mutated[at] = mutated[at]! ^ mask;
            input = toPem('CERTIFICATE', mutated);
          }
          const result = v.verify(input, deviceAt());
          expect(refusedByName(result)).toBe(true);
          // Only an unchanged certificate verifies (a PEM edit outside the base64 may leave the DER intact).
          if (result.ok) expect(parseCertificate(input).sha256).toBe(parseCertificate(devicePem).sha256);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('mutated CRLs are refused by name, never thrown, and never revoke anything', () => {
    const der = parseCrl(crlPem).der;
    const genuine = verifier();
    expect(genuine.addCrl(crlPem).ok).toBe(true);
    expect(genuine.verify(devicePem, deviceAt())).toMatchObject({ reason: 'revoked' });
    fc.assert(
      fc.property(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, mask, cut) => {
        const mutated = Buffer.from(cut ? der.subarray(0, at) : der);
        if (!cut) mutated[at] = mutated[at]! ^ mask;
        const v = verifier();
        const result = v.addCrl(toPem('X509 CRL', mutated));
        expect(result.ok).toBe(false);
        expect(result.ok || REASONS.has(result.reason)).toBe(true);
        expect(v.verify(devicePem, deviceAt()).ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('private key import throws only CredentialErrors, whatever it is given', () => {
    const pem = exportPrivateKey(generateKeyPair('Ed25519').privateKey, { passphrase: 'pass' });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.tuple(fc.nat(pem.length - 1), fc.integer({ min: 32, max: 126 })).map(([at, code]) => pem.slice(0, at) + String.fromCharCode(code) + pem.slice(at + 1))), (input) => {
        try {
          importPrivateKey(input, 'pass');
        } catch (error) {
          expect(error).toBeInstanceOf(CredentialError);
          expect(REASONS.has((error as CredentialError).reason)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
