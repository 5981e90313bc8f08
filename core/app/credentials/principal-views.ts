/**
 * The mesh's enrolled principals as the console and `entente device list` show them, each
 * certificate's status computed now (revoked, expired, not yet valid). The shape
 * is the contract's (listPrincipals), owned here so the app never imports the api.
 */
import { X509Certificate } from 'node:crypto';
import { listPrincipals, readCertificate, type PrincipalRole } from '../../store/mesh-store.js';
import type { ReadOperation } from '../context/operation.js';

export interface PrincipalView {
  readonly role: PrincipalRole;
  readonly id: string;
  readonly certificateSha256: string;
  readonly algorithm: 'Ed25519' | 'P-256';
  readonly status: 'active' | 'revoked' | 'expired' | 'not-yet-valid';
  readonly notBefore: string;
  readonly notAfter: string;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
}

export function principals(op: ReadOperation, roles: readonly PrincipalRole[]): PrincipalView[] {
  const now = op.clock.wall();
  return roles.flatMap((role) =>
    listPrincipals(op.read, role).map((principal): PrincipalView => {
      const certificate = readCertificate(op.read, principal.certificateSha256);
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

function statusAt(now: Date, notBefore: string, notAfter: string, revokedAt: string | null): PrincipalView['status'] {
  if (revokedAt !== null) return 'revoked';
  if (now.getTime() > Date.parse(notAfter)) return 'expired';
  if (now.getTime() < Date.parse(notBefore)) return 'not-yet-valid';
  return 'active';
}
