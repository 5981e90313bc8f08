/** The credentials part as the shells see it: enrolling, revoking, listing principals, the chain verifier. */
import type { ChainVerifier, KeyAlgorithm, PrincipalRole } from '../../credentials/index.js';
import type { AppContext } from '../context/operation.js';
import { enrol, loadChainVerifier, revoke, type Enrolment } from './credentials-service.js';
import { principals, type PrincipalView } from './principal-views.js';

export interface CredentialsService {
  enrol(request: { role: PrincipalRole; id: string; algorithm: KeyAlgorithm }): Promise<Enrolment>;
  /** `compromisedAt`: the RFC 5280 §5.3.2 invalidity date the CRL entry states (reasonCode keyCompromise). */
  revoke(request: { role: PrincipalRole; id: string; compromisedAt?: Date }): Promise<{ crlNumber: number; revokedAt: string; compromisedAt: string | null }>;
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
