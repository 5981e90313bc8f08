/** The credentials part as the shells see it: enrolling, revoking, listing principals, the chain verifier. */
import type { ChainVerifier, KeyAlgorithm, PrincipalRole } from '../../credentials/index.js';
import type { AppContext } from '../context/operation.js';
import { enrol, loadChainVerifier, revoke, type Enrolment } from './credentials-service.js';
import { principals, type PrincipalView } from './principal-views.js';

export interface CredentialsService {
  enrol(request: { role: PrincipalRole; id: string; algorithm: KeyAlgorithm }): Promise<Enrolment>;
  revoke(request: { role: PrincipalRole; id: string }): Promise<{ crlNumber: number; revokedAt: string }>;
  principals(roles: readonly PrincipalRole[]): PrincipalView[];
  chainVerifier(): ChainVerifier;
}

export function createCredentialsService(context: AppContext): CredentialsService {
  return {
    enrol: (request) => enrol(context.writing(), request),
    revoke: (request) => revoke(context.writing(), request),
    principals: (roles) => principals(context.reading(), roles),
    chainVerifier: () => loadChainVerifier(context.reading()),
  };
}
