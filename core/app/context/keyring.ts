/**
 * The keyring: the workspace passphrase given once (a value, or a prompt asked at most once and
 * only when an encrypted key is needed), and each private key decrypted at most once per
 * operation — instead of the passphrase threaded through every service and keys re-decrypted.
 */
import type { KeyObject } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { CredentialError, exportPrivateKey, importPrivateKey } from '../../credentials/index.js';
import type { ReadDb } from '../../store/database.js';
import { readPrivateKey } from '../../store/mesh-store.js';

/** The passphrase itself, null for a home made with --insecure-keys, or a prompt for it. */
export type PassphraseSource = string | null | (() => Promise<string | null> | string | null);

export interface Passphrase {
  /** The passphrase, asking the prompt the first time only. */
  get(): Promise<string | null>;
}

export function passphraseFrom(source: PassphraseSource = null): Passphrase {
  let answer: Promise<string | null> | undefined;
  return {
    get: () => (answer ??= typeof source === 'function' ? Promise.resolve(source()) : Promise.resolve(source)),
  };
}

export interface Keyring {
  /** The private key of a certificate this workspace holds, decrypted the first time it is asked for. */
  key(certificateSha256: string): Promise<KeyObject>;
  /** The workspace passphrase itself (asked the first time), for keys made or imported now. */
  passphrase(): Promise<string | null>;
  /** A new private key as the store keeps it (PKCS#8 PEM): under the passphrase when `encrypted`. */
  seal(key: KeyObject, encrypted: boolean): Promise<string>;
}

/** How a stored key is opened; a test counts calls through its own (around the real one). */
export type Decrypt = (pkcs8Pem: string, passphrase: string | null) => KeyObject;

export function createKeyring(db: ReadDb, passphrase: Passphrase, decrypt: Decrypt = importPrivateKey): Keyring {
  const keys = new Map<string, Promise<KeyObject>>();
  const open = async (certificateSha256: string): Promise<KeyObject> => {
    const stored = readPrivateKey(db, certificateSha256);
    if (!stored) throw new Refused('no-private-key', 'This workspace does not hold the private key for that certificate.');
    const secret = stored.encrypted ? await passphrase.get() : null;
    return credential(() => decrypt(stored.pkcs8Pem, secret));
  };
  return {
    key: (certificateSha256) => {
      let key = keys.get(certificateSha256);
      if (!key) {
        key = open(certificateSha256);
        keys.set(certificateSha256, key);
        // A refusal (a wrong passphrase) is not kept: the next operation asks again.
        key.catch(() => keys.delete(certificateSha256));
      }
      return key;
    },
    passphrase: () => passphrase.get(),
    seal: async (key, encrypted) => exportPrivateKey(key, encrypted ? await passphrase.get() : null),
  };
}

/** Runs a credential operation, turning its CredentialError into a refusal with the same reason. */
export function credential<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CredentialError) throw new Refused(error.reason, error.message);
    throw error;
  }
}
