/**
 * The boundary agents part as the shells and the crossing pipeline see it: requests, certifying
 * partners' agents, installing partners' certificates, revoking what we issued, the list, and
 * the hello written and judged.
 */
import type { HelloVerdict } from '../../boundary/hello.js';
import type { AppContext } from '../context/operation.js';
import { certify, checkIncomingHello, helloFor, install, requestFor, revokeIssued, type HelloSigned, type IncomingHelloOptions, type Installed } from './agents-service.js';
import { agentsView, type AgentsView } from './agent-views.js';

export interface AgentsService {
  /** The PKCS#10 request (PEM) of one of this mesh's boundary agents, for a federation. */
  request(request: { agent: string; federation: string }): Promise<{ pem: string }>;
  /** This mesh's certificate for a partner's agent, from its request. */
  certify(request: { requestPem: string; federation: string }): Promise<{ pem: string; sha256: string; notAfter: string; agent: string; partner: string }>;
  /** Keeps a partner's certificate for one of our agents. */
  install(request: { certificatePem: string; intermediatesPem?: string }): Promise<Installed>;
  /** Revokes what this mesh issued to a partner's agent, and publishes a new CRL. */
  revoke(request: { partner: string; agent: string; federation?: string }): Promise<{ revoked: string[]; crlNumber: number; revokedAt: string }>;
  list(): AgentsView;
  /** A signed hello for the crossing pipeline to open a bundle with. */
  helloFor(request: { to: string; federation: string; agent?: string }): Promise<HelloSigned>;
  /** The verdict on a hello that arrived (its nonce remembered when accepted). */
  checkIncomingHello(envelope: unknown, now?: Date, options?: IncomingHelloOptions): HelloVerdict;
}

export function createAgentsService(context: AppContext): AgentsService {
  return {
    request: (request) => requestFor(context.writing(), request),
    certify: (request) => certify(context.writing(), request),
    install: (request) => install(context.writing(), request),
    revoke: (request) => revokeIssued(context.writing(), request),
    list: () => agentsView(context.reading()),
    helloFor: (request) => helloFor(context.writing(), request),
    checkIncomingHello: (envelope, now, options) => {
      const op = context.writing();
      return checkIncomingHello(op, envelope, now ?? op.clock.advance(op.write), options);
    },
  };
}
