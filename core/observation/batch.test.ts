/** Batch attestation: any batch size, one signature check per batch, every tampering refused by name. */
import { describe, expect, it } from 'vitest';
import { batchStatement, signBatch } from './batch.js';
import { observationId, signedBytes } from './canonical-form.js';
import { leafHash, rootOf, verifyInclusion } from '../crypto/merkle.js';
import { ObservationError, type BatchIntegrity, type GovernedObservation } from './record.js';
import { signBytes } from '../crypto/signatures.js';
import { deviceFixture, FIXTURE_ADMITTED_AT, type DeviceFixture } from './test-fixtures.js';
import { ObservationVerifier } from './verify.js';

const ed = deviceFixture('Ed25519');
const p256 = deviceFixture('ES256', 'NLD', 'radar-2');
const batchOf = (record: GovernedObservation) => record.lineage.integrity as BatchIntegrity;
const withBatch = (record: GovernedObservation, change: Partial<BatchIntegrity>): GovernedObservation => ({
  ...record,
  lineage: { ...record.lineage, integrity: { ...batchOf(record), ...change } },
});

function reasonOf(fixture: DeviceFixture, record: unknown): string {
  const result = new ObservationVerifier(fixture.credentialCheck).verify(record, FIXTURE_ADMITTED_AT);
  return result.ok ? 'verified' : result.reason;
}

