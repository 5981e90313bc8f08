/**
 * What a link refuses (decision 0006), each at the handshake or at the frame it breaks, with an
 * integrity event (`link-refused`, the reason in its evidence) and the server still serving
 * afterwards: a device certificate of the right mesh, a hello bound to another connection (a
 * replay), a hello under another federation version, a partner certificate another mesh issued,
 * a client that does not speak TLS, one that says nothing, malformed and oversized frames, and a
 * reconciliation that never ends.
 */
import { connect as connectTcp } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { signHello, type HelloBody } from '../../boundary/hello.js';
import { channelBinding, clientTlsOptions, encodeFrame, LinkChannel, type LinkIdentity } from '../../boundary/link/index.js';
import { payloadOf } from '../../crypto/dsse.js';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { identityOf, refusalOf } from '../../test-support/link-session.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { helloFor } from '../agents/agents-service.js';
import { linkAgent } from './handshake.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-hostile-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serving(h: TestHome, timeouts?: { handshakeMs?: number; frameMs?: number }) {
  const refused: string[] = [];
  const server = await h.links.serve({ port: 0, ...(timeouts ? { timeouts } : {}), onRefused: (r) => refused.push(r.reason) });
  servers.push(server);
  return { server, refused };
}

/** A TLS client presenting `identity`, with the link's channel over it. */
async function rawClient(port: number, identity: LinkIdentity): Promise<{ socket: TLSSocket; channel: LinkChannel; nonce: string }> {
  const socket = connect(clientTlsOptions(identity, '127.0.0.1', port));
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  return { socket, channel: new LinkChannel(socket, 5_000), nonce: channelBinding(socket) };
}

async function agentIdentity(h: TestHome): Promise<LinkIdentity> {
  return (await linkAgent(h.context.writing())).identity;
}


const linkRefusals = (h: TestHome) => h.integrity.list({ kind: 'link-refused', limit: 50 }).events.map((e) => (e.evidence as { reason: string }).reason);

/** Re-signs DEU's hello with a change, under the agent's own key (only the content is wrong). */
async function alteredHello(deu: TestHome, nonce: string, change: (body: HelloBody) => HelloBody, federation: string) {
  const op = deu.context.writing();
  const signed = await helloFor(op, { to: 'NLD', federation, nonce });
  const body = change(JSON.parse(payloadOf(signed.envelope).toString('utf8')) as HelloBody);
  return signHello(body, signed.signer.key, signed.signer.keyid);
}

