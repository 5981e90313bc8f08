/**
 * The partner-side boundary-agent certificate (decision 0005): this mesh's issuing CA certifies
 * another mesh's agent for the key its verified request proved it holds, bound to one federation
 * and never outliving it. And reading one back: which agent of which home mesh, under which
 * federations.
 */
import { Refused } from '../common/refused.js';
import { bytesFor, x509 } from '../credentials/crypto-provider.js';
import { CredentialError, issueCrossCertificate, parseFederationUri, parsePrincipalUri, ROLE_OIDS, type IssuedCertificate, type IssuerInput, type ParsedCertificate } from '../credentials/index.js';
import type { AgentRequest } from './agent-request.js';

export interface AgentCertificateOptions {
  /** The federation's `validity.expires`: the certificate ends there at the latest. */
  readonly federationExpires: Date;
  /** When it starts (now). */
  readonly notBefore: Date;
}

/**
 * Issues the certificate; its window is cut to the federation's expiry here and to the issuing
 * CA's own window by the signing code. @throws Refused 'federation-inactive' when nothing is left.
 */
export async function issueAgentCertificate(request: AgentRequest, issuer: IssuerInput, options: AgentCertificateOptions): Promise<IssuedCertificate> {
  if (options.federationExpires.getTime() <= options.notBefore.getTime()) {
    throw new Refused('federation-inactive', `Federation ${request.federation} expires at ${options.federationExpires.toISOString()}: no certificate can be issued under it now.`);
  }
  try {
    return await issueCrossCertificate({
      ...issuer,
      homeMesh: request.homeMesh,
      id: request.agentId,
      federation: request.federation,
      subjectPublicKey: request.publicKey,
      validity: { notBefore: options.notBefore, notAfter: options.federationExpires },
    });
  } catch (error) {
    if (error instanceof CredentialError) throw new Refused(error.reason, error.message);
    throw error;
  }
}

export interface AgentCertificateNames {
  readonly homeMesh: string;
  readonly agentId: string;
  readonly federations: string[];
}

/**
 * Who a boundary-agent certificate speaks for: its boundary-agent EKU, its one agent URI, and
 * the federation URIs beside it. A home certificate names no federation (an empty list).
 *
 * @throws Refused 'not-an-agent-certificate' for any other certificate
 */
export function readAgentCertificate(certificate: ParsedCertificate): AgentCertificateNames {
  if (!certificate.extendedKeyUsages?.has(ROLE_OIDS['boundary-agent'])) {
    throw new Refused('not-an-agent-certificate', `The certificate (${certificate.subject}) is not a boundary-agent certificate: it lacks that extended key usage.`);
  }
  const uris = sanUris(certificate);
  const agents = uris.map(parsePrincipalUri).filter((p) => p !== undefined);
  if (agents.length !== 1 || agents[0]!.role !== 'boundary-agent') {
    throw new Refused('not-an-agent-certificate', `The certificate (${certificate.subject}) must name exactly one boundary agent in its subject alternative name.`);
  }
  const federations = [...new Set(uris.map(parseFederationUri).filter((f) => f !== undefined))].sort();
  return { homeMesh: agents[0]!.mesh, agentId: agents[0]!.id, federations };
}

/** The SAN's URIs (RFC 5280 §4.2.1.6); the certificate's parsed values keep only the first principal. */
function sanUris(certificate: ParsedCertificate): string[] {
  try {
    const san = new x509.X509Certificate(bytesFor(certificate.der)).getExtension(x509.SubjectAlternativeNameExtension);
    return san ? san.names.items.filter((name) => name.type === 'url').map((name) => name.value) : [];
  } catch {
    throw new Refused('not-an-agent-certificate', `The subject alternative name of ${certificate.subject} cannot be read.`);
  }
}
