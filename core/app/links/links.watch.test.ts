/**
 * `agent sync --watch` as the service runs it (decision 0006 "Rounds"): one TLS link for many
 * rounds (the server counts its handshakes), new observations on either side picked up over it,
 * idle rounds under a kilobyte with nothing signed, a reconnection after the server goes away, and
 * a credential revoked mid-session ending the link as an integrity event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer, LinkWatch, SyncReport, WatchEvent } from './service.js';

const home = useTestHomes('entente-links-watch-');
const servers: LinkServer[] = [];
const watches: LinkWatch[] = [];
afterEach(async () => {
  for (const w of watches.splice(0)) await w.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? 'GEHEIM' : 'Stg. GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}

const ids = (h: TestHome) => h.db.prepare('SELECT id FROM observations ORDER BY id').pluck().all() as string[];
const convergenceEntries = (h: TestHome) => h.db.prepare(`SELECT COUNT(*) FROM audit_entries WHERE entry LIKE '%"converged"%' OR entry LIKE '%"diverged"%'`).pluck().get() as number;

function watching(h: TestHome, port: number, options: { intervalMs?: number } = {}) {
  const rounds: SyncReport[] = [];
  const events: WatchEvent[] = [];
  const watch = h.links.watch({ peer: `127.0.0.1:${port}`, intervalMs: options.intervalMs ?? 150, pollMs: 25, backoff: { initialMs: 100, maxMs: 400 }, onRound: (r) => rounds.push(r), onEvent: (e) => events.push(e) });
  watches.push(watch);
  return { watch, rounds, events };
}

describe('a watched link', () => {
  it('keeps one TLS connection for many rounds, picks up observations on both sides, and idles under 1 KB with nothing signed', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    for (let i = 0; i < 3; i++) await observe(deu!, `track:deu-${i}`);
    const server = await nld!.links.serve({ port: 0 });
    servers.push(server);
    const { rounds, events } = watching(deu!, server.port);

    await expect.poll(() => ids(nld!).length, { timeout: 10_000 }).toBe(3);
    // New on the client side: a round starts as it is stored; on the server side: the next timed round.
    await observe(deu!, 'track:deu-late');
    await observe(nld!, 'track:nld-late');
    await expect.poll(() => ids(deu!).length === 5 && ids(nld!).length === 5, { timeout: 10_000 }).toBe(true);
    expect(ids(deu!)).toEqual(ids(nld!));
    const moved = rounds.length;
    await expect.poll(() => rounds.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(moved + 5);

    // One handshake, however many rounds; each round numbered on it, each admission its own.
    expect(server.handshakes).toBe(1);
    expect(events.filter((e) => e.state === 'up')).toHaveLength(1);
    expect(new Set(rounds.map((r) => r.session)).size).toBe(1);
    expect(rounds.map((r) => r.round)).toEqual(rounds.map((_, i) => i + 1));
    // A round that an observation overtook on one side ends diverged (named); the next converges it.
    expect(rounds.at(-1)!.converged).toBe(true);

    // Idle rounds: the probe agreed, nothing moved, nothing signed, under a kilobyte on the wire (frames both ways).
    const idle = rounds.filter((r) => r.idle);
    expect(idle.length).toBeGreaterThanOrEqual(4);
    for (const r of idle) {
      expect(r).toMatchObject({ sent: 0, received: 0, rounds: 1, count: 5, peerCount: 5 });
      expect(r.bytes.in + r.bytes.out).toBeLessThan(1024);
    }
    // Only the rounds that moved something are in the logs as convergences; the idle ones keep the contact and a clock sample each.
    const signed = rounds.filter((r) => !r.idle).length;
    expect(convergenceEntries(deu!)).toBe(signed);
    expect(deu!.links.clockSamples('NLD', 1000).length).toBeGreaterThanOrEqual(rounds.length);
    expect(deu!.links.list()).toMatchObject([{ partner: 'NLD', state: 'up', lastOutcome: 'converged' }]);
    for (const h of [deu!, nld!]) expect(h.audit.verify().failures).toEqual([]);
  });

  it('refuses an interval the peer would time out under, or a poll that is not a positive number within it, before it connects', async () => {
    const { homes: [deu] } = await federate(home, ['DEU', 'NLD']);
    for (const options of [{ intervalMs: 30_000 }, { intervalMs: 0 }, { intervalMs: Number.NaN }, { pollMs: -1 }, { intervalMs: 1_000, pollMs: 5_000 }]) {
      expect(() => deu!.links.watch({ peer: '127.0.0.1:9', ...options })).toThrow(expect.objectContaining({ reason: 'invalid-argument' }));
    }
  });

  it('reconnects with backoff after the server goes away, and converges what was stored meanwhile', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    let server = await nld!.links.serve({ port: 0 });
    const port = server.port;
    const { events, rounds } = watching(deu!, port);
    await expect.poll(() => rounds.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    await server.close();
    await expect.poll(() => events.some((e) => e.state === 'lost'), { timeout: 10_000 }).toBe(true);
    await observe(deu!, 'track:while-apart');
    server = await nld!.links.serve({ port });
    servers.push(server);
    await expect.poll(() => ids(nld!).length, { timeout: 15_000 }).toBe(1);
    const states = events.map((e) => e.state);
    expect(states[0]).toBe('up');
    expect(states.indexOf('lost')).toBeGreaterThan(0);
    expect(states.lastIndexOf('up')).toBeGreaterThan(states.indexOf('lost'));
    // The new server saw one handshake: the watch reconnected once it could, not once per round.
    await expect.poll(() => rounds.filter((r) => r.idle).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(server.handshakes).toBe(1);
    // A drop is a normal event: no integrity event for it.
    expect(deu!.integrity.list({ kind: 'link-refused', limit: 10 }).total).toBe(0);
  });

  it('ends the link when the certificate it opened with is revoked mid-session, recorded as an integrity event', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const server = await nld!.links.serve({ port: 0 });
    servers.push(server);
    const { watch, rounds, events } = watching(deu!, server.port);
    await expect.poll(() => rounds.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // NLD revokes the partner certificate it issued to DEU's agent: the next round's check ends the link.
    await nld!.agents.revoke({ partner: 'DEU', agent: 'gw-1' });
    await expect(watch.done).rejects.toMatchObject({ reason: 'agent-revoked' });
    expect(events.at(-1)).toMatchObject({ state: 'ended', reason: 'agent-revoked' });
    await expect.poll(() => nld!.integrity.list({ kind: 'link-refused', limit: 10 }).events.map((e) => (e.evidence as { reason: string }).reason)).toContain('agent-revoked');
    expect(server.handshakes).toBe(1);
  });
});
