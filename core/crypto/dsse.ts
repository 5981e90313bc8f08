/**
 * DSSE envelopes (secure-systems-lab/dsse v1): a payload, its type, and signatures over the
 * pre-authentication encoding PAE(type, payload) = "DSSEv1" SP len(type) SP type SP len(body)
 * SP body, lengths as decimal byte counts. Signing the PAE rather than the payload binds the
 * type, so a checkpoint can never be replayed as a declaration. `keyid` is a hint only: the
 * caller decides which key a signature must verify against, and how many must.
 *
 * @example
 *   const env = signEnvelope(CHECKPOINT_TYPE, body, [{ keyid: certSha256, key: caKey }]);
 *   const ok = envelopeSignedBy(env, certSha256, caPublicKey);
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { SignatureAlgorithm, signBytes, verifyBytes } from './signatures.js';

/** Envelopes are small (a checkpoint, a declaration): a bigger one is refused before decoding. */
export const MAX_PAYLOAD_BYTES = 1 << 20;

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');

export const DsseSignature = z.strictObject({
  keyid: z.string().max(256),
  /** Entente's addition: the algorithm is named, and must agree with the key it is checked against. */
  alg: SignatureAlgorithm,
  sig: z.string().regex(/^[A-Za-z0-9_-]{1,512}$/, 'expected unpadded base64url'),
});
export type DsseSignature = z.infer<typeof DsseSignature>;

export const DsseEnvelope = z.strictObject({
  payloadType: z.string().min(1).max(256),
  payload: Base64.max(Math.ceil((MAX_PAYLOAD_BYTES * 4) / 3) + 4),
  signatures: z.array(DsseSignature).max(64),
});
export type DsseEnvelope = z.infer<typeof DsseEnvelope>;

export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export interface EnvelopeSigner {
  readonly keyid: string;
  readonly key: KeyObject;
}

export function signEnvelope(payloadType: string, body: Buffer, signers: readonly EnvelopeSigner[]): DsseEnvelope {
  const bytes = pae(payloadType, body);
  return {
    payloadType,
    payload: body.toString('base64'),
    signatures: signers.map(({ keyid, key }) => ({ keyid, ...signBytes(bytes, key) })),
  };
}

/** Adds one more signature over the same payload (a co-signing partner). */
export function addSignature(envelope: DsseEnvelope, signer: EnvelopeSigner): DsseEnvelope {
  const bytes = pae(envelope.payloadType, payloadOf(envelope));
  return { ...envelope, signatures: [...envelope.signatures, { keyid: signer.keyid, ...signBytes(bytes, signer.key) }] };
}

export function payloadOf(envelope: DsseEnvelope): Buffer {
  return Buffer.from(envelope.payload, 'base64');
}

/** Whether some signature with this keyid verifies with `publicKey` over the envelope's PAE. */
export function envelopeSignedBy(envelope: DsseEnvelope, keyid: string, publicKey: KeyObject): boolean {
  const bytes = pae(envelope.payloadType, payloadOf(envelope));
  return envelope.signatures.some((s) => s.keyid === keyid && verifyBytes(bytes, s.alg, s.sig, publicKey));
}
