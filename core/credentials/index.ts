/**
 * Each mesh's national PKI (RFC 5280): keys, its root or imported CA, principal certificates,
 * CRLs and chain verification. Pure: values in, values out; the store lives in core/store.
 */
export {
  createMeshAuthority,
  importMeshAuthority,
  type CreateAuthorityOptions,
  type ImportAuthorityRequest,
  type ImportRequest,
  type MeshAuthority,
} from './authority.js';
export { caPaths, type CaPathResult, type CaPaths } from './ca-path.js';
export {
  describe,
  fingerprint,
  normaliseSerial,
  parseCertificate,
  parseCertificates,
  type CertificateInput,
  type IssuedCertificate,
  type ParsedCertificate,
} from './certificate.js';
export {
  ChainVerifier,
  MAX_INTERMEDIATES,
  type ChainResult,
  type ChainSuccess,
  type ChainVerifierOptions,
  type CrlInput,
  type CrlResult,
  type VerifyOptions,
} from './chain.js';
export { crlRefusal, issueCrl, parseCrl, verifyCrl, type CrlRequest, type ParsedCrl, type Revocation, type VerifiedCrl } from './crl.js';
export { CREDENTIAL_REASONS, CredentialError, type CredentialReason, type Refusal } from './errors.js';
export {
  createRootCertificate,
  enrolPrincipal,
  issueCaCertificate,
  issueCrossCertificate,
  issueEndEntityCertificate,
  type CaRequest,
  type CrossCertificateRequest,
  type EndEntityRequest,
  type IssuerInput,
  type Validity,
} from './issue.js';
export {
  algorithmOf,
  exportPrivateKey,
  generateKeyPair,
  importPrivateKey,
  KEY_ALGORITHMS,
  keysMatch,
  publicKeyOf,
  type KeyAlgorithm,
  type KeyPair,
  type KeyProtection,
} from './keys.js';
export { ENTENTE_ARC, federationUri, parseFederationUri, parsePrincipalUri, principalUri, PRINCIPAL_ROLES, ROLE_OIDS, type Principal, type PrincipalRole } from './roles.js';
