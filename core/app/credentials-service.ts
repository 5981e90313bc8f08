/**
 * The mesh's credentials over the store: initialising the mesh (its own root, or an imported
 * national CA), enrolling and revoking principals, and the chain verifier that checks them.
 * Every change is written in one transaction; a refusal writes nothing.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { Refused } from '../common/refused.js';
import { readStrictJson } from '../canonical/strict-json.js';
import { appendToLog, authorityActor } from './audit-service.js';
import {
  ChainVerifier,
  CredentialError,
  createMeshAuthority,
  enrolPrincipal,
  exportPrivateKey,
  importMeshAuthority,
  importPrivateKey,
  issueCrl,
  type IssuedCertificate,
  type KeyAlgorithm,
  type PrincipalRole,
} from '../credentials/index.js';
import { defaultNationalPolicy, PolicyFile, type LabelPolicy } from '../labels/index.js';
import type { Db } from '../store/database.js';
import {
  insertCertificate,
  insertCrl,
  insertMesh,
  insertPrincipal,
  insertPrivateKey,
  latestCrls,
  listPrincipals,
  listCertificates,
  markPrincipalRevoked,
  readCertificate,
  readMesh,
  readPrincipal,
  readPrivateKey,
  type MeshRow,
} from '../store/mesh-store.js';

export interface MeshInitRequest {
  readonly mesh: string;
  readonly displayName?: string;
  readonly algorithm: KeyAlgorithm;
  /** Null only for a test or demo home made with --insecure-keys. */
  readonly passphrase: string | null;
  readonly importCa?: { certificatePem: string; keyPem: string; chainPem?: string; keyPassphrase: string | null };
  readonly policyJson?: string;
}

export async function initMesh(db: Db, request: MeshInitRequest): Promise<MeshRow> {
  const existing = readMesh(db);
  if (existing) throw new Refused('already-initialised', `This workspace already stands for mesh ${existing.code}; a home holds one mesh.`);
  const policy = request.policyJson === undefined ? defaultNationalPolicy(request.mesh) : parsePolicy(request.policyJson);
  const authority = request.importCa
    ? credential(() => importMeshAuthority({ ...request.importCa!, passphrase: request.importCa!.keyPassphrase }))
    : await createMeshAuthority(request.mesh, request.algorithm);
  const now = new Date().toISOString();
  const mesh: MeshRow = {
    code: request.mesh,
    displayName: request.displayName ?? `${request.mesh} national mesh`,
    anchorSha256: authority.anchor.sha256,
    issuerSha256: authority.issuer.sha256,
    labelPolicy: JSON.stringify(policy),
    keysEncrypted: request.passphrase !== null,
    createdAt: now,
  };
  db.transaction(() => {
    insertMesh(db, mesh);
    storeCertificate(db, request.mesh, authority.anchor, 'root', null, now);
    for (const ca of authority.intermediates) storeCertificate(db, request.mesh, ca, 'ca', null, now);
    insertPrivateKey(db, authority.issuer.sha256, exportPrivateKey(authority.issuerKeys.privateKey, request.passphrase), request.passphrase !== null);
    appendToLog(db, { certificateSha256: authority.issuer.sha256, key: authority.issuerKeys.privateKey }, [
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [...new Set([authority.anchor.sha256, authority.issuer.sha256])], detail: { event: request.importCa ? 'national-ca-imported' : 'root-created' } },
        why: { reasons: ['mesh-initialised'] },
      },
    ]);
  })();
  return mesh;
}

export function requireMesh(db: Db): MeshRow {
  const mesh = readMesh(db);
  if (!mesh) throw new Refused('no-mesh', 'This workspace has no mesh yet: run `entente mesh init --mesh CODE` first.');
  return mesh;
}

export function labelPolicyOf(mesh: MeshRow): LabelPolicy {
  return PolicyFile.parse(JSON.parse(mesh.labelPolicy));
}

export interface Enrolment {
  readonly role: PrincipalRole;
  readonly id: string;
  readonly certificate: IssuedCertificate;
}

export async function enrol(db: Db, request: { role: PrincipalRole; id: string; algorithm: KeyAlgorithm; passphrase: string | null }): Promise<Enrolment> {
  const mesh = requireMesh(db);
  if (readPrincipal(db, request.role, request.id)) {
    throw new Refused('already-enrolled', `${request.role} ${request.id} is already enrolled in mesh ${mesh.code}.`);
  }
  const issuer = issuerOf(db, mesh, request.passphrase);
  const { keys, certificate } = await enrolPrincipal({
    mesh: mesh.code,
    role: request.role,
    id: request.id,
    algorithm: request.algorithm,
    issuerCertificatePem: issuer.pem,
    issuerKeys: { privateKey: issuer.key, publicKey: new X509Certificate(issuer.pem).publicKey },
  });
  const now = new Date().toISOString();
  db.transaction(() => {
    storeCertificate(db, mesh.code, certificate, request.role, request.id, now);
    insertPrivateKey(db, certificate.sha256, exportPrivateKey(keys.privateKey, mesh.keysEncrypted ? request.passphrase : null), mesh.keysEncrypted);
    insertPrincipal(db, { role: request.role, id: request.id, certificateSha256: certificate.sha256, enrolledAt: now, revokedAt: null });
    appendToLog(db, { certificateSha256: mesh.issuerSha256, key: issuer.key }, [
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [certificate.sha256], detail: { role: request.role, principal: request.id, serial: certificate.serial } },
        why: { reasons: ['enrolled'] },
      },
    ]);
  })();
  return { role: request.role, id: request.id, certificate };
}

