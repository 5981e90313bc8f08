/**
 * What the boundary board shows of the agents' credentials (issue 16, "Boundaries"): per partner
 * and federation, the certificates partners issued to this mesh's agents (ours, installed) and
 * the ones this mesh issued to the partners' agents (theirs), each with its expiry and whether it
 * was revoked — the dates an officer must renew before the link stops (decision 0006, "Agents").
 */
import { listIssuedAgentCertificates, listPartnerCertificates } from '../../store/agent-store.js';
import type { AppContext } from '../context/operation.js';

export interface BoundaryCredential {
  readonly partner: string;
  readonly federation: string;
  /** MESH:agent-id */
  readonly agent: string;
  /** ours: a partner's certificate for one of this mesh's agents; theirs: this mesh's certificate for a partner's agent. */
  readonly holder: 'ours' | 'theirs';
  readonly sha256: string;
  readonly notAfter: string;
  readonly revokedAt: string | null;
}

export interface BoundaryService {
  credentials(filter?: { partner?: string }): BoundaryCredential[];
}

export function createBoundaryService(context: AppContext): BoundaryService {
  return {
    credentials: (filter = {}) => {
      const op = context.reading();
      if (!op.hasMesh()) return [];
      const own = op.mesh().mesh.code;
      const ours = listPartnerCertificates(op.read, filter.partner ? { partner: filter.partner } : {}).map((row): BoundaryCredential => ({
        partner: row.partner, federation: row.federation, agent: `${own}:${row.agent}`, holder: 'ours', sha256: row.sha256, notAfter: row.notAfter, revokedAt: null,
      }));
      const theirs = listIssuedAgentCertificates(op.read, filter.partner ? { partner: filter.partner } : {}).map((row): BoundaryCredential => ({
        partner: row.partner, federation: row.federation, agent: `${row.partner}:${row.agent}`, holder: 'theirs', sha256: row.sha256, notAfter: row.notAfter, revokedAt: row.revokedAt,
      }));
      return [...ours, ...theirs].sort((a, b) => a.partner.localeCompare(b.partner) || a.notAfter.localeCompare(b.notAfter));
    },
  };
}
