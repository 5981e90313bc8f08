/**
 * A link client driven by hand after the opening: TLS with the home's agent identity, its signed
 * hello, the peer's hello taken. For tests that then send frames a real client never would.
 */
import { connect } from 'node:tls';
import { helloFor } from '../app/agents/agents-service.js';
import { linkAgent } from '../app/links/handshake.js';
import { channelBinding, clientTlsOptions, LinkChannel } from '../boundary/link/index.js';
import type { TestHome } from './test-homes.js';

export async function rawSession(h: TestHome, port: number, federation: string, to = 'NLD'): Promise<LinkChannel> {
  const op = h.context.writing();
  const socket = connect(clientTlsOptions((await linkAgent(op)).identity, '127.0.0.1', port));
  await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  const channel = new LinkChannel(socket, 5_000);
  channel.send({ type: 'hello', envelope: (await helloFor(op, { to, federation, nonce: channelBinding(socket) })).envelope });
  await channel.expect('hello');
  return channel;
}
