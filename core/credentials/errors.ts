/**
 * Why a credential was refused: a stable reason code and one sentence. Messages name
 * certificates by subject or fingerprint and never carry key material or a library's raw text.
 */
import { Refused } from '../common/refused.js';

export const CREDENTIAL_REASONS = [
  // Reading input (RFC 7468 PEM, X.690 DER, RFC 5958 PKCS#8).
  'malformed-pem',
  'malformed-certificate',
  'malformed-crl',
  'wrong-passphrase',
  'passphrase-required',
  'unsupported-algorithm',
  'invalid-argument',
  // Authorities (RFC 5280 §4.2.1.3, §4.2.1.9).
  'key-mismatch',
  'not-a-ca',
  // Path validation (RFC 5280 §6).
  'unknown-issuer',
  'chain-too-long',
  'chain-loop',
  'bad-signature',
  'not-yet-valid',
  'expired',
  'invalid-time',
  'wrong-key-usage',
  'wrong-principal',
  'unhandled-critical-extension',
  'revoked',
  // Revocation lists (RFC 5280 §5, §6.3).
  'bad-crl',
] as const;

export type CredentialReason = (typeof CREDENTIAL_REASONS)[number];

export class CredentialError extends Refused {
  declare readonly reason: CredentialReason;

  constructor(reason: CredentialReason, message: string) {
    super(reason, message);
    this.name = 'CredentialError';
  }
}

/** The failing side of every result envelope in this folder. */
export interface Refusal {
  readonly ok: false;
  readonly reason: CredentialReason;
  readonly message: string;
}

export function refusalOf(error: CredentialError): Refusal {
  return Object.freeze({ ok: false, reason: error.reason, message: error.message });
}
