/**
 * Signing and verifying governed observations with real keys and certificates: every kind of
 * tampering is caught by name, batches cost one signature check each, lineage walks across gaps.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { observationId } from './canonical-form.js';
import { walkLineage } from './lineage.js';
import type { GovernedObservation } from './record.js';
import { signBatch, signObservation } from './sign.js';
import { deviceFixture, type DeviceFixture } from './test-fixtures.js';
import { ObservationVerifier } from './verify.js';

let ed: DeviceFixture;
let p256: DeviceFixture;
beforeAll(async () => {
  [ed, p256] = await Promise.all([deviceFixture('Ed25519'), deviceFixture('P-256', 'NLD', 'radar-2')]);
});

const reasonOf = (fixture: DeviceFixture, record: unknown) => {
  const result = new ObservationVerifier(fixture.credentialCheck).verify(record);
  return result.ok ? 'verified' : result.reason;
};

describe('a signed observation', () => {
  it.each(['Ed25519', 'P-256'])('verifies with %s, and its id is the SHA-256 of its canonical bytes', (algorithm) => {
    const fixture = algorithm === 'Ed25519' ? ed : p256;
    const signed = signObservation(fixture.record(1), fixture.privateKey);
    const result = new ObservationVerifier(fixture.credentialCheck).verify(signed);
    expect(result).toMatchObject({ ok: true, id: observationId(fixture.record(1)) });
    expect(observationId(signed)).toMatch(/^[0-9a-f]{64}$/);
    expect(observationId(fixture.record(2))).not.toBe(observationId(signed));
  });

  it('names each tampering', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const other = signObservation(ed.record(2, { label: { ...ed.record(2).label, classification: 'CONFIDENTIAL' } }), ed.privateKey);
    expect(reasonOf(ed, { ...signed, payload: { lat: 0, lon: 0, speed: 1 } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, label: { ...signed.label, classification: 'UNCLASSIFIED' } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, lineage: { ...signed.lineage, derivation: { name: 'forged', version: '1' } } })).toBe('bad-signature');
    // A label moved from one record onto another's content does not carry its signature along.
    expect(reasonOf(ed, { ...other, label: signed.label })).toBe('bad-signature');
    const flipped = Buffer.from((signed.lineage.integrity as { sig: string }).sig, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(reasonOf(ed, { ...signed, lineage: { ...signed.lineage, integrity: { ...signed.lineage.integrity, sig: flipped.toString('base64url') } } })).toBe('bad-signature');
    expect(reasonOf(ed, { ...signed, extra: true })).toBe('malformed-record');
    expect(reasonOf(ed, { ...signed, device: { ...signed.device, certificate: 'f'.repeat(64) } })).toBe('unknown-certificate');
  });

  it('refuses a record signed by another mesh’s device', () => {
    const foreign = signObservation(p256.record(1), p256.privateKey);
    expect(reasonOf(ed, foreign)).toBe('unknown-certificate');
  });

  it('never verifies, and never throws, when its canonical JSON is mutated at random', () => {
    const signed = signObservation(ed.record(1), ed.privateKey);
    const text = canonicalize(signed);
    const verifier = new ObservationVerifier(ed.credentialCheck);
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 32, max: 126 }), (position, code) => {
        if (text.charCodeAt(position) === code) return;
        const mutated = text.slice(0, position) + String.fromCharCode(code) + text.slice(position + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(mutated);
        } catch {
          return;
        }
        if (sameCanonicalText(parsed, text)) return; // the mutation did not change the value
        expect(verifier.verify(parsed).ok).toBe(false);
      }),
      { numRuns: Number(process.env.MUTATION_RUNS ?? 1_000) },
    );
  });
});

describe('batch attestation', () => {
  it.each([1, 2, 3, 5, 8, 1000])('verifies every record of a batch of %i with one signature check', (size) => {
    const records = signBatch(Array.from({ length: size }, (_, i) => ed.record(i)), ed.privateKey);
    let checks = 0;
    const verifier = new ObservationVerifier((record, admittedAt) => {
      checks += 1;
      return ed.credentialCheck(record, admittedAt);
    });
    for (const record of records) expect(verifier.verify(record).ok).toBe(true);
    expect(checks).toBe(size); // the credential is checked per record (cheap, cached chain) ...
    expect(new Set(records.map((r) => (r.lineage.integrity as { sig: string }).sig)).size).toBe(1); // ... the signature once per batch
  });

  it('refuses a changed record, proof, index or root by name', () => {
    const records = signBatch([0, 1, 2, 3, 4].map((i) => ed.record(i)), ed.privateKey);
    const record = records[2]!;
    const integrity = record.lineage.integrity as Extract<GovernedObservation['lineage']['integrity'], { type: 'batch' }>;
    const withIntegrity = (change: Partial<typeof integrity>) => ({ ...record, lineage: { ...record.lineage, integrity: { ...integrity, ...change } } });
    expect(reasonOf(ed, { ...record, payload: { changed: true } })).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withIntegrity({ index: 3 }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withIntegrity({ proof: [...integrity.proof].reverse() }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withIntegrity({ root: 'a'.repeat(64) }))).toBe('bad-inclusion-proof');
    const forged = signBatch([0, 1, 2, 3, 4].map((i) => ed.record(i)), p256.privateKey)[2]!;
    expect(reasonOf(ed, forged)).toBe('bad-batch-signature');
  });
});

describe('lineage', () => {
  it('walks three levels across devices, reporting a missing source beside the rest', () => {
    const a = signObservation(ed.record(1), ed.privateKey);
    const b = signObservation(p256.record(2), p256.privateKey);
    const missing = 'e'.repeat(64);
    const fused = signObservation(
      ed.record(3, { lineage: { device: ed.deviceId, sources: [observationId(a), observationId(b)].sort(), derivation: { name: 'fuse-tracks', version: '1.0' } } }),
      ed.privateKey,
    );
    const assessed = signObservation(
      ed.record(4, { class: 'assessment', lineage: { device: ed.deviceId, sources: [observationId(fused), missing].sort(), derivation: { name: 'assess', version: '2' } } }),
      ed.privateKey,
    );
    const held = new Map([a, b, fused, assessed].map((r) => [observationId(r), r]));
    const walk = walkLineage(observationId(assessed), (id) => held.get(id));
    const reached = walk.nodes.map((n) => `${n.record.subject}@${n.depth}`).sort();
    expect(reached).toEqual(['track:1@2', 'track:2@2', 'track:3@1', 'track:4@0']);
    expect(walk.unresolved).toEqual([missing]);
    expect(walk.edges).toHaveLength(4);
  });

  it('refuses a derived observation that does not say how it was derived', () => {
    const derived = ed.record(5, { lineage: { device: ed.deviceId, sources: ['a'.repeat(64)], derivation: null } });
    expect(reasonOf(ed, signObservation(derived, ed.privateKey))).toBe('malformed-record');
  });
});

describe('Merkle proofs', () => {
  it('agree between the one-pass builder and the per-leaf definition, for every size up to 40', async () => {
    const { inclusionProof, rootAndProofs, rootOf, leafHash, verifyInclusion } = await import('./merkle.js');
    for (let size = 1; size <= 40; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
      const { root, proofs } = rootAndProofs(leaves);
      expect(root.equals(rootOf(leaves))).toBe(true);
      for (let i = 0; i < size; i++) {
        expect(proofs[i]!.map((p) => p.toString('hex'))).toEqual(inclusionProof(leaves, i).map((p) => p.toString('hex')));
        expect(verifyInclusion(leaves[i]!, i, size, proofs[i]!, root)).toBe(true);
      }
    }
  });
});

/** Whether a parsed value canonicalizes to the text; values JSON cannot hold (1e999) do not. */
function sameCanonicalText(value: unknown, text: string): boolean {
  try {
    return canonicalize(value) === text;
  } catch {
    return false;
  }
}
