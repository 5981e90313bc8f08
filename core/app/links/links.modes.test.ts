/**
 * The link's two reconciliation modes (decision 0006; core/app/links/session.ts): `settling`
 * (ours to ours, the default) and `published` (the protocol as its authors publish it) move the
 * same difference both ways and end with equal signed digests; in settling the server pushes and
 * asks for its own share of the difference after the client's `turn`.
 * A mode the server does not know, a mode changed within a sync, and a `turn` outside settling
 * are refused with their reasons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { rawSession, refusalOf } from '../../test-support/link-session.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer, SyncReport } from './service.js';

const home = useTestHomes('entente-links-modes-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? 'GEHEIM' : 'Stg. GEHEIM'), payloadText: '{}', derivedFrom: [], derivation: null })).id;
}

const ids = (h: TestHome) => h.db.prepare('SELECT id FROM observations ORDER BY id').pluck().all() as string[];

/** Two fresh homes, each with observations of its own, and one sync in `mode`; both ends' reports. */
async function syncIn(mode: 'settling' | 'published'): Promise<{ client: SyncReport; server: SyncReport; deu: TestHome; nld: TestHome }> {
  const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
  // Interleaved in time, so the difference sits in small ranges: where the modes differ.
  for (let i = 0; i < 12; i++) {
    await observe(deu!, `track:d${i}`);
    if (i % 2 === 0) await observe(nld!, `track:n${i}`);
  }
  let server: SyncReport | undefined;
  const served = await nld!.links.serve({ port: 0, onSync: (r) => (server = r) });
  servers.push(served);
  const client = await deu!.links.sync({ peer: `127.0.0.1:${served.port}`, mode });
  await expect.poll(() => server).toBeDefined();
  return { client, server: server!, deu: deu!, nld: nld! };
}

describe('reconciliation modes on a link', () => {
  for (const mode of ['settling', 'published'] as const) {
    it(`${mode}: moves the difference both ways to equal digests, then finds nothing`, async () => {
      const { client, server, deu, nld } = await syncIn(mode);
      expect(client).toMatchObject({ converged: true, sent: 12, received: 6, counts: { admitted: 6 }, peerCounts: { admitted: 12 }, count: 18, peerCount: 18, missingHere: 0, missingThere: 0 });
      expect(server).toMatchObject({ converged: true, count: 18, missingHere: 0, missingThere: 0 });
      expect(client.digest).toBe(client.peerDigest);
      expect(ids(deu)).toEqual(ids(nld));
      if (mode === 'settling') {
        // The server settled id lists itself and moved its share after the client's turn.
        expect(server.sent + server.received).toBeGreaterThan(0);
        expect(client.sent + server.sent).toBe(12 + 6);
      } else {
        // The server only answered: what it sent is what the client asked for, nothing pushed.
        expect([server.sent, server.received]).toEqual([6, 12]);
      }
      const again = await deu.links.sync({ peer: `127.0.0.1:${servers[0]!.port}`, mode });
      expect(again).toMatchObject({ converged: true, sent: 0, received: 0, rounds: 1 });
    });
  }

  it('refuses an unknown mode, a mode changed within a sync, and a turn outside a settling reconciliation', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    for (let i = 0; i < 40; i++) await observe(deu!, `track:d${i}`);
    const refused: string[] = [];
    const server = await nld!.links.serve({ port: 0, onRefused: (r) => refused.push(r.reason) });
    servers.push(server);
    const scope = `${id}:DEU`;
    const empty = '61';

    const unknown = await rawSession(deu!, server.port, id);
    unknown.send({ type: 'reconcile', scope, message: empty, clock: { t1: Date.now() }, mode: 'eventually' });
    expect(await refusalOf(unknown)).toBe('unknown-reconcile-mode');

    const changed = await rawSession(deu!, server.port, id);
    changed.send({ type: 'reconcile', scope, message: empty, clock: { t1: Date.now() }, mode: 'settling' });
    await changed.expect('reconcile');
    changed.send({ type: 'reconcile', scope, message: empty, clock: { t1: Date.now() }, mode: 'published' });
    expect(await refusalOf(changed)).toBe('unknown-reconcile-mode');

    const turn = await rawSession(deu!, server.port, id);
    turn.send({ type: 'reconcile', scope, message: empty, clock: { t1: Date.now() } });
    await turn.expect('reconcile');
    turn.send({ type: 'turn' });
    expect(await refusalOf(turn)).toBe('unexpected-message');

    await expect.poll(() => refused).toEqual(['unknown-reconcile-mode', 'unknown-reconcile-mode', 'unexpected-message']);
    expect(nld!.integrity.list({ kind: 'link-refused', limit: 10 }).total).toBe(3);
  });
});
