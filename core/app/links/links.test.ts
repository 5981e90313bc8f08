/**
 * Live links between real homes over real TLS 1.3 on 127.0.0.1 (decision 0006): two meshes that
 * each published while apart converge both ways with equal signed digests, a second sync does
 * nothing, the convergence is in both logs, clock samples and the link's state are kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readChangeMarks } from '../../store/change-marks.js';
import { changesBetween } from '../changes/changes.js';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string, classification = 'GEHEIM') {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? classification : 'Stg. GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}

async function serving(h: TestHome): Promise<LinkServer> {
  const server = await h.links.serve({ port: 0 });
  servers.push(server);
  return server;
}

const ids = (h: TestHome) => (h.db.prepare('SELECT id FROM observations ORDER BY id').pluck().all() as string[]);

describe('live links', () => {
  it('converges two meshes both ways with equal signed digests; a second sync does nothing', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    for (let i = 0; i < 5; i++) await observe(deu!, `track:deu-${i}`);
    for (let i = 0; i < 3; i++) await observe(nld!, `track:nld-${i}`);
    const server = await serving(nld!);

    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(report).toMatchObject({ partner: 'NLD', converged: true, sent: 5, received: 3, counts: { admitted: 3, rejected: 0, quarantined: 0 }, peerCounts: { admitted: 5 }, count: 8, peerCount: 8 });
    expect(report.digest).toBe(report.peerDigest);
    expect(ids(deu!)).toEqual(ids(nld!));
    // The session stands where a bundle would: its admission row is done, with a signed receipt.
    expect(deu!.crossing.imports()).toMatchObject([{ digest: report.session, partner: 'NLD', state: 'done', admitted: 3 }]);
    for (const h of [deu!, nld!]) {
      const other = h === deu ? 'NLD' : 'DEU';
      // The server records its end once the client's `bye` arrives, just after the client returns.
      await expect.poll(() => h.links.latestConvergence(other, report.federation)).toBeDefined();
      const record = h.links.latestConvergence(other, report.federation);
      expect(record).toMatchObject({ converged: true, count: 8, digest: report.digest, peerDigest: report.digest });
      expect(h.audit.verify().failures).toEqual([]);
      expect(h.db.prepare("SELECT COUNT(*) FROM audit_entries WHERE entry LIKE '%converged%'").pluck().get()).toBe(1);
      expect(h.links.list()).toMatchObject([{ partner: other, state: 'up' }]);
    }
    // One machine, one clock: NTP's offset is about zero, the delay the loopback's.
    const samples = deu!.links.clockSamples('NLD');
    expect(samples.length).toBe(report.rounds);
    for (const s of samples) {
      expect(s.t1 <= s.t4 && s.t2 <= s.t3).toBe(true);
      expect(Math.abs(s.offsetMs)).toBeLessThan(1_000);
      expect(s.delayMs).toBeGreaterThanOrEqual(0);
    }

    const again = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(again).toMatchObject({ converged: true, sent: 0, received: 0, rounds: 1, count: 8 });
    expect(ids(deu!)).toEqual(ids(nld!));
  });

  it('keeps the link state: up, lost beyond the tolerance (one integrity event), disconnected on purpose; linksChanged moves', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    expect(deu!.links.list()).toMatchObject([{ partner: 'NLD', federation: id, state: 'never-contacted', lastContact: null }]);
    const server = await serving(nld!);
    const before = readChangeMarks(deu!.db);
    await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    const changes = changesBetween({ before, after: readChangeMarks(deu!.db), admitted: () => ({ admitted: 0, total: 0, newest: [] }), crossing: () => ({ imports: [], quarantineOpen: 0, integrityEvents: 0 }), workspaceInfo: () => { throw new Error('not asked'); } });
    expect(changes.find((c) => c.event === 'linksChanged')).toEqual({ event: 'linksChanged', payload: { links: 1, convergences: 1 } });
    const [up] = await deu!.links.status();
    expect(up).toMatchObject({ state: 'up', backlog: { out: 0, in: 0 }, lastOutcome: 'converged' });
    expect(up!.roundTripMs).toBeGreaterThanOrEqual(0);
    // The serving side keeps the round trip too, from the client's echoes of its stamps.
    const [served] = await nld!.links.status();
    expect(served).toMatchObject({ partner: 'DEU', state: 'up', lastOutcome: 'converged' });
    expect(served!.roundTripMs).toEqual(expect.any(Number));

    // Silence past the declared 300 s outside any window: lost, and one integrity event however often asked.
    deu!.setClock(new Date(Date.parse(up!.lastContact!) + 301_000));
    expect(await deu!.links.status()).toMatchObject([{ state: 'unexpectedly-lost' }]);
    expect(await deu!.links.status()).toMatchObject([{ state: 'unexpectedly-lost' }]);
    expect(deu!.integrity.list({ kind: 'undeclared-silence', limit: 10 })).toMatchObject({ total: 1, events: [{ partner: 'NLD', federation: id }] });

    // An operator's disconnection is intended, and refuses syncs until reconnected.
    deu!.links.disconnect({ partner: 'NLD' });
    expect(deu!.links.list()).toMatchObject([{ state: 'intentionally-disconnected', disconnectedBy: 'operator' }]);
    deu!.setClock(null);
    await expect(deu!.links.sync({ peer: `127.0.0.1:${server.port}` })).rejects.toMatchObject({ reason: 'link-disconnected' });
    deu!.links.connect({ partner: 'NLD' });
    await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(deu!.links.list()).toMatchObject([{ state: 'up' }]);
    expect(deu!.audit.verify().failures).toEqual([]);
  });
});
