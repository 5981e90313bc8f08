/**
 * The serving side nudges (0006 "Rounds", frame set 2): a watched link with a long interval picks
 * up what the server's home publishes within moments, because the server tells its client; a
 * client of frame set 1 is never nudged and keeps its interval; a hostile server that nudges
 * without waiting, or nudges rounds that find nothing, is rate-limited and then refused by name,
 * recorded as an integrity event on the client.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { channelBinding, clientTlsOptions, LinkChannel, serverTlsOptions } from '../../boundary/link/index.js';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { helloFor } from '../agents/agents-service.js';
import { crossingParts } from '../crossing/wiring.js';
import { linkAgent, openAsServer } from './handshake.js';
import { MAX_EMPTY_NUDGES, NUDGE_MIN_GAP_MS } from './links.js';
import type { LinkServer, LinkWatch, SyncReport, WatchEvent } from './service.js';
import { linkWire, serveRound, sessionContext } from './session.js';

const home = useTestHomes('entente-links-nudge-');
const servers: { close(): Promise<void> }[] = [];
const watches: LinkWatch[] = [];
afterEach(async () => {
  for (const w of watches.splice(0)) await w.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? 'GEHEIM' : 'Stg. GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null })).id;
}

const holds = (h: TestHome, id: string) => h.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(id) === 1;
const convergenceEntries = (h: TestHome) => h.db.prepare(`SELECT COUNT(*) FROM audit_entries WHERE entry LIKE '%"converged"%' OR entry LIKE '%"diverged"%'`).pluck().get() as number;

/** A watch whose interval (25 s, the longest a watch takes) is far longer than any test here waits: only a nudge or a local observation starts a round. */
function watching(h: TestHome, port: number, options: { frames?: 1 | 2 } = {}) {
  const rounds: SyncReport[] = [];
  const events: WatchEvent[] = [];
  const watch = h.links.watch({ peer: `127.0.0.1:${port}`, intervalMs: 25_000, pollMs: 25, backoff: { initialMs: 100, maxMs: 400 }, ...options, onRound: (r) => rounds.push(r), onEvent: (e) => events.push(e) });
  watches.push(watch);
  return { watch, rounds, events };
}

async function serving(h: TestHome): Promise<LinkServer> {
  const server = await h.links.serve({ port: 0, nudgePollMs: 25 });
  servers.push(server);
  return server;
}

/**
 * A server that serves rounds as ours does and then, after each, sends `nudges` nudges at once,
 * whatever its store holds: the hostile peer of the nudge's bounds.
 */
