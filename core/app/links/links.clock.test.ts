/**
 * Clock samples on both sides of a link (issue 14: "every exchange carries NTP-style timestamps
 * (send/receive on both sides); store them per partner"): the client echoes the server's last
 * `reconcile` stamp (frame set 2), so the serving home holds its own samples of the client and
 * `time offsets` there names the client's interval after one sync; a client of frame set 1 still
 * syncs, and leaves the server no sample; an echo that names a stamp the server never sent is no
 * sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage, Negentropy } from '../../boundary/negentropy/index.js';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { rawSession } from '../../test-support/link-session.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-clock-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? 'GEHEIM' : 'Stg. GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}

async function serving(h: TestHome): Promise<LinkServer> {
  const server = await h.links.serve({ port: 0 });
  servers.push(server);
  return server;
}

function expectLoopbackSamples(samples: readonly { t1: number; t2: number; t3: number; t4: number; offsetMs: number; delayMs: number }[]) {
  for (const s of samples) {
    expect(s.t1 <= s.t4 && s.t2 <= s.t3).toBe(true);
    // One machine, one clock: the offset is about zero and the delay the loopback's.
    expect(Math.abs(s.offsetMs)).toBeLessThan(1_000);
    expect(s.delayMs).toBeGreaterThanOrEqual(0);
  }
}

describe('clock samples on the serving side', () => {
  it('the server samples the client from its echoes, and time offsets on the serving home names the interval', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    for (let i = 0; i < 3; i++) await observe(deu!, `track:deu-${i}`);
    await observe(nld!, 'track:nld-0');
    expect(nld!.time.offsets('DEU')).toMatchObject([{ partner: 'DEU', samples: [], ageMs: null }]);
    const server = await serving(nld!);

    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(report).toMatchObject({ converged: true, sent: 3, received: 1 });
    // The server records its end when the client's proof arrives: its samples with it.
    await expect.poll(() => nld!.links.latestConvergence('DEU', report.federation)).toBeDefined();
    const served = nld!.links.clockSamples('DEU');
    // One per reconciliation reply the client answered: every reply of the round is echoed once, by the next reconcile or the proof.
    expect(served).toHaveLength(report.rounds);
    expectLoopbackSamples(served);
    // The server's own exchange: its reply left at t1 and the echo came back at t4, both on its clock; t2 and t3 are the client's.
    const client = deu!.links.clockSamples('NLD');
    expect(client).toHaveLength(report.rounds);
    for (const s of served) expect(client.some((c) => c.t3 === s.t1)).toBe(true);

    const [offset] = nld!.time.offsets('DEU');
    expect(offset!.samples).toHaveLength(report.rounds);
    expect(offset!.ageMs).not.toBeNull();
    expect(offset!.interval.lo).toBeGreaterThan(-1_000);
    expect(offset!.interval.hi).toBeLessThan(1_000);
    expect(offset!.interval.lo).toBeLessThanOrEqual(offset!.interval.hi);
    expect(offset!.contradiction).toBeNull();
    expect(nld!.audit.verify().failures).toEqual([]);
  });

  it('an idle round of a watch leaves the server a sample too: the next round echoes it', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    await observe(deu!, 'track:deu-0');
    const server = await serving(nld!);
    const rounds: { idle: boolean }[] = [];
    const watch = deu!.links.watch({ peer: `127.0.0.1:${server.port}`, intervalMs: 100, pollMs: 25, onRound: (r) => rounds.push(r) });
    await expect.poll(() => rounds.filter((r) => r.idle).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    await watch.stop();
    // Round 1 moved the observation (its samples come with its proof); each idle probe's reply is echoed by the next round's probe.
    await expect.poll(() => nld!.links.clockSamples('DEU', 1000).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(rounds.length - 1);
    expectLoopbackSamples(nld!.links.clockSamples('DEU', 1000));
  });

  it('a client speaking frame set 1 still syncs, and leaves the server no sample of its own', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    await observe(deu!, 'track:deu-0');
    const server = await serving(nld!);
    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}`, frames: 1 });
    expect(report).toMatchObject({ converged: true, sent: 1 });
    await expect.poll(() => nld!.links.latestConvergence('DEU', report.federation)).toBeDefined();
    expect(nld!.links.clockSamples('DEU')).toEqual([]);
    expect(deu!.links.clockSamples('NLD')).toHaveLength(report.rounds);
  });

  it('an echo naming a stamp the server never sent is no sample (the origin check); the true echo is', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const server = await serving(nld!);
    const channel = await rawSession(deu!, server.port, id);
    // Both sets empty: each probe is an idle round, which the server records at once with its samples.
    const probe = () => Buffer.from(new Negentropy(new MemoryStorage([])).initiateProbe()).toString('hex');
    const round = async (echo?: { t1: number; t2: number; t3: number }) => {
      const t1 = Date.now();
      channel.send({ type: 'reconcile', scope: `${id}:DEU`, message: probe(), clock: { t1 }, mode: 'settling', ...(echo ? { echo } : {}) });
      const reply = await channel.expect('reconcile');
      expect(reply.message).toBe('61');
      return { t3: reply.clock.t3!, arrived: Date.now() };
    };
    const first = await round();
    // Off by one millisecond from the t3 the server sent: not its exchange, so no sample.
    const second = await round({ t1: first.t3 - 1, t2: first.arrived, t3: Date.now() });
    await round({ t1: second.t3, t2: second.arrived, t3: Date.now() });
    channel.send({ type: 'bye' });
    channel.close();
    await expect.poll(() => nld!.links.clockSamples('DEU').length, { timeout: 5_000 }).toBe(1);
    const [sample] = nld!.links.clockSamples('DEU');
    expect(sample).toMatchObject({ t1: second.t3, t2: second.arrived });
    expectLoopbackSamples([sample!]);
  });
});
