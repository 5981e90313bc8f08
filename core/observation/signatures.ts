/**
 * Raw signatures over bytes with the two algorithms Entente accepts: Ed25519 (RFC 8032) and
 * ECDSA P-256 with SHA-256 in IEEE P1363 form (r‖s), as JOSE's ES256 writes it.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export type SignatureAlgorithm = 'Ed25519' | 'ES256';

const algorithms = new WeakMap<KeyObject, SignatureAlgorithm>();

export function algorithmFor(key: KeyObject): SignatureAlgorithm {
  const known = algorithms.get(key);
  if (known) return known;
  let alg: SignatureAlgorithm;
  if (key.asymmetricKeyType === 'ed25519') alg = 'Ed25519';
  else if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') alg = 'ES256';
  else throw new Error(`Keys of type ${key.asymmetricKeyType ?? 'unknown'} cannot sign observations; use Ed25519 or P-256.`);
  algorithms.set(key, alg);
  return alg;
}

export function signBytes(bytes: Buffer, privateKey: KeyObject): { alg: SignatureAlgorithm; sig: string } {
  const alg = algorithmFor(privateKey);
  const signature = alg === 'Ed25519' ? sign(null, bytes, privateKey) : sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return { alg, sig: signature.toString('base64url') };
}

/** False for any mismatch: wrong key type for the algorithm, bad encoding, or a bad signature. */
export function verifyBytes(bytes: Buffer, alg: SignatureAlgorithm, sig: string, publicKey: KeyObject): boolean {
  try {
    if (algorithmFor(publicKey) !== alg) return false;
    const signature = Buffer.from(sig, 'base64url');
    // Only the canonical encoding of a 64-byte signature: base64url's spare bits in the last
    // character would otherwise let one signature be written several ways.
    if (signature.length !== 64 || signature.toString('base64url') !== sig) return false;
    return alg === 'Ed25519' ? verify(null, bytes, publicKey, signature) : verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
