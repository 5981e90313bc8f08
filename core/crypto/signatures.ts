/**
 * Raw signatures over bytes with the two algorithms Entente accepts: Ed25519 (RFC 8032) and
 * ECDSA P-256 with SHA-256 in IEEE P1363 form (r‖s, 64 bytes), as JOSE's ES256 (RFC 7518 §3.4).
 * The algorithm always follows from the key, never from the message.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { Refused } from '../common/refused.js';

/** The names records and envelopes carry: JOSE's (RFC 7518 §3.1, RFC 8037 §3.1). */
export const SignatureAlgorithm = z.enum(['Ed25519', 'ES256']);
export type SignatureAlgorithm = z.infer<typeof SignatureAlgorithm>;

const algorithms = new WeakMap<KeyObject, SignatureAlgorithm | null>();

/** The algorithm a key signs with, or null for keys Entente does not use. Remembered per KeyObject. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm | null {
  let alg = algorithms.get(key);
  if (alg !== undefined) return alg;
  if (key.asymmetricKeyType === 'ed25519') alg = 'Ed25519';
  else if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') alg = 'ES256';
  else alg = null;
  algorithms.set(key, alg);
  return alg;
}

export function signBytes(bytes: Buffer, privateKey: KeyObject): { alg: SignatureAlgorithm; sig: string } {
  const alg = privateKey.type === 'private' ? algorithmOf(privateKey) : null;
  if (alg === null) {
    throw new Refused('unsupported-key', `Entente signs with an Ed25519 or P-256 private key, not a ${privateKey.type} ${privateKey.asymmetricKeyType ?? ''} key.`);
  }
  const signature = alg === 'Ed25519' ? sign(null, bytes, privateKey) : sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return { alg, sig: signature.toString('base64url') };
}

/** False for any mismatch: wrong key type for the algorithm, a non-canonical encoding, or a bad signature. */
export function verifyBytes(bytes: Buffer, alg: SignatureAlgorithm, sig: string, publicKey: KeyObject): boolean {
  if (algorithmOf(publicKey) !== alg) return false;
  const signature = Buffer.from(sig, 'base64url');
  // Only the canonical encoding of a 64-byte signature: base64url's spare bits in the last
  // character would otherwise let one signature be written several ways.
  if (signature.length !== 64 || signature.toString('base64url') !== sig) return false;
  try {
    return alg === 'Ed25519' ? verify(null, bytes, publicKey, signature) : verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
