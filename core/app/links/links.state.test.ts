/**
 * The link's state as the boundary board shows it (decision 0006 "State"): a silence inside a
 * disconnection window the declaration names is intended — `intentionally-disconnected`, the
 * window named, no integrity event — and the same silence past the window's end is lost, once;
 * and the backlog both ways after an exchange that left items behind each way, the same on the
 * next sync (an item re-sent into quarantine is still held back, not a duplicate).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-state-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string, classification: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification), payloadText: '{"lat":1,"lon":2}', derivedFrom: [], derivation: null })).id;
}

async function serving(h: TestHome): Promise<LinkServer> {
  const server = await h.links.serve({ port: 0 });
  servers.push(server);
  return server;
}

const silences = (h: TestHome) => h.integrity.list({ kind: 'undeclared-silence', limit: 10 }).total;
const MINUTE = 60_000;

describe('link state', () => {
  it('inside a declared disconnection window: intentionally disconnected, the window named, no integrity event; past its end, lost', async () => {
    const now = Date.now();
    // NLD goes dark for an exercise an hour long, from a minute after now: within the 300 s tolerance of the last contact.
    const window = { partner: 'NLD', start: new Date(Math.ceil((now + MINUTE) / 1000) * 1000).toISOString(), end: new Date(Math.ceil((now + 61 * MINUTE) / 1000) * 1000).toISOString(), reason: 'EMCON drill' };
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD'], { overrides: { disconnectionWindows: [window] } });
    const server = await serving(nld!);
    await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    const [up] = await deu!.links.status();
    expect(up).toMatchObject({ partner: 'NLD', federation: id, state: 'up' });

    // Half an hour of silence, far beyond the tolerance, but inside the window.
    deu!.setClock(new Date(Date.parse(up!.lastContact!) + 30 * MINUTE));
    expect(await deu!.links.status()).toMatchObject([{ partner: 'NLD', state: 'intentionally-disconnected', lastContact: up!.lastContact, disconnectedBy: null }]);
    expect((await deu!.links.status())[0]!.because).toBe(`Inside the declared disconnection window ${window.start} – ${window.end} (EMCON drill).`);
    expect(deu!.links.list()).toMatchObject([{ state: 'intentionally-disconnected' }]);
    expect(silences(deu!)).toBe(0);

    // The window over and still silent: lost, one integrity event.
    deu!.setClock(new Date(Date.parse(window.end) + MINUTE));
    expect(await deu!.links.status()).toMatchObject([{ state: 'unexpectedly-lost' }]);
    expect(silences(deu!)).toBe(1);
    expect(deu!.audit.verify().failures).toEqual([]);
  });

  it('an exchange that left items behind each way shows a backlog both ways, on both sides', async () => {
    // The UK has no CONFIDENTIAL level; and this DEU attests no level for what the UK's OFFICIAL is close to.
    const { homes: [deu, gbr] } = await federate(home, ['DEU', 'GBR'], { unattested: ['DEU:OFFEN', 'DEU:VS-NUR FÜR DEN DIENSTGEBRAUCH'] });
    await observe(deu!, 'track:d1', 'GEHEIM');
    await observe(deu!, 'track:d2', 'VS-VERTRAULICH');
    await observe(gbr!, 'track:g1', 'SECRET');
    await observe(gbr!, 'track:g2', 'OFFICIAL');
    const server = await serving(gbr!);
    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(report).toMatchObject({ converged: false, sent: 2, received: 2, counts: { admitted: 1, quarantined: 1 }, peerCounts: { admitted: 1, quarantined: 1 }, missingHere: 1, missingThere: 1 });
    await expect.poll(async () => (await gbr!.links.status())[0]!.lastOutcome).toBe('diverged');
    expect(await deu!.links.status()).toMatchObject([{ partner: 'GBR', state: 'up', lastOutcome: 'diverged', backlog: { out: 1, in: 1 } }]);
    expect(await gbr!.links.status()).toMatchObject([{ partner: 'DEU', state: 'up', lastOutcome: 'diverged', backlog: { out: 1, in: 1 } }]);
    // The next sync finds the same difference (each item still held back), and holds nothing twice.
    const again = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    // (The judge calls a re-sent item it holds in quarantine a duplicate; the link counts it held back, as the first time.)
    expect(again).toMatchObject({ converged: false, counts: { quarantined: 1, duplicate: 0 }, peerCounts: { quarantined: 1, duplicate: 0 }, missingHere: 1, missingThere: 1 });
    expect(JSON.parse(deu!.links.latestConvergence('GBR', again.federation)!.ids)).toEqual({ here: deu!.crossing.quarantine().map((q) => q.id), there: [] });
    expect(await deu!.links.status()).toMatchObject([{ backlog: { out: 1, in: 1 } }]);
    for (const h of [deu!, gbr!]) expect(h.crossing.quarantine()).toHaveLength(1);
  });
});
