import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addSignature, DsseEnvelope, envelopeSignedBy, pae, payloadOf, signEnvelope } from './dsse.js';

const ed = () => generateKeyPairSync('ed25519');
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('DSSE envelopes', () => {
  it('encodes the PAE as the specification’s test vector', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, in the PAE', () => {
    expect(pae('t', Buffer.from('€')).toString()).toBe('DSSEv1 1 t 3 €');
  });

  it('verifies each signer’s signature, with Ed25519 and P-256, and nothing else', () => {
    const a = ed();
    const b = p256();
    const body = Buffer.from('{"size":3}');
    const env = addSignature(signEnvelope('application/x-test', body, [{ keyid: 'a', key: a.privateKey }]), { keyid: 'b', key: b.privateKey });
    expect(DsseEnvelope.parse(env)).toEqual(env);
    expect(payloadOf(env).equals(body)).toBe(true);
    expect(envelopeSignedBy(env, 'a', a.publicKey)).toBe(true);
    expect(envelopeSignedBy(env, 'b', b.publicKey)).toBe(true);
    expect(envelopeSignedBy(env, 'a', b.publicKey)).toBe(false);
    expect(envelopeSignedBy(env, 'c', a.publicKey)).toBe(false);
  });

  it('binds the payload type and the payload', () => {
    const a = ed();
    const env = signEnvelope('application/x-checkpoint', Buffer.from('x'), [{ keyid: 'a', key: a.privateKey }]);
    expect(envelopeSignedBy({ ...env, payloadType: 'application/x-declaration' }, 'a', a.publicKey)).toBe(false);
    expect(envelopeSignedBy({ ...env, payload: Buffer.from('y').toString('base64') }, 'a', a.publicKey)).toBe(false);
  });

  it('refuses envelopes with extra members or a malformed signature', () => {
    expect(DsseEnvelope.safeParse({ payloadType: 't', payload: '', signatures: [], extra: 1 }).success).toBe(false);
    expect(DsseEnvelope.safeParse({ payloadType: 't', payload: '', signatures: [{ keyid: 'a', alg: 'RSA', sig: 'AA' }] }).success).toBe(false);
  });
});
