/**
 * The opening of a live link (decision 0006 "The link"): after TLS 1.3, our own check of the
 * certificate the peer presented — a boundary agent of a partner mesh, chaining to that partner's
 * anchor as the federation's card names it — before any frame is believed; then the signed hellos
 * both ways, each bound to this connection by its nonce, the TLS exporter value, and its home leaf
 * the one TLS saw. A hello copied from another connection carries another connection's exporter:
 * `replayed-hello`. Everything else is checkIncomingHello's (0005 "Discovery").
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { HelloAccepted } from '../../boundary/hello.js';
import { channelBinding, peerCertificates, type LinkChannel, type LinkIdentity } from '../../boundary/link/index.js';
import { Refused } from '../../common/refused.js';
import { parseCertificate, type ParsedCertificate } from '../../credentials/index.js';
import { listPartnerCertificates } from '../../store/agent-store.js';
import { readCertificate, readPrincipal } from '../../store/mesh-store.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { checkIncomingHello, helloFor, judgeIncomingHello } from '../agents/agents-service.js';
import { partnerChains } from '../federations/partner-chains.js';

/** Handshake and hellos within this long of the connection (0006 "Bounds"). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface LinkAgent {
  readonly id: string;
  readonly identity: LinkIdentity;
}

/**
 * The agent that speaks for this mesh on links: the one named, or the first unrevoked boundary
 * agent holding a partner's certificate. Its home certificate and key are what TLS presents.
 */
export async function linkAgent(op: Operation, agent?: string): Promise<LinkAgent> {
  const { mesh, caPems } = op.mesh();
  const ids = agent ? [agent] : [...new Set(listPartnerCertificates(op.read).map((c) => c.agent))].sort();
  for (const id of ids) {
    const principal = readPrincipal(op.read, 'boundary-agent', id);
    if (!principal || principal.revokedAt) continue;
    const leaf = readCertificate(op.read, principal.certificateSha256)!.pem;
    const key = await op.keyring.key(principal.certificateSha256);
    return { id, identity: { key, chain: [leaf, ...caPems] } };
  }
  throw new Refused('no-certified-agent', `No unrevoked boundary agent of ${mesh.code}${agent ? ` named ${agent}` : ''} holds a partner's certificate: run \`entente agent request\` and have the partner certify it.`);
}

export interface PeerAgent {
  /** The partner mesh and agent the TLS certificate names. */
  readonly mesh: string;
  readonly agent: string;
  readonly leaf: ParsedCertificate;
}

/**
 * Our own check of the TLS peer's certificate, before any frame: it names a boundary agent of a
 * partner mesh and chains to that partner's anchor (with the partner's CRLs held here).
 * @throws Refused 'unknown-agent' | 'not-a-partner' | 'agent-revoked' | 'no-peer-certificate' | 'not-tls13'
 */
export function checkPeerCertificate(op: ReadOperation, socket: TLSSocket, now: Date): PeerAgent {
  const { leaf: der, intermediates } = peerCertificates(socket);
  let leaf: ParsedCertificate;
  try {
    leaf = parseCertificate(der);
  } catch {
    throw new Refused('unknown-agent', 'The certificate the peer presented cannot be read.');
  }
  const principal = leaf.principal;
  if (!principal || principal.role !== 'boundary-agent') {
    throw new Refused('unknown-agent', `The peer's certificate (${leaf.subject.slice(0, 120)}) names no boundary agent: only boundary agents hold links.`);
  }
  const own = op.mesh().mesh.code;
  const verifier = principal.mesh === own ? undefined : partnerChains(op.read)(principal.mesh);
  if (!verifier) throw new Refused('not-a-partner', `The peer's certificate names an agent of ${principal.mesh}, which is no partner of ${own} in any federation held here.`);
  for (const pem of intermediates) {
    try {
      verifier.addIntermediate(parseCertificate(pem));
    } catch {
      /* an unreadable extra certificate adds nothing to the path */
    }
  }
  const chain = verifier.verify(leaf, { role: 'boundary-agent', id: principal.id, at: now, admittedAt: now });
  if (!chain.ok) {
    if (chain.reason === 'revoked') throw new Refused('agent-revoked', `${principal.mesh} revoked boundary agent ${principal.id}: ${chain.message}`);
    throw new Refused('unknown-agent', `The peer's certificate is not one of ${principal.mesh}'s boundary agents (${chain.reason}): ${chain.message}`);
  }
  return { mesh: principal.mesh, agent: principal.id, leaf };
}

export interface LinkSession {
  /** SHA-256 of the exporter value: the session's name where a bundle digest would stand (`crossings.bundle`). */
  readonly session: string;
  readonly nonce: string;
  readonly peer: PeerAgent;
  readonly hello: HelloAccepted;
  /** The peer's signed hello as it came: judged again on every round of a long-lived link. */
  readonly envelope: unknown;
  /** Our agent on this link: its principal is looked up again on every round (a revocation here ends the link). */
  readonly agent: string;
  readonly federation: { readonly id: string; readonly version: number; readonly digest: string };
  /** Our agent's key, which signed our hello and signs our convergence statement. */
  readonly signer: { readonly key: KeyObject; readonly keyid: string };
}

