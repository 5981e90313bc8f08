/**
 * This mesh's boundary agents as `entente agent list` (and the contract) show them: each agent's
 * home certificate status, the partner certificates it holds per federation with their expiry,
 * and the certificates this mesh issued to partners' agents. Statuses are computed now.
 */
import { listIssuedAgentCertificates, listPartnerCertificates } from '../../store/agent-store.js';
import { listPrincipals, readCertificate } from '../../store/mesh-store.js';
import type { ReadOperation } from '../context/operation.js';

export type CertificateStatus = 'active' | 'revoked' | 'expired' | 'not-yet-valid';

export interface AgentView {
  readonly id: string;
  readonly homeCertificateSha256: string;
  readonly status: CertificateStatus;
  readonly notAfter: string;
  readonly partnerCertificates: readonly { readonly partner: string; readonly federation: string; readonly sha256: string; readonly notAfter: string; readonly status: 'active' | 'expired'; readonly installedAt: string }[];
}

export interface IssuedAgentView {
  readonly partner: string;
  readonly agent: string;
  readonly federation: string;
  readonly sha256: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly revokedAt: string | null;
  readonly status: 'active' | 'revoked' | 'expired';
}

export interface AgentsView {
  readonly agents: readonly AgentView[];
  readonly issued: readonly IssuedAgentView[];
}

export function agentsView(op: ReadOperation): AgentsView {
  const now = op.clock.now().getTime();
  const agents = listPrincipals(op.read, 'boundary-agent').map((principal): AgentView => {
    const home = readCertificate(op.read, principal.certificateSha256)!;
    const status: CertificateStatus =
      principal.revokedAt !== null ? 'revoked' : now > Date.parse(home.notAfter) ? 'expired' : now < Date.parse(home.notBefore) ? 'not-yet-valid' : 'active';
    return {
      id: principal.id,
      homeCertificateSha256: principal.certificateSha256,
      status,
      notAfter: home.notAfter,
      partnerCertificates: listPartnerCertificates(op.read, { agent: principal.id }).map((c) => ({
        partner: c.partner,
        federation: c.federation,
        sha256: c.sha256,
        notAfter: c.notAfter,
        status: now > Date.parse(c.notAfter) ? 'expired' : 'active',
        installedAt: c.installedAt,
      })),
    };
  });
  const issued = listIssuedAgentCertificates(op.read).map(
    (c): IssuedAgentView => ({
      partner: c.partner,
      agent: c.agent,
      federation: c.federation,
      sha256: c.sha256,
      serial: c.serial,
      notAfter: c.notAfter,
      issuedAt: c.issuedAt,
      revokedAt: c.revokedAt,
      status: c.revokedAt !== null ? 'revoked' : now > Date.parse(c.notAfter) ? 'expired' : 'active',
    }),
  );
  return { agents, issued };
}
