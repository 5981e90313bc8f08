/** Keys, a 300-byte record and its signature for the two algorithms Entente verifies. */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export type Algorithm = 'ed25519' | 'p256';

export interface VerifyFixture {
  readonly publicKeyPem: string;
  readonly message: Buffer;
  readonly signature: Buffer;
}

export const RECORD_BYTES = 300;

export function verifyFixture(algorithm: Algorithm): VerifyFixture {
  const { publicKey, privateKey } =
    algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = randomBytes(RECORD_BYTES);
  const signature = sign(digestFor(algorithm), message, privateKey);
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), message, signature };
}

/** Ed25519 hashes internally (RFC 8032); ECDSA P-256 is used with SHA-256. */
export function digestFor(algorithm: Algorithm): string | null {
  return algorithm === 'ed25519' ? null : 'sha256';
}

