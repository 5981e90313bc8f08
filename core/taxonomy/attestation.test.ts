/**
 * Equivalence attestations signed by real mesh authorities and read as a receiver reads them:
 * each bad one refused by its own reason, never accepted and never a crash.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { signEnvelope } from '../crypto/dsse.js';
import { ATTESTATION_PAYLOAD_TYPE, attestationId, readAttestation } from './attestation.js';
import { attestationOf, FEDERATION, taxonomyMesh } from './test-fixtures.js';

const NOW = new Date('2027-01-15T00:00:00Z');
const GEHEIM = ['markings', 'GEHEIM', 'exact', { vocabulary: 'NATO', term: 'SECRET' }] as const;

describe('equivalence attestations', async () => {
  const deu = await taxonomyMesh('DEU');
  const nld = await taxonomyMesh('NLD');
  const read = (envelope: unknown, card = deu.card, now = NOW) => readAttestation(envelope, { card, federation: FEDERATION, now });
  const reasonOf = (envelope: unknown, card = deu.card, now = NOW) => {
    const reading = read(envelope, card, now);
    return reading.ok ? 'accepted' : reading.reason;
  };

  it('reads back what the owning authority signed, named by the SHA-256 of the canonical envelope', () => {
    const attestation = attestationOf(deu, ...GEHEIM);
    const reading = read(JSON.parse(JSON.stringify(attestation.envelope)));
    expect(reading).toMatchObject({ ok: true, id: attestation.id, body: { mesh: 'DEU', term: 'GEHEIM', relation: 'exact', pivot: { vocabulary: 'NATO', term: 'SECRET' } } });
    expect(attestation.id).toMatch(/^[0-9a-f]{64}$/);
    expect(attestationId(attestation.envelope)).toBe(attestation.id);
    expect(canonicalize(attestation.envelope)).toContain(ATTESTATION_PAYLOAD_TYPE);
  });

  it('refuses one signed by another mesh’s authority', () => {
    // NLD's key signs a statement about DEU's term: valid signature, wrong authority.
    const forged = signEnvelope(ATTESTATION_PAYLOAD_TYPE, Buffer.from(canonicalize(attestationOf(deu, ...GEHEIM).body)), [nld.signer]);
    expect(reasonOf(forged)).toBe('wrong-authority');
    // And DEU's own key speaking for an NLD term is refused against NLD's card, and against DEU's.
    const claim = signEnvelope(ATTESTATION_PAYLOAD_TYPE, Buffer.from(canonicalize({ ...attestationOf(deu, ...GEHEIM).body, mesh: 'NLD', term: 'Stg. GEHEIM' })), [deu.signer]);
    expect(reasonOf(claim, nld.card)).toBe('wrong-authority');
    expect(reasonOf(claim, deu.card)).toBe('wrong-authority');
  });

  it('refuses one expired, or outliving the federation', () => {
    const short = attestationOf(deu, ...GEHEIM, { expires: '2027-01-01T00:00:00.000Z' });
    expect(reasonOf(short.envelope)).toBe('expired-attestation');
    expect(reasonOf(short.envelope, deu.card, new Date('2026-12-15T00:00:00Z'))).toBe('accepted');
    const long = attestationOf(deu, ...GEHEIM, { expires: '2031-01-01T00:00:00.000Z' });
    expect(reasonOf(long.envelope)).toBe('malformed-attestation');
  });

  it('refuses one made for another federation', () => {
    expect(reasonOf(attestationOf(deu, ...GEHEIM, { federation: 'north-star' }).envelope)).toBe('wrong-federation');
  });

  it('refuses a flipped byte anywhere in the payload or the signature', () => {
    const { envelope } = attestationOf(deu, ...GEHEIM);
    const payload = Buffer.from(envelope.payload, 'base64');
    for (let i = 0; i < payload.length; i += 7) {
      const flipped = Buffer.from(payload);
      flipped[i]! ^= 0x01;
      expect(reasonOf({ ...envelope, payload: flipped.toString('base64') })).toBe('bad-signature');
    }
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64url');
    sig[10]! ^= 0x80;
    expect(reasonOf({ ...envelope, signatures: [{ ...envelope.signatures[0]!, sig: sig.toString('base64url') }] })).toBe('bad-signature');
    expect(reasonOf({ ...envelope, payloadType: 'application/vnd.entente.federation+json' })).toBe('malformed-attestation');
    expect(reasonOf({ ...envelope, extra: 1 })).toBe('malformed-attestation');
    expect(reasonOf('not an envelope')).toBe('malformed-attestation');
  });

  it('refuses a term the mesh does not publish, and a pivot term NATO does not have', () => {
    expect(reasonOf(attestationOf(deu, 'markings', 'CONFIDENTIEL DÉFENSE', 'exact', { vocabulary: 'NATO', term: 'CONFIDENTIAL' }).envelope)).toBe('unknown-term');
    expect(reasonOf(attestationOf(deu, 'unit-types', 'Panzergrenadiere', 'exact', { vocabulary: 'APP-6', term: '10031000001211000000' }).envelope)).toBe('unknown-term');
    expect(reasonOf(attestationOf(deu, 'markings', 'GEHEIM', 'exact', { vocabulary: 'NATO', term: 'GEHEIM' }).envelope)).toBe('unknown-term');
    expect(reasonOf(attestationOf(deu, 'markings', 'GEHEIM', 'exact', { vocabulary: 'APP-6', term: 'SECRET' }).envelope)).toBe('unknown-term');
  });

  it('refuses a body the schema refuses before signing it', () => {
    expect(() => attestationOf(deu, 'markings', 'GEHEIM', 'same' as 'exact', { vocabulary: 'NATO', term: 'SECRET' })).toThrow(/relation/);
    expect(() => attestationOf(deu, ...GEHEIM, { issuedAt: '2030-06-01T00:00:00.000Z' })).toThrow(/after issuedAt/);
  });
});
