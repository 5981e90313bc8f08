/**
 * The TLS side of a live link (decision 0006): TLS 1.3 only (RFC 8446), mutual, each side
 * presenting its boundary agent's home certificate and chain. Node's own chain check is off on
 * both sides because the anchor depends on who the peer turns out to be (the partner's, as the
 * federation's card names it): `peerCertificates` hands the chain the peer sent to our own check,
 * which runs after the handshake and before any frame is believed. The exporter value (RFC 8446
 * §7.5, RFC 5705) binds the signed hello to this one connection.
 */
import type { KeyObject } from 'node:crypto';
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';
import { Refused } from '../../common/refused.js';

export const CHANNEL_BINDING_LABEL = 'EXPORTER-entente-link-v1';
export const CHANNEL_BINDING_BYTES = 32;

export interface LinkIdentity {
  /** The agent's home key. */
  readonly key: KeyObject;
  /** The home leaf, then the mesh's CAs up to (not necessarily including) the root, PEM. */
  readonly chain: readonly string[];
}

function common(identity: LinkIdentity) {
  return {
    key: identity.key.export({ format: 'pem', type: 'pkcs8' }) as string,
    cert: identity.chain.join('\n'),
    minVersion: 'TLSv1.3' as const,
    maxVersion: 'TLSv1.3' as const,
  };
}

/** The listening side: a client certificate is required, and judged by us, not by node. */
export function serverTlsOptions(identity: LinkIdentity, handshakeTimeoutMs: number): TlsOptions {
  return { ...common(identity), requestCert: true, rejectUnauthorized: false, handshakeTimeout: handshakeTimeoutMs };
}

/** The connecting side: no host name check (agents are named by certificate, not by DNS), the chain judged by us. */
export function clientTlsOptions(identity: LinkIdentity, host: string, port: number): ConnectionOptions {
  return { ...common(identity), host, port, rejectUnauthorized: false, checkServerIdentity: () => undefined };
}

/** The exporter value both ends of this connection share, hex: the hello's nonce on a link. */
export function channelBinding(socket: TLSSocket): string {
  // No context: in TLS 1.3 an absent context and an empty one are the same (RFC 8446 §7.5).
  return socket.exportKeyingMaterial(CHANNEL_BINDING_BYTES, CHANNEL_BINDING_LABEL, Buffer.alloc(0)).toString('hex');
}

/** The certificates the peer presented, leaf first, as DER. @throws Refused 'no-peer-certificate' */
export function peerCertificates(socket: TLSSocket): { leaf: Buffer; intermediates: Buffer[] } {
  if (socket.getProtocol() !== 'TLSv1.3') throw new Refused('not-tls13', `The link was negotiated as ${socket.getProtocol() ?? 'nothing'}; only TLS 1.3 is spoken.`);
  const peer = socket.getPeerCertificate(true);
  if (!peer || !peer.raw) throw new Refused('no-peer-certificate', 'The peer presented no certificate: both ends of a link present their agent certificate.');
  const intermediates: Buffer[] = [];
  const seen = new Set<string>([peer.fingerprint256]);
  for (let next = peer.issuerCertificate; next && !seen.has(next.fingerprint256) && intermediates.length < 8; next = next.issuerCertificate) {
    seen.add(next.fingerprint256);
    intermediates.push(next.raw);
  }
  return { leaf: peer.raw, intermediates };
}
