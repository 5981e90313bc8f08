/**
 * Key pairs for the two signature algorithms Entente accepts (Ed25519, RFC 8032; ECDSA P-256,
 * FIPS 186-4) and their storage as PKCS#8 PEM (RFC 5958), encrypted under a passphrase unless
 * a test or demo home explicitly opted out. Errors never echo key material.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';

type WebKey = webcrypto.CryptoKey;
import { CredentialError } from './errors.js';

export type KeyAlgorithm = 'Ed25519' | 'P-256';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function generateKeyPair(algorithm: KeyAlgorithm): KeyPair {
  return algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export function algorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'P-256';
  throw new CredentialError('malformed-certificate', `Keys of type ${key.asymmetricKeyType ?? 'unknown'} are not accepted; use Ed25519 or P-256.`);
}

/** `passphrase: null` writes the key unencrypted, for homes made with --insecure-keys only. */
export function exportPrivateKey(key: KeyObject, passphrase: string | null): string {
  if (passphrase === null) return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

export function importPrivateKey(pem: string, passphrase: string | null): KeyObject {
  const encrypted = pem.includes('BEGIN ENCRYPTED PRIVATE KEY');
  if (encrypted && passphrase === null) throw new CredentialError('passphrase-required', 'The private key is encrypted and needs the passphrase.');
  if (!/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new CredentialError('malformed-pem', 'The private key is not a PKCS#8 PEM block.');
  }
  try {
    const key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase: passphrase ?? '' } : { key: pem, format: 'pem' });
    algorithmOf(key);
    return key;
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    if (encrypted) throw new CredentialError('wrong-passphrase', 'The passphrase does not decrypt the private key.');
    throw new CredentialError('malformed-pem', 'The private key PEM cannot be read.');
  }
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** The same keys as WebCrypto keys, which @peculiar/x509 signs and embeds with. */
/** Node's key as a WebCrypto key, for importing a subject's public key into a certificate. */
export async function publicWebKey(key: KeyObject): Promise<WebKey> {
  const params = algorithmOf(key) === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  return webcrypto.subtle.importKey('spki', key.export({ type: 'spki', format: 'der' }), params, true, ['verify']);
}

export async function toWebCrypto(pair: KeyPair): Promise<{ privateKey: WebKey; publicKey: WebKey; algorithm: KeyAlgorithm }> {
  const algorithm = algorithmOf(pair.privateKey);
  const params = algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, params, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { privateKey, publicKey, algorithm };
}

export function signingAlgorithm(algorithm: KeyAlgorithm): { name: 'Ed25519' } | { name: 'ECDSA'; hash: 'SHA-256' } {
  return algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}