describe('batch attestation', () => {
  it.each([1, 2, 3, 5, 8, 1000])('verifies every record of a batch of %i with one signature check', (size) => {
    const unsigned = Array.from({ length: size }, (_, i) => ed.record(i));
    const records = signBatch(unsigned, ed.privateKey, { mesh: 'DEU', device: 'uav-7' });
    expect(records).toHaveLength(size);
    const root = batchOf(records[0]!).root;
    expect(root).toBe(rootOf(unsigned.map((r) => leafHash(signedBytes(r)))).toString('hex'));
    const callsBefore = ed.credentialCalls();
    const verifier = new ObservationVerifier(ed.credentialCheck);
    records.forEach((record, index) => {
      expect(batchOf(record)).toMatchObject({ type: 'batch', alg: 'Ed25519', root, size, index });
      expect(verifier.verify(record, FIXTURE_ADMITTED_AT)).toMatchObject({ ok: true, id: observationId(unsigned[index]!) });
    });
    expect(verifier.stats).toEqual({ verified: size, signatureChecks: 0, batchSignatureChecks: 1, batchCacheHits: size - 1 });
    // The credential is still judged per record (each has its own time); the chain work is the check's to cache.
    expect(ed.credentialCalls() - callsBefore).toBe(size);
  });

  it('signs with ES256 as well, and keeps ids independent of batching', () => {
    const unsigned = [0, 1, 2].map((i) => p256.record(i));
    const records = signBatch(unsigned, p256.privateKey);
    expect(batchOf(records[0]!).alg).toBe('ES256');
    for (const [i, record] of records.entries()) {
      expect(reasonOf(p256, record)).toBe('verified');
      expect(observationId(record)).toBe(observationId(unsigned[i]!));
    }
  });

  it('signs the canonical batch statement', () => {
    const records = signBatch([ed.record(0), ed.record(1)], ed.privateKey);
    const { root, size } = batchOf(records[0]!);
    expect(batchStatement('DEU', 'uav-7', root, size).toString()).toBe(`{"device":"uav-7","mesh":"DEU","root":"${root}","size":2,"type":"entente.batch/v1"}`);
  });

  it('refuses a changed record, proof, index or root by name', () => {
    const records = signBatch([0, 1, 2, 3, 4].map((i) => ed.record(i)), ed.privateKey);
    const record = records[2]!;
    const integrity = batchOf(record);
    expect(reasonOf(ed, { ...record, payload: { changed: true } })).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, { ...record, label: records[3]!.label, subject: 'track:3' })).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { index: 3 }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { index: 0 }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { proof: [...integrity.proof].reverse() }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { proof: integrity.proof.slice(1) }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { proof: [...integrity.proof, 'c'.repeat(64)] }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { proof: integrity.proof.map((p, i) => (i === 0 ? `${p.slice(0, 63)}${p.endsWith('0') ? '1' : '0'}` : p)) }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { root: 'a'.repeat(64) }))).toBe('bad-inclusion-proof');
    expect(reasonOf(ed, withBatch(record, { index: 5 }))).toBe('malformed-record');
    // A size whose tree has the same path shape reaches the signature, which covers the size.
    expect(reasonOf(ed, withBatch(record, { size: 6 }))).toBe('bad-batch-signature');
    // Records moved between batches carry the wrong proof.
    const other = signBatch([5, 6, 7, 8, 9].map((i) => ed.record(i)), ed.privateKey);
    expect(reasonOf(ed, { ...record, lineage: { ...record.lineage, integrity: other[2]!.lineage.integrity } })).toBe('bad-inclusion-proof');
  });

  it('refuses a forged batch: a new tree under the real signature, or another key’s signature', () => {
    const records = signBatch([0, 1, 2].map((i) => ed.record(i)), ed.privateKey);
    // An attacker swaps record 1 for one of its own, builds the new tree and proofs, keeps the signature.
    const forged = signBatch([ed.record(0), ed.record(1, { payload: { forged: true } }), ed.record(2)], p256.privateKey).map((r) =>
      withBatch(r, { alg: 'Ed25519', sig: batchOf(records[0]!).sig }),
    );
    expect(reasonOf(ed, forged[1])).toBe('bad-batch-signature');
    expect(reasonOf(ed, signBatch([ed.record(0), ed.record(1)], p256.privateKey)[0])).toBe('bad-batch-signature');
    // The right statement signed by the right key for another mesh or device is not this batch's.
    const root = batchOf(records[0]!).root;
    const wrongStatement = signBytes(batchStatement('NLD', 'uav-7', root, 3), ed.privateKey).sig;
    expect(reasonOf(ed, withBatch(records[0]!, { sig: wrongStatement }))).toBe('bad-batch-signature');
  });

  it('remembers a bad batch too, and a good batch never admits a tampered member', () => {
    const records = signBatch([0, 1, 2, 3].map((i) => ed.record(i)), p256.privateKey);
    const verifier = new ObservationVerifier(ed.credentialCheck);
    for (const record of records) expect(verifier.verify(record, FIXTURE_ADMITTED_AT)).toMatchObject({ ok: false, reason: 'bad-batch-signature' });
    expect(verifier.stats.batchSignatureChecks).toBe(1);

    const good = signBatch([0, 1, 2, 3].map((i) => ed.record(i)), ed.privateKey);
    expect(verifier.verify(good[0], FIXTURE_ADMITTED_AT).ok).toBe(true);
    expect(verifier.verify({ ...good[1]!, payload: { changed: true } }, FIXTURE_ADMITTED_AT)).toMatchObject({ ok: false, reason: 'bad-inclusion-proof' });
    expect(verifier.verify(good[2], FIXTURE_ADMITTED_AT).ok).toBe(true);
    expect(verifier.stats.batchSignatureChecks).toBe(2);
  });

  it('forgets the oldest batches beyond its cache size', () => {
    const verifier = new ObservationVerifier(ed.credentialCheck, { batchCacheSize: 2 });
    const batches = [0, 1, 2].map((b) => signBatch([ed.record(b * 2), ed.record(b * 2 + 1)], ed.privateKey));
    for (const batch of batches) expect(verifier.verify(batch[0], FIXTURE_ADMITTED_AT).ok).toBe(true);
    expect(verifier.verify(batches[0]![1], FIXTURE_ADMITTED_AT).ok).toBe(true);
    expect(verifier.stats.batchSignatureChecks).toBe(4);
  });

  it('refuses a batch mixing meshes or devices, and records the signer does not sign for', () => {
    expect(() => signBatch([ed.record(0), p256.record(1)], ed.privateKey)).toThrow(ObservationError);
    expect(() => signBatch([ed.record(0)], ed.privateKey, { mesh: 'DEU', device: 'uav-8' })).toThrow(/mixed|signed by DEU\/uav-8/);
    expect(() => signBatch([ed.record(0), { ...ed.record(1), v: 2 as 1 }], ed.privateKey)).toThrow(/record\.v/);
    expect(signBatch([], ed.privateKey)).toEqual([]);
  });

  it('gives proofs RFC 9162 verification accepts, for every record', () => {
    const unsigned = Array.from({ length: 37 }, (_, i) => ed.record(i));
    const records = signBatch(unsigned, ed.privateKey);
    for (const [index, record] of records.entries()) {
      const { root, size, proof } = batchOf(record);
      expect(verifyInclusion(leafHash(signedBytes(record)), index, size, proof.map((p) => Buffer.from(p, 'hex')), Buffer.from(root, 'hex'))).toBe(true);
    }
  });
});
