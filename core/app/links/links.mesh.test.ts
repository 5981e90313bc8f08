/**
 * Links among three meshes and links that break (decision 0006): a mesh with two partners keeps
 * two links, and what it relays from one to the other follows the onward-release rule each item
 * came under; a link cut at random points resumes on the next sync and converges, with nothing
 * duplicated or half-written (`ENTENTE_CUT_ITERATIONS=200` for the full run).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cuttingRelay } from '../../test-support/cutting-relay.js';
import { DEFAULT_RULE, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-mesh-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM', FRA: 'SECRET' };
async function observe(h: TestHome, subject: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, LEVEL[h.code]!), payloadText: '{"lat":1,"lon":2}', derivedFrom: [], derivation: null })).id;
}
async function serving(h: TestHome): Promise<LinkServer> {
  const server = await h.links.serve({ port: 0 });
  closers.push(() => server.close());
  return server;
}
const has = (h: TestHome, id: string) => h.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(id) === 1;

describe('links among three meshes', () => {
  it('keeps two links from one mesh; relays only what the onward-release rule permits', async () => {
    // What DEU sends NLD may not go further; what FRA sends NLD may.
    const { id, homes: [deu, nld, fra] } = await federate(home, ['DEU', 'NLD', 'FRA'], { scope: (from, to) => (from === 'DEU' && to === 'NLD' ? { ...DEFAULT_RULE, onwardRelease: 'forbidden' } : DEFAULT_RULE) });
    const d1 = await observe(deu!, 'track:d1');
    const n1 = await observe(nld!, 'track:n1');
    const f1 = await observe(fra!, 'track:f1');
    const server = await serving(nld!);
    const peer = `127.0.0.1:${server.port}`;

    expect(await deu!.links.sync({ peer })).toMatchObject({ partner: 'NLD', converged: true, sent: 1, received: 1 });
    expect(await fra!.links.sync({ peer })).toMatchObject({ partner: 'NLD', converged: true, sent: 1, received: 1 });
    expect(has(fra!, d1)).toBe(false); // forbidden onward: NLD never offers it to FRA
    expect(has(fra!, n1)).toBe(true);
    const again = await deu!.links.sync({ peer });
    expect(again).toMatchObject({ converged: true, received: 1, sent: 0 });
    expect(has(deu!, f1)).toBe(true); // permitted onward: relayed by NLD
    expect(deu!.db.prepare('SELECT partner, origin FROM crossings WHERE observation_id = ?').get(f1)).toEqual({ partner: 'NLD', origin: 'FRA' });
    expect(nld!.links.list().map((l) => [l.partner, l.state]).sort()).toEqual([['DEU', 'up'], ['FRA', 'up']]);
    for (const partner of ['DEU', 'FRA']) expect(nld!.links.latestConvergence(partner, id)).toMatchObject({ converged: true });
  });
});

const ITERATIONS = Number(process.env.ENTENTE_CUT_ITERATIONS ?? 4);

describe('a link cut at random points', () => {
  it(`resumes and converges with nothing duplicated (${ITERATIONS} cuts)`, { timeout: 60_000 + ITERATIONS * 5_000 }, async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const server = await serving(nld!);
    let seed = 14;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let full = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      for (let k = 0; k < 3; k++) await observe(deu!, `track:d-${i}-${k}`);
      for (let k = 0; k < 2; k++) await observe(nld!, `track:n-${i}-${k}`);
      // Cut anywhere from the TLS handshake to the last frame (a full sync here is some tens of kilobytes).
      full ||= 40_000;
      const relay = await cuttingRelay(server.port, 1 + Math.floor(random() * full));
      const cut = await deu!.links.sync({ peer: `127.0.0.1:${relay.port}` }).then(
        (report) => ({ ok: true as const, bytes: report.bytes.in + report.bytes.out }),
        (error: { reason?: string }) => ({ ok: false as const, reason: error.reason }),
      );
      if (!cut.ok) expect(cut.reason).toMatch(/^link-|^bad-|unexpected|^no-proof$/);
      await relay.close();
      const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
      expect(report.converged).toBe(true);
      full = Math.max(full, report.bytes.in + report.bytes.out);
    }
    const foreign = (h: TestHome, from: string) => h.db.prepare('SELECT COUNT(*) FROM observations WHERE mesh = ?').pluck().get(from) as number;
    expect(foreign(nld!, 'DEU')).toBe(ITERATIONS * 3);
    expect(foreign(deu!, 'NLD')).toBe(ITERATIONS * 2);
    // One crossing row per admitted observation: nothing admitted twice.
    expect(nld!.db.prepare('SELECT COUNT(*) FROM crossings').pluck().get()).toBe(ITERATIONS * 3);
    expect(deu!.db.prepare('SELECT COUNT(*) FROM crossings').pluck().get()).toBe(ITERATIONS * 2);
    for (const h of [deu!, nld!]) {
      expect(h.audit.verify().failures).toEqual([]);
      expect((await h.observations.verifyAll()).failures).toEqual([]);
    }
  });
});
