/**
 * The mesh's credentials over the store: enrolling and revoking principals, and the chain
 * verifier that checks them. Every change is written in one transaction with its log entry;
 * a refusal writes nothing.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { ChainVerifier, enrolPrincipal, issueCrl, normaliseSerial, parseCrl, type IssuedCertificate, type KeyAlgorithm, type PrincipalRole, type Revocation } from '../../credentials/index.js';
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
    // Valid from the workspace's clock, as the enrolment is logged at it.
    validity: { notBefore: op.clock.wall() },
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

/**
 * Revokes a principal and publishes a new CRL listing everything revoked so far. With
 * `compromisedAt`, the entry carries it as the invalidity date (RFC 5280 §5.3.2: when the key
 * is known or suspected to have been compromised) with reasonCode keyCompromise (§5.3.1), so
 * what was signed with the key since then is untrustworthy too, here and at every partner the
 * CRL reaches.
 */
export async function revoke(op: Operation, request: { role: PrincipalRole; id: string; compromisedAt?: Date }): Promise<{ crlNumber: number; revokedAt: string; compromisedAt: string | null }> {
  const { mesh } = op.mesh();
  const db = op.write;
  const principal = readPrincipal(db, request.role, request.id);
  if (!principal) throw new Refused('not-enrolled', `No ${request.role} ${request.id} is enrolled in mesh ${mesh.code}.`);
  if (principal.revokedAt) throw new Refused('already-revoked', `${request.role} ${request.id} was already revoked on ${principal.revokedAt}.`);
  const revokedAt = op.clock.wall();
  // A CRL states times to the second (§5.1.2.6, §4.1.2.5): the compromise is stated as the second it fell in.
  const compromisedAt = request.compromisedAt && new Date(Math.floor(request.compromisedAt.getTime() / 1000) * 1000);
  if (compromisedAt && !(compromisedAt.getTime() <= revokedAt.getTime())) {
    throw new Refused('compromise-in-future', `The compromise time ${compromisedAt.toISOString()} is after now (${revokedAt.toISOString()}); state when the key was, or may have been, compromised.`);
  }
  const certificate = readCertificate(db, principal.certificateSha256)!;
  const entry = { serial: certificate.serial, revokedAt, ...(compromisedAt ? { invalidSince: compromisedAt, reason: 'keyCompromise' as const } : {}) };
  const { pem: crlPem, number } = await issueMeshCrl(op, [entry], revokedAt);
  const log = await op.log();
  const loggedAt = op.clock.wall();
  db.transaction(() => {
    markPrincipalRevoked(db, request.role, request.id, revokedAt.toISOString());
    insertCrl(db, { issuerSha256: mesh.issuerSha256, number, thisUpdate: revokedAt.toISOString(), pem: crlPem });
    log.append([
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [principal.certificateSha256], detail: { role: request.role, principal: request.id, crlNumber: number, ...(compromisedAt ? { compromisedAt: compromisedAt.toISOString() } : {}) } },
        why: { reasons: compromisedAt ? ['revoked', 'key-compromise'] : ['revoked'] },
      },
    ], loggedAt);
  })();
  return { crlNumber: number, revokedAt: revokedAt.toISOString(), compromisedAt: compromisedAt?.toISOString() ?? null };
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
export async function issueMeshCrl(op: Operation, also: readonly Revocation[], thisUpdate: Date): Promise<{ pem: string; number: number }> {
  const { mesh } = op.mesh();
  const issuer = await issuerOf(op, mesh);
  const issued = revokedIssuedAgentCertificates(op.read).map((c) => ({ serial: c.serial, revokedAt: new Date(c.revokedAt) }));
  const pem = await issueCrl({
    issuerCertificatePem: issuer.pem,
    issuerKeys: { privateKey: issuer.key, publicKey: new X509Certificate(issuer.pem).publicKey },
    revocations: [...revokedPrincipals(op.read, mesh.issuerSha256), ...issued, ...also],
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

function revokedPrincipals(db: ReadDb, issuerSha256: string): Revocation[] {
  // A stated compromise (the invalidity date) is kept only in the CRL that first carried it:
  // each new CRL carries it on, read back from the newest one.
  const latest = latestCrls(db).find((c) => c.issuerSha256 === issuerSha256);
  const untrustedFrom = latest ? parseCrl(latest.pem).revoked : new Map<string, number>();
  return (['device', 'operator', 'boundary-agent'] as const).flatMap((role) =>
    listPrincipals(db, role)
      .filter((p) => p.revokedAt !== null)
      .map((p) => {
        const serial = readCertificate(db, p.certificateSha256)!.serial;
        const revokedAt = new Date(p.revokedAt!);
        const since = untrustedFrom.get(normaliseSerial(serial));
        // The CRL holds the revocation to the second; only an earlier time is a stated compromise.
        return since !== undefined && since < Math.floor(revokedAt.getTime() / 1000) * 1000 ? { serial, revokedAt, invalidSince: new Date(since), reason: 'keyCompromise' as const } : { serial, revokedAt };
      }),
  );
}
