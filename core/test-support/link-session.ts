/**
 * A link client driven by hand after the opening: TLS with the home's agent identity, its signed
 * hello, the peer's hello taken. For tests that then send frames a real client never would.
 */
import { connect } from 'node:tls';
import { helloFor } from '../app/agents/agents-service.js';
import { linkAgent } from '../app/links/handshake.js';
import { channelBinding, clientTlsOptions, LinkChannel, type LinkIdentity } from '../boundary/link/index.js';
import type { PrincipalRole } from '../credentials/index.js';
import { readCertificate, readPrincipal } from '../store/mesh-store.js';
import type { TestHome } from './test-homes.js';

/** What TLS would present for any principal of the home (a device, an agent never certified by a partner…): its certificate, the mesh's CAs, its key. */
export async function identityOf(h: TestHome, role: PrincipalRole, id: string): Promise<LinkIdentity> {
  const principal = readPrincipal(h.db, role, id)!;
  const key = await h.context.writing().keyring.key(principal.certificateSha256);
  return { key, chain: [readCertificate(h.db, principal.certificateSha256)!.pem, ...h.context.reading().mesh().caPems] };
}

export async function rawSession(h: TestHome, port: number, federation: string, to = 'NLD'): Promise<LinkChannel> {
  const op = h.context.writing();
  const socket = connect(clientTlsOptions((await linkAgent(op)).identity, '127.0.0.1', port));
  await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  const channel = new LinkChannel(socket, 5_000);
  channel.send({ type: 'hello', envelope: (await helloFor(op, { to, federation, nonce: channelBinding(socket) })).envelope });
  await channel.expect('hello');
  return channel;
}

/** The reason a link ends with on this channel: the peer's `refused` frame, or the channel's own refusal (a timeout, a close). */
export async function refusalOf(channel: LinkChannel): Promise<string> {
  for (;;) {
    const message = await channel.next().catch((e: { reason: string }) => ({ type: 'error', reason: e.reason }) as const);
    if (message.type === 'refused' || message.type === 'error') return message.reason;
  }
}
