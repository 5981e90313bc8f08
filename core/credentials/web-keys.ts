/**
 * Node KeyObjects as WebCrypto keys for @peculiar/x509, and each key's X.509 signature algorithm
 * (RFC 8410 §3 Ed25519; RFC 5758 §3.2 ecdsa-with-SHA256). Internal to this folder.
 */
import { createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { algorithmOf, type KeyAlgorithm, type KeyPair } from './keys.js';

type WebKey = webcrypto.CryptoKey;

export interface WebKeyPair {
  readonly privateKey: WebKey;
  readonly publicKey: WebKey;
  readonly algorithm: KeyAlgorithm;
}

function importParams(algorithm: KeyAlgorithm): webcrypto.AlgorithmIdentifier | webcrypto.EcKeyImportParams {
  return algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
}

export async function toWebKeyPair(pair: KeyPair): Promise<WebKeyPair> {
  const algorithm = algorithmOf(pair.privateKey);
  const params = importParams(algorithm);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pair.privateKey.export({ type: 'pkcs8', format: 'der' }), params, false, ['sign']);
  const publicKey = await toWebPublicKey(pair.publicKey);
  return { privateKey, publicKey, algorithm };
}

/** The public half as a CryptoKey (a private KeyObject is accepted and its public half taken). */
export async function toWebPublicKey(key: KeyObject): Promise<WebKey> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), importParams(algorithmOf(publicKey)), true, ['verify']);
}

export function signingAlgorithm(algorithm: KeyAlgorithm): { name: 'Ed25519' } | { name: 'ECDSA'; hash: 'SHA-256' } {
  return algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}
