/**
 * The keyring on a real workspace with encrypted keys: each key decrypted at most once per
 * operation, the passphrase prompt asked at most once for the services' lifetime (and never
 * for a home whose keys are in clear), and a wrong passphrase refused without being kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPrivateKey } from '../../credentials/index.js';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { createServices } from '../services.js';
import type { Decrypt } from './keyring.js';

const PASS = 'keyring test passphrase';
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' });

let dir: TempDir;
let db: WriteDb;
beforeEach(() => {
  dir = makeTempDir('entente-keyring-');
  db = openDatabase(dir.file('entente.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

/** A prompt and a decryption that count their calls, around the real ones. */
function counted(answer: string) {
  const counts = { prompts: 0, decryptions: 0 };
  const passphrase = () => {
    counts.prompts += 1;
    return Promise.resolve(answer);
  };
  const decrypt: Decrypt = (pem, secret) => {
    counts.decryptions += 1;
    return importPrivateKey(pem, secret);
  };
  return { counts, passphrase, decrypt };
}

async function encryptedHome(): Promise<{ issuer: string; device: string }> {
  const services = createServices(db, { passphrase: PASS });
  const { issuerSha256 } = await services.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: true });
  const { certificate } = await services.credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  return { issuer: issuerSha256, device: certificate.sha256 };
}

describe('the keyring', () => {
  it('decrypts a key once per operation, and asks the passphrase once for all of them', async () => {
    const { issuer, device } = await encryptedHome();
    const { counts, passphrase, decrypt } = counted(PASS);
    const services = createServices(db, { passphrase, decrypt });

    const operation = services.context.writing();
    const [first, again] = await Promise.all([operation.keyring.key(issuer), operation.keyring.key(issuer)]);
    expect(first).toBe(again);
    // The log signs with the same authority key: no second decryption within the operation.
    expect((await operation.log()).signer.key).toBe(first);
    expect(counts).toEqual({ prompts: 1, decryptions: 1 });

    // Recording an observation opens the device's key and the authority's: two, each once.
    await services.observations.observe({ device: 'uav-7', class: 'track', subject: 'track:1', labelText: label, payloadText: '{"lat":52}', derivedFrom: [], derivation: null });
    expect(counts).toEqual({ prompts: 1, decryptions: 3 });

    // A new operation decrypts afresh (keys are not held beyond it); the passphrase is not asked again.
    await services.context.writing().keyring.key(device);
    expect(counts).toEqual({ prompts: 1, decryptions: 4 });
  });

  it('never asks for the passphrase when the keys are in clear', async () => {
    const clear = createServices(db);
    await clear.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
    const { counts, passphrase, decrypt } = counted(PASS);
    const services = createServices(db, { passphrase, decrypt });
    await services.credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
    await services.audit.checkpoint();
    expect(counts).toEqual({ prompts: 0, decryptions: 2 });
  });

  it('refuses to keep keys meant to be encrypted in clear when no passphrase was given', async () => {
    await expect(createServices(db).mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: true })).rejects.toMatchObject({ reason: 'passphrase-required' });
    expect(createServices(db).mesh.identity()).toEqual({ mesh: null });
  });

  it('refuses a wrong passphrase by name, and does not keep the failure as the key', async () => {
    const { issuer } = await encryptedHome();
    const { counts, passphrase, decrypt } = counted('not the passphrase');
    const keyring = createServices(db, { passphrase, decrypt }).context.writing().keyring;
    await expect(keyring.key(issuer)).rejects.toMatchObject({ reason: 'wrong-passphrase' });
    await expect(keyring.key(issuer)).rejects.toMatchObject({ reason: 'wrong-passphrase' });
    expect(counts).toEqual({ prompts: 1, decryptions: 2 });
    await expect(keyring.key('f'.repeat(64))).rejects.toMatchObject({ reason: 'no-private-key' });
  });
});
