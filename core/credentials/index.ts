/** Each mesh's national PKI: keys, certificates, CRLs and path validation. */
export { ChainVerifier, MAX_INTERMEDIATES, readCertificate, type ChainResult, type VerifyOptions } from './chain.js';
export { issueCrl, normaliseSerial, verifyCrl, type Revocation, type VerifiedCrl } from './crl.js';
export { CredentialError, type CredentialReason } from './errors.js';
export { createRootCertificate, describe, enrolPrincipal, fingerprint, issueEndEntityCertificate, type IssuedCertificate } from './issue.js';
export { algorithmOf, exportPrivateKey, generateKeyPair, importPrivateKey, publicKeyOf, type KeyAlgorithm, type KeyPair } from './keys.js';
export { principalUri, ROLE_OIDS, type PrincipalRole } from './roles.js';
export { createMeshAuthority, importMeshAuthority, type ImportRequest, type MeshAuthority } from './authority.js';
