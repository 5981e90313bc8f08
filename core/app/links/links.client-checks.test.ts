/**
 * The client's own checks of the server it reaches (decision 0006 "The link": each side checks
 * the other): a server presenting a certificate that names no boundary agent, an agent of a mesh
 * that is no partner, or an agent whose partner certificate we revoked, is refused by name on
 * the client — before it believes a frame — and recorded there as `link-refused` (side: client).
 * And the server's side of the same rule: a TLS client presenting no certificate at all is
 * refused (`no-peer-certificate`) and recorded.
 */
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { serverTlsOptions, LinkChannel, type LinkIdentity } from '../../boundary/link/index.js';
import { AGENT, federate } from '../../test-support/federated-homes.js';
import { identityOf } from '../../test-support/link-session.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-client-checks-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A TLS 1.3 server presenting `identity` that answers nothing: what the client makes of the certificate alone. */
async function impostor(identity: LinkIdentity): Promise<{ port: number; heard: () => string[] }> {
  const heard: string[] = [];
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer(serverTlsOptions(identity, 5_000), (socket) => {
    sockets.add(socket);
    const channel = new LinkChannel(socket, 5_000);
    void channel.next().then(
      (message) => heard.push(message.type === 'refused' ? message.reason : message.type),
      () => undefined,
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, heard: () => heard };
}

const refusals = (h: TestHome) => h.integrity.list({ kind: 'link-refused', limit: 50 }).events.map((e) => e.evidence as { reason: string; side: string; peer?: string });

describe("the client's checks of the server", () => {
  it('refuses a device certificate, a non-partner agent and an agent we revoked, each by name, recorded on the client', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    // POL's boundary agent: a real agent certificate of a real mesh, which is no partner of DEU's.
    const pol = await home('POL');
    await pol.credentials.enrol({ role: 'boundary-agent', id: AGENT, algorithm: 'Ed25519' });

    const cases: [string, LinkIdentity][] = [
      ['unknown-agent', await identityOf(nld!, 'device', 'sensor-1')],
      ['not-a-partner', await identityOf(pol, 'boundary-agent', AGENT)],
    ];
    for (const [reason, identity] of cases) {
      const server = await impostor(identity);
      const peer = `127.0.0.1:${server.port}`;
      await expect(deu!.links.sync({ peer }), reason).rejects.toMatchObject({ reason });
      // The client sent no hello to a server it refused: its refusal is the only frame.
      await expect.poll(() => server.heard()).toEqual([reason]);
      expect(refusals(deu!).at(0)).toEqual({ reason, side: 'client', peer });
    }

    // NLD's real agent, serving for real; DEU revokes the partner certificate it issued to it.
    const served: LinkServer = await nld!.links.serve({ port: 0 });
    closers.push(() => served.close());
    await deu!.agents.revoke({ partner: 'NLD', agent: AGENT });
    await expect(deu!.links.sync({ peer: `127.0.0.1:${served.port}` })).rejects.toMatchObject({ reason: 'agent-revoked' });
    expect(refusals(deu!).map((r) => [r.reason, r.side])).toEqual([
      ['agent-revoked', 'client'],
      ['not-a-partner', 'client'],
      ['unknown-agent', 'client'],
    ]);
    // Nothing crossed either way, and no convergence was recorded.
    expect(deu!.links.latestConvergence('NLD', deu!.links.list()[0]!.federation)).toBeUndefined();
    expect(deu!.audit.verify().failures).toEqual([]);
  });

  it('the server refuses a TLS client that presents no certificate (no-peer-certificate), and records it', async () => {
    const { homes: [, nld] } = await federate(home, ['DEU', 'NLD']);
    const reasons: string[] = [];
    const served = await nld!.links.serve({ port: 0, onRefused: (r) => reasons.push(r.reason) });
    closers.push(() => served.close());
    const socket = connect({ host: '127.0.0.1', port: served.port, minVersion: 'TLSv1.3', rejectUnauthorized: false, checkServerIdentity: () => undefined });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const channel = new LinkChannel(socket, 5_000);
    const answer = await channel.next().catch((e: { reason: string }) => ({ type: 'error' as const, reason: e.reason }));
    expect(answer).toMatchObject({ type: 'refused', reason: 'no-peer-certificate' });
    socket.destroy();
    expect(reasons).toEqual(['no-peer-certificate']);
    await expect.poll(() => refusals(nld!).map((r) => [r.reason, r.side])).toEqual([['no-peer-certificate', 'server']]);
  });
});
