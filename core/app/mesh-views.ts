/**
 * What the console and `entente status` show of the mesh: its identity and its enrolled
 * principals with each certificate's status computed now (revoked, expired, not yet valid).
 */
import { X509Certificate } from 'node:crypto';
import type { MethodResult } from '../api/contract.js';
import { listPrincipals, readCertificate, readMesh, type PrincipalRole } from '../store/mesh-store.js';
import type { WriteDb as Db } from '../store/database.js';

type Principal = MethodResult<'listPrincipals'>['principals'][number];

export function meshIdentity(db: Db): MethodResult<'getMeshIdentity'> {
  const mesh = readMesh(db);
  if (!mesh) return { mesh: null };
  return {
    mesh: {
      code: mesh.code,
      displayName: mesh.displayName,
      trustAnchorSha256: mesh.anchorSha256,
      issuerSha256: mesh.issuerSha256,
      keysEncrypted: mesh.keysEncrypted,
      labelPolicy: policyIdOf(mesh.labelPolicy),
      createdAt: mesh.createdAt,
    },
  };
}

export function principals(db: Db, roles: readonly PrincipalRole[], now = new Date()): Principal[] {
  return roles.flatMap((role) =>
    listPrincipals(db, role).map((principal): Principal => {
      const certificate = readCertificate(db, principal.certificateSha256);
      if (!certificate) throw new Error(`the store lost certificate ${principal.certificateSha256} of ${role} ${principal.id}`);
      const keyType = new X509Certificate(certificate.pem).publicKey.asymmetricKeyType;
      return {
        role,
        id: principal.id,
        certificateSha256: principal.certificateSha256,
        algorithm: keyType === 'ed25519' ? 'Ed25519' : 'P-256',
        status: statusAt(now, certificate.notBefore, certificate.notAfter, principal.revokedAt),
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
        enrolledAt: principal.enrolledAt,
        revokedAt: principal.revokedAt,
      };
    }),
  );
}

function statusAt(now: Date, notBefore: string, notAfter: string, revokedAt: string | null): Principal['status'] {
  if (revokedAt !== null) return 'revoked';
  if (now.getTime() > Date.parse(notAfter)) return 'expired';
  if (now.getTime() < Date.parse(notBefore)) return 'not-yet-valid';
  return 'active';
}

function policyIdOf(policyJson: string): string {
  const parsed = JSON.parse(policyJson) as { id?: unknown };
  return typeof parsed.id === 'string' ? parsed.id : 'unnamed policy';
}
