/** Key pairs and PKCS#8 PEM at rest: round trips, openssl-made keys, and every refusal named. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialError } from './errors.js';
import { algorithmOf, exportPrivateKey, generateKeyPair, importPrivateKey, KEY_ALGORITHMS, keysMatch, publicKeyOf } from './keys.js';
import { opensslDir, reasonOf, type OpensslDir } from './test-fixtures.js';

const PASS = 'correct horse battery staple';
const spki = (key: ReturnType<typeof publicKeyOf>) => key.export({ type: 'spki', format: 'der' }).toString('hex');

describe.each(KEY_ALGORITHMS)('%s keys', (algorithm) => {
  it('generate, and say which algorithm they are', () => {
    const keys = generateKeyPair(algorithm);
    expect(algorithmOf(keys.privateKey)).toBe(algorithm);
    expect(algorithmOf(keys.publicKey)).toBe(algorithm);
    expect(keysMatch(keys.privateKey, keys.publicKey)).toBe(true);
    expect(keysMatch(keys.privateKey, generateKeyPair(algorithm).publicKey)).toBe(false);
  });

  it('round-trip encrypted under a passphrase', () => {
    const keys = generateKeyPair(algorithm);
    const pem = exportPrivateKey(keys.privateKey, { passphrase: PASS });
    expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(spki(publicKeyOf(importPrivateKey(pem, PASS)))).toBe(spki(keys.publicKey));
    // The positional form core/app uses writes the same kind of file.
    expect(exportPrivateKey(keys.privateKey, PASS)).toContain('ENCRYPTED PRIVATE KEY');
  });

  it('are written in clear only when asked to be', () => {
    const keys = generateKeyPair(algorithm);
    const pem = exportPrivateKey(keys.privateKey, { insecure: true });
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(exportPrivateKey(keys.privateKey, null)).toContain('-----BEGIN PRIVATE KEY-----');
    expect(spki(publicKeyOf(importPrivateKey(pem)))).toBe(spki(keys.publicKey));
    // A passphrase given for a clear key is simply not needed.
    expect(spki(publicKeyOf(importPrivateKey(pem, 'unused')))).toBe(spki(keys.publicKey));
  });
});

describe('exporting refuses', () => {
  const keys = generateKeyPair('Ed25519');
  it('an empty passphrase, and an insecure flag that is not `true`', async () => {
    expect(await reasonOf(() => exportPrivateKey(keys.privateKey, { passphrase: '' }))).toBe('passphrase-required');
    expect(await reasonOf(() => exportPrivateKey(keys.privateKey, ''))).toBe('passphrase-required');
    expect(await reasonOf(() => exportPrivateKey(keys.privateKey, { insecure: false } as never))).toBe('invalid-argument');
  });
  it('a public key', async () => {
    expect(await reasonOf(() => exportPrivateKey(keys.publicKey, { passphrase: PASS }))).toBe('invalid-argument');
  });
});

describe('importing refuses with a named reason', () => {
  const keys = generateKeyPair('P-256');
  const encrypted = exportPrivateKey(keys.privateKey, { passphrase: PASS });
  const clear = exportPrivateKey(keys.privateKey, { insecure: true });

  it('a wrong passphrase, without echoing the key or the passphrase', () => {
    let caught: unknown;
    try {
      importPrivateKey(encrypted, 'not the passphrase');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CredentialError);
    const error = caught as CredentialError;
    expect(error.reason).toBe('wrong-passphrase');
    expect(error.message).not.toContain('not the passphrase');
    const body = encrypted.split('\n')[1]!;
    expect(error.message).not.toContain(body.slice(0, 16));
    expect(JSON.stringify(error)).not.toContain(body.slice(0, 16));
  });

  it('an encrypted key with no passphrase', async () => {
    expect(await reasonOf(() => importPrivateKey(encrypted))).toBe('passphrase-required');
    expect(await reasonOf(() => importPrivateKey(encrypted, null))).toBe('passphrase-required');
    expect(await reasonOf(() => importPrivateKey(encrypted, ''))).toBe('passphrase-required');
  });

  it('malformed PEM', async () => {
    const lines = clear.trim().split('\n');
    const cases = [
      '',
      'not a key at all',
      clear.replace('-----END PRIVATE KEY-----', ''),
      clear.replace('-----END PRIVATE KEY-----', '-----END CERTIFICATE-----'),
      [lines[0], `${lines[1]!.slice(0, 10)}!!${lines[1]!.slice(12)}`, ...lines.slice(2)].join('\n'),
      [lines[0], lines[1]!.slice(0, 20), lines.at(-1)].join('\n'),
      clear + clear,
      keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      encrypted.replace(/^(-----BEGIN ENCRYPTED PRIVATE KEY-----\n)(.{8})/, '$1AAAAAAAA'),
    ];
    for (const pem of cases) expect([pem.slice(0, 40), await reasonOf(() => importPrivateKey(pem, PASS))]).toEqual([pem.slice(0, 40), 'malformed-pem']);
    expect(await reasonOf(() => importPrivateKey(42 as never))).toBe('malformed-pem');
  });

  it('keys of other algorithms', async () => {
    const others = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
      generateKeyPairSync('x25519').privateKey,
      generateKeyPairSync('ed448').privateKey,
    ];
    for (const key of others) {
      expect(await reasonOf(() => importPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }).toString()))).toBe('unsupported-algorithm');
    }
    const rsaPkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(await reasonOf(() => importPrivateKey(rsaPkcs1))).toBe('unsupported-algorithm');
    expect(await reasonOf(() => generateKeyPair('RSA' as never))).toBe('unsupported-algorithm');
  });
});

describe('keys made by the openssl command line', () => {
  let dir: OpensslDir;
  beforeAll(() => {
    dir = opensslDir();
  });
  afterAll(() => dir.remove());

  it('import: PKCS#8 encrypted with AES-256-CBC, SEC 1 EC keys, and legacy encrypted PEM', () => {
    dir.run('genpkey', '-algorithm', 'ed25519', '-out', 'ed.key');
    dir.run('pkcs8', '-topk8', '-in', 'ed.key', '-out', 'ed.enc.key', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`);
    expect(algorithmOf(importPrivateKey(dir.read('ed.enc.key'), PASS))).toBe('Ed25519');
    expect(reasonOfSync(() => importPrivateKey(dir.read('ed.enc.key'), 'wrong'))).toBe('wrong-passphrase');

    dir.run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.key');
    expect(dir.read('ec.key')).toContain('BEGIN EC PRIVATE KEY');
    expect(algorithmOf(importPrivateKey(dir.read('ec.key')))).toBe('P-256');

    dir.run('ec', '-in', 'ec.key', '-out', 'ec.legacy.key', '-aes256', '-passout', `pass:${PASS}`);
    expect(dir.read('ec.legacy.key')).toContain('Proc-Type: 4,ENCRYPTED');
    expect(algorithmOf(importPrivateKey(dir.read('ec.legacy.key'), PASS))).toBe('P-256');
    expect(reasonOfSync(() => importPrivateKey(dir.read('ec.legacy.key')))).toBe('passphrase-required');
    expect(reasonOfSync(() => importPrivateKey(dir.read('ec.legacy.key'), 'wrong'))).toBe('wrong-passphrase');
  });

  it('read what we write: openssl decrypts our encrypted PKCS#8', () => {
    const keys = generateKeyPair('Ed25519');
    dir.write('ours.key', exportPrivateKey(keys.privateKey, { passphrase: PASS }));
    const publicPem = dir.run('pkey', '-in', 'ours.key', '-passin', `pass:${PASS}`, '-pubout');
    expect(publicPem.trim()).toBe(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString().trim());
  });
});

function reasonOfSync(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof CredentialError) return error.reason;
    throw error;
  }
  return 'accepted';
}
