/**
 * Ed25519 (RFC 8032) and ECDSA P-256 (FIPS 186-5) key pairs, and private keys at rest as PKCS#8
 * PEM (RFC 5958) encrypted with PBES2/AES-256-CBC (RFC 8018) unless `insecure` is asked for.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { DerReader, TAG } from './der.js';
import { CredentialError } from './errors.js';
import { readSinglePem } from './pem.js';

export type KeyAlgorithm = 'Ed25519' | 'P-256';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['Ed25519', 'P-256'];

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** How a private key is written: under a passphrase, or — for test and demo homes only — in clear. */
export type KeyProtection = { readonly passphrase: string } | { readonly insecure: true };

export function generateKeyPair(algorithm: KeyAlgorithm): KeyPair {
  if (algorithm === 'Ed25519') return generateKeyPairSync('ed25519');
  if (algorithm === 'P-256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  throw new CredentialError('unsupported-algorithm', 'Key pairs are Ed25519 or P-256.');
}

/** Which of the accepted algorithms a key (private or public) belongs to. */
export function algorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'P-256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new CredentialError('unsupported-algorithm', `Keys of type ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''} are not accepted; use Ed25519 or P-256.`);
}

/**
 * PKCS#8 PEM. `{ passphrase }` encrypts (ENCRYPTED PRIVATE KEY); `{ insecure: true }` writes the
 * key in clear. The older positional form (a passphrase, or null for in clear) is what the
 * core/app passes today.
 *
 * @example exportPrivateKey(keys.privateKey, { passphrase: process.env.ENTENTE_PASSPHRASE! })
 */
export function exportPrivateKey(key: KeyObject, protection: KeyProtection | string | null): string {
  if (!(key instanceof KeyObject) || key.type !== 'private') throw new CredentialError('invalid-argument', 'Only a private key can be exported.');
  if (protection === null || (typeof protection === 'object' && 'insecure' in protection)) {
    // Only an explicit `insecure: true` (or the legacy null) writes a key in clear.
    if (protection !== null && protection.insecure !== true) throw new CredentialError('invalid-argument', 'Say { insecure: true } to write a key unencrypted.');
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  const passphrase: unknown = typeof protection === 'string' ? protection : protection?.passphrase;
  // node:crypto would happily encrypt under '' — a key "protected" by nothing.
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CredentialError('passphrase-required', 'An encrypted key needs a non-empty passphrase.');
  }
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

const PRIVATE_KEY_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'];

/**
 * Reads a private key: PKCS#8 (plain or encrypted), or the SEC 1 form openssl writes for EC keys.
 * The passphrase is only used when the key is encrypted. Errors name a reason and never echo key
 * material, the passphrase, or the crypto library's own message.
 *
 * @throws CredentialError 'malformed-pem' | 'passphrase-required' | 'wrong-passphrase' | 'unsupported-algorithm'
 */
export function importPrivateKey(pem: string, passphrase?: string | null): KeyObject {
  const block = readSinglePem(pem, PRIVATE_KEY_LABELS, 'private key');
  if (block.label === 'RSA PRIVATE KEY') throw new CredentialError('unsupported-algorithm', 'RSA keys are not accepted; use Ed25519 or P-256.');
  const legacyEncrypted = /^4,\s*ENCRYPTED$/.test(block.headers.get('Proc-Type') ?? '');
  const encrypted = legacyEncrypted || block.label === 'ENCRYPTED PRIVATE KEY';
  // The outer structure must be one DER SEQUENCE before any decryption is attempted: a garbled
  // block is malformed, not a wrong passphrase. (A legacy encrypted block is ciphertext throughout.)
  if (!legacyEncrypted) new DerReader(block.der, 'malformed-pem').root(TAG.sequence);
  if (encrypted && (typeof passphrase !== 'string' || passphrase.length === 0)) {
    throw new CredentialError('passphrase-required', 'The private key is encrypted and needs its passphrase.');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: block.text, format: 'pem', passphrase: passphrase! } : { key: block.text, format: 'pem' });
  } catch {
    // Deliberately not the library's message: it is of no use to an operator and must never
    // be a channel for key bytes.
    if (encrypted) throw new CredentialError('wrong-passphrase', 'The passphrase does not decrypt the private key.');
    throw new CredentialError('malformed-pem', 'The private key cannot be read.');
  }
  algorithmOf(key);
  return key;
}

/** The public half of a private key. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** True when the two keys are the halves of one pair. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  try {
    return createPublicKey(privateKey).equals(publicKey);
  } catch {
    return false;
  }
}
