/** Why a credential was refused: a stable reason code and one sentence, never key material. */

export type CredentialReason =
  | 'malformed-pem'
  | 'malformed-certificate'
  | 'wrong-passphrase'
  | 'passphrase-required'
  | 'key-mismatch'
  | 'not-a-ca'
  | 'unknown-issuer'
  | 'chain-too-long'
  | 'chain-loop'
  | 'bad-signature'
  | 'not-yet-valid'
  | 'expired'
  | 'wrong-key-usage'
  | 'revoked'
  | 'bad-crl';

export class CredentialError extends Error {
  constructor(
    readonly reason: CredentialReason,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}
