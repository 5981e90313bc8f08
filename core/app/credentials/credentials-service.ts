/**
 * The mesh's credentials over the store: enrolling and revoking principals, and the chain
 * verifier that checks them. Every change is written in one transaction with its log entry;
 * a refusal writes nothing.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { ChainVerifier, enrolPrincipal, issueCrl, type IssuedCertificate, type KeyAlgorithm, type PrincipalRole } from '../../credentials/index.js';
import { PolicyFile, type LabelPolicy } from '../../labels/index.js';
import { revokedIssuedAgentCertificates } from '../../store/agent-store.js';
import type { ReadDb } from '../../store/database.js';
import { insertCrl, insertPrincipal, insertPrivateKey, latestCrls, listPrincipals, markPrincipalRevoked, readCertificate, readPrincipal, type MeshRow } from '../../store/mesh-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { storeCertificate } from '../mesh/mesh-init.js';

export interface Enrolment {
  readonly role: PrincipalRole;
  readonly id: string;
  readonly certificate: IssuedCertificate;
}

export async function enrol(op: Operation, request: { role: PrincipalRole; id: string; algorithm: KeyAlgorithm }): Promise<Enrolment> {
  const { mesh } = op.mesh();
  const db = op.write;
  if (readPrincipal(db, request.role, request.id)) {
    throw new Refused('already-enrolled', `${request.role} ${request.id} is already enrolled in mesh ${mesh.code}.`);
  }
  const issuer = await issuerOf(op, mesh);
  const { keys, certificate } = await enrolPrincipal({
    mesh: mesh.code,
    role: request.role,
    id: request.id,
    algorithm: request.algorithm,
    issuerCertificatePem: issuer.pem,
    issuerKeys: { privateKey: issuer.key, publicKey: new X509Certificate(issuer.pem).publicKey },
  });
  const sealedKey = await op.keyring.seal(keys.privateKey, mesh.keysEncrypted);
  const log = await op.log();
  const now = op.clock.wall();
  db.transaction(() => {
    storeCertificate(db, mesh.code, certificate, request.role, request.id, now.toISOString());
    insertPrivateKey(db, certificate.sha256, sealedKey, mesh.keysEncrypted);
    insertPrincipal(db, { role: request.role, id: request.id, certificateSha256: certificate.sha256, enrolledAt: now.toISOString(), revokedAt: null });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [certificate.sha256], detail: { role: request.role, principal: request.id, serial: certificate.serial } },
        why: { reasons: ['enrolled'] },
      },
    ], now);
  })();
  return { role: request.role, id: request.id, certificate };
}

/** Revokes a principal and publishes a new CRL listing everything revoked so far. */
export async function revoke(op: Operation, request: { role: PrincipalRole; id: string }): Promise<{ crlNumber: number; revokedAt: string }> {
  const { mesh } = op.mesh();
  const db = op.write;
  const principal = readPrincipal(db, request.role, request.id);
  if (!principal) throw new Refused('not-enrolled', `No ${request.role} ${request.id} is enrolled in mesh ${mesh.code}.`);
  if (principal.revokedAt) throw new Refused('already-revoked', `${request.role} ${request.id} was already revoked on ${principal.revokedAt}.`);
  const revokedAt = op.clock.wall();
  const { pem: crlPem, number } = await issueMeshCrl(op, [{ serial: readCertificate(db, principal.certificateSha256)!.serial, revokedAt }], revokedAt);
  const log = await op.log();
  const loggedAt = op.clock.wall();
  db.transaction(() => {
    markPrincipalRevoked(db, request.role, request.id, revokedAt.toISOString());
    insertCrl(db, { issuerSha256: mesh.issuerSha256, number, thisUpdate: revokedAt.toISOString(), pem: crlPem });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [principal.certificateSha256], detail: { role: request.role, principal: request.id, crlNumber: number } },
        why: { reasons: ['revoked'] },
      },
    ], loggedAt);
  })();
  return { crlNumber: number, revokedAt: revokedAt.toISOString() };
}

/**
 * The chain verifier for this mesh: its anchor, its CAs, and the newest CRL of each CA. A stored
 * CRL whose signature does not verify is not believed; it is listed in `refusedCrls`, so that
 * callers can refuse to sign (revocation state unknown) and `verify` can name it.
 */
export function loadChainVerifier(op: ReadOperation, options: { anyMesh?: boolean } = {}): ChainVerifier {
  const { mesh, anchorPem, caPems } = op.mesh();
  // anyMesh: the boundary-agent certificates this mesh issues to partners' agents name their home mesh.
  return new ChainVerifier({ anchor: anchorPem, intermediates: [...caPems], crls: latestCrls(op.read).map((c) => c.pem), ...(options.anyMesh ? {} : { mesh: mesh.code }) });
}

/**
 * A new CRL of the mesh's issuing CA listing everything revoked so far — principals, and the
 * boundary-agent certificates issued to partners' agents — plus `also`, and its number. The
 * caller stores it (`insertCrl`) in the transaction that records the revocation.
 */
export async function issueMeshCrl(op: Operation, also: readonly { serial: string; revokedAt: Date }[], thisUpdate: Date): Promise<{ pem: string; number: number }> {
  const { mesh } = op.mesh();
  const issuer = await issuerOf(op, mesh);
  const issued = revokedIssuedAgentCertificates(op.read).map((c) => ({ serial: c.serial, revokedAt: new Date(c.revokedAt) }));
  const pem = await issueCrl({
    issuerCertificatePem: issuer.pem,
    issuerKeys: { privateKey: issuer.key, publicKey: new X509Certificate(issuer.pem).publicKey },
    revocations: [...revokedPrincipals(op.read), ...issued, ...also],
    thisUpdate,
  });
  return { pem, number: (latestCrls(op.read).find((c) => c.issuerSha256 === mesh.issuerSha256)?.number ?? 0) + 1 };
}

export function labelPolicyOf(mesh: MeshRow): LabelPolicy {
  return PolicyFile.parse(JSON.parse(mesh.labelPolicy));
}

async function issuerOf(op: Operation, mesh: MeshRow): Promise<{ pem: string; key: KeyObject }> {
  const certificate = readCertificate(op.read, mesh.issuerSha256)!;
  return { pem: certificate.pem, key: await op.keyring.key(mesh.issuerSha256) };
}

function revokedPrincipals(db: ReadDb): { serial: string; revokedAt: Date }[] {
  return (['device', 'operator', 'boundary-agent'] as const).flatMap((role) =>
    listPrincipals(db, role)
      .filter((p) => p.revokedAt !== null)
      .map((p) => ({ serial: readCertificate(db, p.certificateSha256)!.serial, revokedAt: new Date(p.revokedAt!) })),
  );
}