describe('live links refuse', () => {
  it('a device certificate of the right mesh, a replayed hello, another version, a non-TLS client — and keep serving', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    await deu!.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: nationalLabel('DEU', 'GEHEIM'), payloadText: '{}', derivedFrom: [], derivation: null });
    const { server, refused } = await serving(nld!);

    // A device of DEU: a valid certificate of the right mesh, but no boundary agent.
    const device = await rawClient(server.port, await identityOf(deu!, 'device', 'sensor-1'));
    expect(await refusalOf(device.channel)).toBe('unknown-agent');

    // A hello signed for one connection, replayed on another.
    const first = await rawClient(server.port, await agentIdentity(deu!));
    const hello = (await helloFor(deu!.context.writing(), { to: 'NLD', federation: id, nonce: first.nonce })).envelope;
    const second = await rawClient(server.port, await agentIdentity(deu!));
    second.channel.send({ type: 'hello', envelope: hello });
    expect(await refusalOf(second.channel)).toBe('replayed-hello');
    first.socket.destroy();

    // Another federation version (the agent's own signature, the content not the one in force).
    const third = await rawClient(server.port, await agentIdentity(deu!));
    third.channel.send({ type: 'hello', envelope: await alteredHello(deu!, third.nonce, (b) => ({ ...b, federation: { ...b.federation, version: b.federation.version + 1 } }), id) });
    expect(await refusalOf(third.channel)).toBe('federation-mismatch');

    // Plain TCP on the TLS port.
    await new Promise<void>((resolve) => {
      const plain = connectTcp(server.port, '127.0.0.1', () => plain.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      plain.on('close', () => resolve());
      plain.on('error', () => resolve());
    });
    await expect.poll(() => refused.includes('bad-handshake')).toBe(true);

    // Still serving: a real sync goes through.
    expect(await deu!.links.sync({ peer: `127.0.0.1:${server.port}` })).toMatchObject({ converged: true, sent: 1 });
    await expect.poll(() => linkRefusals(nld!).sort()).toEqual(['bad-handshake', 'federation-mismatch', 'replayed-hello', 'unknown-agent']);
    expect(nld!.audit.verify().failures).toEqual([]);
  });

  it('a partner certificate another mesh issued (not certified here)', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD', 'FRA']);
    const fraCertificate = deu!.db.prepare("SELECT pem FROM agent_partner_certificates WHERE partner = 'FRA'").pluck().get() as string;
    const { server } = await serving(nld!);
    const client = await rawClient(server.port, await agentIdentity(deu!));
    client.channel.send({ type: 'hello', envelope: await alteredHello(deu!, client.nonce, (b) => ({ ...b, certificates: { ...b.certificates, partner: { leaf: fraCertificate, intermediates: [] } } }), id) });
    expect(await refusalOf(client.channel)).toBe('not-certified-here');
  });

  it('a slow peer, malformed and oversized frames, and ranges that never converge, each within its bound', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const { server } = await serving(nld!, { handshakeMs: 300, frameMs: 300 });

    const silent = await rawClient(server.port, await agentIdentity(deu!));
    expect(await refusalOf(silent.channel)).toBe('link-timeout');

    const malformed = await rawClient(server.port, await agentIdentity(deu!));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(9, 0);
    malformed.socket.write(Buffer.concat([header, Buffer.from('{"type":1')]));
    expect(await refusalOf(malformed.channel)).toBe('malformed-frame');

    const oversized = await rawClient(server.port, await agentIdentity(deu!));
    header.writeUInt32BE(0xffffffff, 0);
    oversized.socket.write(header);
    expect(await refusalOf(oversized.channel)).toBe('frame-too-large');

    const unknown = await rawClient(server.port, await agentIdentity(deu!));
    unknown.socket.write(encodeFrame({ type: 'gossip' }));
    expect(await refusalOf(unknown.channel)).toBe('malformed-message');

    // A peer that passes the hello, then asks the same first question for ever.
    const endless = await rawClient(server.port, await agentIdentity(deu!));
    endless.channel.send({ type: 'hello', envelope: (await helloFor(deu!.context.writing(), { to: 'NLD', federation: id, nonce: endless.nonce })).envelope });
    await endless.channel.expect('hello');
    let reason: string | undefined;
    for (let round = 0; round < 100 && !reason; round++) {
      endless.channel.send({ type: 'reconcile', scope: `${id}:DEU`, message: `610000${'01'}${'ab'.repeat(16)}`, clock: { t1: Date.now() } });
      const reply = await endless.channel.next().catch((e: { reason: string }) => ({ type: 'error' as const, reason: e.reason }));
      if (reply.type === 'refused' || reply.type === 'error') reason = reply.reason;
    }
    expect(reason).toBe('ranges-did-not-converge');
    await expect.poll(() => linkRefusals(nld!)).toContain('ranges-did-not-converge');

    // A peer that keeps asking for items (each ask answered, none ever ending the sync): bounded by the set's size.
    const asking = await rawClient(server.port, await agentIdentity(deu!));
    asking.channel.send({ type: 'hello', envelope: (await helloFor(deu!.context.writing(), { to: 'NLD', federation: id, nonce: asking.nonce })).envelope });
    await asking.channel.expect('hello');
    // A round opens with a reconcile (0006 "Rounds"); the asking starts inside it.
    asking.channel.send({ type: 'reconcile', scope: `${id}:DEU`, message: '61', clock: { t1: Date.now() } });
    await asking.channel.expect('reconcile');
    reason = undefined;
    for (let ask = 0; ask < 100 && !reason; ask++) {
      asking.channel.send({ type: 'want', ids: [] });
      const reply = await asking.channel.next().catch((e: { reason: string }) => ({ type: 'error' as const, reason: e.reason }));
      if (reply.type === 'refused' || reply.type === 'error') reason = reply.reason;
    }
    expect(reason).toBe('too-many-frames');
  });
});
