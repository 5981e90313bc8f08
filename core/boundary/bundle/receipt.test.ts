/** Crossing receipts: signed by the importer's authority, read back by the exporter with the partner's key, refused by name otherwise. */
import { generateKeyPairSync, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';
import { signEnvelope } from '../../crypto/dsse.js';
import { leafHash, rootOf } from '../../crypto/merkle.js';
import { admittedRoot, readReceipt, RECEIPT_PAYLOAD_TYPE, signReceipt, type ReceiptBody } from './receipt.js';

const authority = (() => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyid = hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex');
  return { signer: { keyid, key: privateKey }, verifyKey: { keyid, key: publicKey } };
})();
const ids = Array.from({ length: 9 }, (_, i) => hash('sha256', `observation ${i}`, 'hex'));

async function body(overrides: Partial<ReceiptBody> = {}): Promise<ReceiptBody> {
  return {
    type: 'entente.crossing-receipt/v1',
    bundle: 'ab'.repeat(32),
    from: 'DEU',
    to: 'NLD',
    federation: 'baltic-shield',
    counts: { admitted: 6, duplicate: 1, rejected: 1, quarantined: 1, tainted: 0 },
    admitted: await admittedRoot(ids.slice(0, 6)),
    refused: [{ id: ids[7]!, reason: 'above-ceiling' }],
    at: '2026-11-23T10:00:00Z',
    ...overrides,
  };
}

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof Refused) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('crossing receipts', () => {
  it('round-trips: signed, then read back with the partner authority key', async () => {
    const receipt = await body();
    const envelope = signReceipt(receipt, authority.signer);
    expect(envelope.payloadType).toBe(RECEIPT_PAYLOAD_TYPE);
    expect(readReceipt(envelope, authority.verifyKey)).toEqual(receipt);
    expect(readReceipt(JSON.parse(JSON.stringify(envelope)), authority.verifyKey)).toEqual(receipt);
  });

  it('roots the admitted ids as RFC 6962 leaves of their hex text, in order, streaming', async () => {
    for (const n of [0, 1, 2, 5, 9]) {
      const expected = rootOf(ids.slice(0, n).map((id) => leafHash(Buffer.from(id, 'utf8')))).toString('hex');
      expect(await admittedRoot(ids.slice(0, n))).toEqual({ count: n, root: expected });
    }
    // Order matters: the same ids in another order are another root.
    expect((await admittedRoot([ids[1]!, ids[0]!])).root).not.toBe((await admittedRoot([ids[0]!, ids[1]!])).root);
    async function* many() {
      for (let i = 0; i < 3000; i++) yield hash('sha256', String(i), 'hex');
    }
    expect((await admittedRoot(many())).count).toBe(3000);
    await expect(admittedRoot(['ABC'])).rejects.toMatchObject({ reason: 'malformed-receipt' });
  });

  it('refuses another key, a changed payload, another payload type, and a non-envelope by name', async () => {
    const envelope = signReceipt(await body(), authority.signer);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(reasonOf(() => readReceipt(envelope, { keyid: authority.verifyKey.keyid, key: other }))).toBe('bad-receipt-signature');
    expect(reasonOf(() => readReceipt(envelope, { keyid: 'cd'.repeat(32), key: authority.verifyKey.key }))).toBe('bad-receipt-signature');
    const changed = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as ReceiptBody;
    changed.counts.admitted = 7;
    expect(reasonOf(() => readReceipt({ ...envelope, payload: canonicalBytes(changed).toString('base64') }, authority.verifyKey))).toBe('bad-receipt-signature');
    const asManifest = signEnvelope('application/vnd.entente.crossing-manifest+json', Buffer.from(envelope.payload, 'base64'), [authority.signer]);
    expect(reasonOf(() => readReceipt(asManifest, authority.verifyKey))).toBe('wrong-payload-type');
    for (const junk of [null, 'receipt', { payloadType: RECEIPT_PAYLOAD_TYPE }, { ...envelope, signatures: [] }, { ...envelope, extra: 1 }]) {
      expect(reasonOf(() => readReceipt(junk, authority.verifyKey)), JSON.stringify(junk)).toBe('malformed-receipt');
    }
  });

  it('refuses a signed body that is not a receipt, has duplicate keys, or is not canonical', async () => {
    const sign = (text: string) => signEnvelope(RECEIPT_PAYLOAD_TYPE, Buffer.from(text), [authority.signer]);
    const good = canonicalBytes(await body()).toString();
    const cases = {
      notReceipt: '{"type":"entente.crossing-receipt/v1"}',
      duplicate: good.replace('{', '{"at":"2026-11-23T10:00:00Z",'),
      notCanonical: good.replace('{', '{ '),
      badReason: good.replace('above-ceiling', 'Above Ceiling\\n'),
      notJson: 'receipt',
    };
    for (const [name, text] of Object.entries(cases)) expect(reasonOf(() => readReceipt(sign(text), authority.verifyKey)), name).toBe('malformed-receipt');
    expect(reasonOf(() => readReceipt(sign(good), authority.verifyKey))).toBe('accepted');
  });

  it('will not sign what it would not read', async () => {
    const good = await body();
    expect(reasonOf(() => signReceipt({ ...good, from: 'deu' }, authority.signer))).toBe('malformed-receipt');
    expect(reasonOf(() => signReceipt({ ...good, refused: [{ id: 'x', reason: 'purged' }] }, authority.signer))).toBe('malformed-receipt');
  });
});