/** Revokes a principal and publishes a new CRL listing everything revoked so far. */
export async function revoke(db: Db, request: { role: PrincipalRole; id: string; passphrase: string | null }): Promise<{ crlNumber: number; revokedAt: string }> {
  const mesh = requireMesh(db);
  const principal = readPrincipal(db, request.role, request.id);
  if (!principal) throw new Refused('not-enrolled', `No ${request.role} ${request.id} is enrolled in mesh ${mesh.code}.`);
  if (principal.revokedAt) throw new Refused('already-revoked', `${request.role} ${request.id} was already revoked on ${principal.revokedAt}.`);
  const issuer = issuerOf(db, mesh, request.passphrase);
  const revokedAt = new Date();
  const revoked = [...revokedPrincipals(db), { serial: readCertificate(db, principal.certificateSha256)!.serial, revokedAt }];
  const crlPem = await issueCrl({
    issuerCertificatePem: issuer.pem,
    issuerKeys: { privateKey: issuer.key, publicKey: new X509Certificate(issuer.pem).publicKey },
    revocations: revoked,
    thisUpdate: revokedAt,
  });
  const number = (latestCrls(db).find((c) => c.issuerSha256 === mesh.issuerSha256)?.number ?? 0) + 1;
  db.transaction(() => {
    markPrincipalRevoked(db, request.role, request.id, revokedAt.toISOString());
    insertCrl(db, { issuerSha256: mesh.issuerSha256, number, thisUpdate: revokedAt.toISOString(), pem: crlPem });
    appendToLog(db, { certificateSha256: mesh.issuerSha256, key: issuer.key }, [
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [principal.certificateSha256], detail: { role: request.role, principal: request.id, crlNumber: number } },
        why: { reasons: ['revoked'] },
      },
    ]);
  })();
  return { crlNumber: number, revokedAt: revokedAt.toISOString() };
}

/**
 * The chain verifier for this mesh: its anchor, its CAs, and the newest CRL of each CA. A stored
 * CRL whose signature does not verify is not believed; it is listed in `refusedCrls`, so that
 * callers can refuse to sign (revocation state unknown) and `verify` can name it.
 */
export function loadChainVerifier(db: Db): ChainVerifier {
  const mesh = requireMesh(db);
  const anchor = readCertificate(db, mesh.anchorSha256)!;
  return new ChainVerifier({
    anchor: anchor.pem,
    intermediates: listCertificates(db, mesh.code, ['ca']).map((c) => c.pem),
    crls: latestCrls(db).map((c) => c.pem),
    mesh: mesh.code,
  });
}

/** A principal's private key, decrypted for one signing. */
export function principalKey(db: Db, certificateSha256: string, passphrase: string | null): KeyObject {
  const stored = readPrivateKey(db, certificateSha256);
  if (!stored) throw new Refused('no-private-key', 'This workspace does not hold the private key for that certificate.');
  return credential(() => importPrivateKey(stored.pkcs8Pem, stored.encrypted ? passphrase : null));
}

function issuerOf(db: Db, mesh: MeshRow, passphrase: string | null): { pem: string; key: KeyObject } {
  const certificate = readCertificate(db, mesh.issuerSha256)!;
  return { pem: certificate.pem, key: principalKey(db, mesh.issuerSha256, passphrase) };
}

function revokedPrincipals(db: Db): { serial: string; revokedAt: Date }[] {
  return (['device', 'operator', 'boundary-agent'] as const).flatMap((role) =>
    listPrincipalsRevoked(db, role).map((p) => ({ serial: readCertificate(db, p.certificateSha256)!.serial, revokedAt: new Date(p.revokedAt!) })),
  );
}

function listPrincipalsRevoked(db: Db, role: PrincipalRole) {
  return listPrincipals(db, role).filter((p) => p.revokedAt !== null);
}

function storeCertificate(db: Db, mesh: string, certificate: IssuedCertificate, role: 'root' | 'ca' | PrincipalRole, principal: string | null, now: string): void {
  insertCertificate(db, { ...certificate, mesh, role, principal, addedAt: now });
}

function parsePolicy(text: string): LabelPolicy {
  let json: unknown;
  try {
    json = readStrictJson(text, { maxBytes: 256 * 1024, maxDepth: 8 });
  } catch (error) {
    throw new Refused('malformed-policy', `The label policy file is not usable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = PolicyFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Refused('malformed-policy', `The label policy file is wrong at ${['policy', ...issue.path.map(String)].join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}

/** Runs a credential operation, turning its CredentialError into a refusal with the same reason. */
function credential<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CredentialError) throw new Refused(error.reason, error.message);
    throw error;
  }
}