async function nudgingServer(h: TestHome, nudges: number): Promise<number> {
  const agent = await linkAgent(h.context.writing());
  const sockets = new Set<TLSSocket>();
  const server: Server = createServer(serverTlsOptions(agent.identity, 5_000), (socket) => {
    sockets.add(socket);
    void (async () => {
      const channel = new LinkChannel(socket, 5_000);
      const op = h.context.writing();
      try {
        const link = await openAsServer(op, socket, channel, {}, op.clock.advance(op.write));
        const wire = linkWire();
        for (let round = 1; ; round++) {
          const first = await channel.next();
          if (first.type !== 'reconcile') break;
          await serveRound(await sessionContext(op, crossingParts, channel, link, op.clock.advance(op.write), round, wire), first);
          for (let i = 0; i < nudges; i++) channel.send({ type: 'nudge' });
        }
      } catch {
        /* the client ended it */
      }
      channel.close();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push({
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  });
  return (server.address() as { port: number }).port;
}

describe('a server that nudges its watching client', () => {
  it('the client holds what the server published within moments, in one nudged round both logs record', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    await observe(deu!, 'track:deu-0');
    const server = await serving(nld!);
    const { rounds, events } = watching(deu!, server.port);
    await expect.poll(() => rounds.length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => convergenceEntries(nld!)).toBe(1);

    const published = Date.now();
    const late = await observe(nld!, 'track:nld-late');
    await expect.poll(() => holds(deu!, late), { timeout: 5_000 }).toBe(true);
    expect(Date.now() - published).toBeLessThan(5_000);
    // One round for the nudge, not the 25 s interval: round 2 carried it, and nothing else ran.
    await expect.poll(() => rounds.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rounds).toHaveLength(2);
    expect(rounds[1]).toMatchObject({ round: 2, idle: false, received: 1, converged: true, count: 2, peerCount: 2 });
    for (const h of [deu!, nld!]) {
      await expect.poll(() => convergenceEntries(h)).toBe(2);
      expect(h.audit.verify().failures).toEqual([]);
    }
    expect(server.handshakes).toBe(1);
    expect(events.map((e) => e.state)).toEqual(['up']);

    // Observations the federation does not let cross (above the SECRET ceiling) move the store, not the scope: no nudge.
    await nld!.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:nld-cosmic', labelText: nationalLabel('NLD', 'Stg. ZEER GEHEIM'), payloadText: '{}', derivedFrom: [], derivation: null });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(rounds).toHaveLength(2);
  });

  it('a client of frame set 1 is never nudged: the link stays up and waits for its interval', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const server = await serving(nld!);
    const { rounds, events } = watching(deu!, server.port, { frames: 1 });
    await expect.poll(() => rounds.length, { timeout: 10_000 }).toBe(1);
    const late = await observe(nld!, 'track:nld-late');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(holds(deu!, late)).toBe(false);
    expect(rounds).toHaveLength(1);
    expect(events.map((e) => e.state)).toEqual(['up']);
    // Its own observations still start a round at once, and that round carries the server's too.
    await observe(deu!, 'track:deu-0');
    await expect.poll(() => holds(deu!, late), { timeout: 5_000 }).toBe(true);
    expect(nld!.integrity.list({ kind: 'link-refused', limit: 10 }).total).toBe(0);
  });

  it('a server that sends nudges without waiting for the round is refused (too-many-nudges), an integrity event here', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const port = await nudgingServer(nld!, 3);
    const { watch, rounds, events } = watching(deu!, port);
    await expect(watch.done).rejects.toMatchObject({ reason: 'too-many-nudges' });
    expect(rounds).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ state: 'ended', reason: 'too-many-nudges' });
    const refused = deu!.integrity.list({ kind: 'link-refused', limit: 10 });
    expect(refused.events.map((e) => (e.evidence as { reason: string }).reason)).toEqual(['too-many-nudges']);
  });

  it('a server that nudges every round for nothing is rate-limited, then refused (empty-nudges)', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const port = await nudgingServer(nld!, 1);
    const started = Date.now();
    const { watch, rounds } = watching(deu!, port);
    await expect(watch.done).rejects.toMatchObject({ reason: 'empty-nudges' });
    // Round 1, then the nudged idle rounds up to the bound, each at least the gap after the last.
    expect(rounds).toHaveLength(1 + MAX_EMPTY_NUDGES);
    expect(rounds.slice(1).every((r) => r.idle)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual((MAX_EMPTY_NUDGES - 1) * NUDGE_MIN_GAP_MS);
    expect(deu!.integrity.list({ kind: 'link-refused', limit: 10 }).events.map((e) => (e.evidence as { reason: string }).reason)).toEqual(['empty-nudges']);
  });

  it('a client that nudges the server is refused (unexpected-message): nudges go one way', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const server = await serving(nld!);
    const op = deu!.context.writing();
    const socket = connect(clientTlsOptions((await linkAgent(op)).identity, '127.0.0.1', server.port));
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const channel = new LinkChannel(socket, 5_000);
    channel.send({ type: 'hello', envelope: (await helloFor(op, { to: 'NLD', federation: id, nonce: channelBinding(socket) })).envelope });
    await channel.expect('hello');
    channel.send({ type: 'nudge' });
    await expect(channel.next()).resolves.toMatchObject({ type: 'refused', reason: 'unexpected-message' });
    channel.close();
    await expect.poll(() => nld!.integrity.list({ kind: 'link-refused', limit: 10 }).events.map((e) => (e.evidence as { reason: string }).reason)).toEqual(['unexpected-message']);
  });
});
