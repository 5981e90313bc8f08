/**
 * Raw signatures over bytes with the two algorithms Entente accepts: Ed25519 (RFC 8032) and
 * ECDSA P-256 with SHA-256 in IEEE P1363 form (r‖s), as JOSE's ES256 writes it.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export type SignatureAlgorithm = 'Ed25519' | 'ES256';

export function algorithmFor(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`Keys of type ${key.asymmetricKeyType ?? 'unknown'} cannot sign observations; use Ed25519 or P-256.`);
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
    return alg === 'Ed25519' ? verify(null, bytes, publicKey, signature) : verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