export function sessionOf(nonce: string): string {
  return createHash('sha256').update(`entente-link-session:${nonce}`).digest('hex');
}

/** Judges the peer's hello: the store's verdict, then the two bindings to this connection. @throws Refused with the hello's reason */
export function acceptHello(op: Operation, envelope: unknown, peer: PeerAgent, nonce: string, now: Date): HelloAccepted {
  const verdict = checkIncomingHello(op, envelope, now, { bundle: sessionOf(nonce) });
  if (!verdict.ok) throw new Refused(verdict.reason, verdict.message);
  if (verdict.nonce !== nonce) {
    throw new Refused('replayed-hello', `The hello's nonce ${verdict.nonce.slice(0, 16)}… is not this connection's exporter value: a hello from another connection, replayed.`);
  }
  if (verdict.homeCertificateSha256 !== peer.leaf.sha256) {
    throw new Refused('unknown-agent', `The hello is signed for home certificate ${verdict.homeCertificateSha256.slice(0, 16)}…, not the ${peer.leaf.sha256.slice(0, 16)}… the TLS peer presented.`);
  }
  return verdict;
}

/**
 * The initiating side: checks the server's certificate, sends our hello for `federation`, judges
 * the server's. The server answers a refusal with a `refused` frame, thrown here with its reason.
 */
export async function openAsClient(op: Operation, socket: TLSSocket, channel: LinkChannel, request: { federation: (partner: string) => string; agent?: string }, now: Date): Promise<LinkSession> {
  const peer = checkPeerCertificate(op, socket, now);
  const federation = request.federation(peer.mesh);
  const nonce = channelBinding(socket);
  const ours = await helloFor(op, { to: peer.mesh, federation, nonce, ...(request.agent ? { agent: request.agent } : {}) });
  channel.send({ type: 'hello', envelope: ours.envelope });
  const theirs = await channel.expect('hello', HANDSHAKE_TIMEOUT_MS);
  const hello = acceptHello(op, theirs.envelope, peer, nonce, now);
  if (hello.federation.id !== federation) throw new Refused('federation-mismatch', `The peer answered under ${hello.federation.id}, not ${federation}.`);
  return { session: sessionOf(nonce), nonce, peer, hello, envelope: theirs.envelope, agent: ours.agent, federation: hello.federation, signer: ours.signer };
}

/** The listening side: checks the client's certificate and hello, then answers with ours under the same federation. */
export async function openAsServer(op: Operation, socket: TLSSocket, channel: LinkChannel, options: { federation?: string; agent?: string; helloTimeoutMs?: number }, now: Date): Promise<LinkSession> {
  const peer = checkPeerCertificate(op, socket, now);
  const nonce = channelBinding(socket);
  const theirs = await channel.expect('hello', options.helloTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
  const hello = acceptHello(op, theirs.envelope, peer, nonce, now);
  if (options.federation && hello.federation.id !== options.federation) {
    throw new Refused('no-federation', `This agent serves links under ${options.federation}, not ${hello.federation.id}.`);
  }
  const ours = await helloFor(op, { to: peer.mesh, federation: hello.federation.id, nonce, ...(options.agent ? { agent: options.agent } : {}) });
  channel.send({ type: 'hello', envelope: ours.envelope });
  return { session: sessionOf(nonce), nonce, peer, hello, envelope: theirs.envelope, agent: ours.agent, federation: hello.federation, signer: ours.signer };
}

/**
 * What the opening checked, checked again at `now` on a link that stays up (0006 "Rounds"): the
 * TLS peer's certificate (validity, the partner's CRLs held now), the peer's hello (the partner
 * certificate we issued still unrevoked, the federation version still the one in force), and
 * our own agent still unrevoked. A credential revoked mid-session ends the link here, at the
 * next round, with the reason the opening would have given.
 * @throws Refused 'agent-revoked' | 'unknown-agent' | 'federation-mismatch' | …
 */
export function recheckLink(op: Operation, socket: TLSSocket, link: LinkSession, now: Date): void {
  const own = readPrincipal(op.read, 'boundary-agent', link.agent);
  if (!own || own.revokedAt) throw new Refused('agent-revoked', `This mesh's boundary agent ${link.agent} was revoked${own?.revokedAt ? ` on ${own.revokedAt}` : ''}: the link ends.`);
  const peer = checkPeerCertificate(op, socket, now);
  if (peer.leaf.sha256 !== link.peer.leaf.sha256) throw new Refused('unknown-agent', 'The TLS peer certificate changed within the link.');
  const verdict = judgeIncomingHello(op, link.envelope, now);
  if (!verdict.ok) throw new Refused(verdict.reason, `The peer's hello no longer stands: ${verdict.message}`);
  if (verdict.federation.version !== link.federation.version || verdict.federation.digest !== link.federation.digest) {
    throw new Refused('federation-mismatch', `Version ${verdict.federation.version} of ${link.federation.id} is in force now; the link was opened under version ${link.federation.version}.`);
  }
}
