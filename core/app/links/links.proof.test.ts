/**
 * The convergence statements that end a sync (decision 0006 "Convergence proof"): two sides that
 * end with different sets sign different digests, and each records `converged: false` with the
 * difference named — the receiver the ids it holds back, the sender how many it sent that did
 * not land; a statement the peer forged or left unsigned is refused by name (`bad-proof`) and
 * recorded as an integrity event, by a server or a client; and a stored statement's signature
 * verifies under the peer agent's certificate, its signed body the digests the reports gave.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CONVERGENCE_PAYLOAD_TYPE, LinkChannel, readConvergence, serverTlsOptions, signConvergence } from '../../boundary/link/index.js';
import { envelopeSignedBy, payloadOf, type DsseEnvelope } from '../../crypto/dsse.js';
import { readCertificate, readPrincipal } from '../../store/mesh-store.js';
import { AGENT, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { rawSession, refusalOf } from '../../test-support/link-session.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { linkAgent, openAsServer } from './handshake.js';
import type { LinkServer, SyncReport } from './service.js';

const home = useTestHomes('entente-links-proof-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string, classification: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification), payloadText: '{"lat":1,"lon":2}', derivedFrom: [], derivation: null })).id;
}

async function serving(h: TestHome) {
  const reports: SyncReport[] = [];
  const server = await h.links.serve({ port: 0, onSync: (r) => reports.push(r) });
  servers.push(server);
  return { server, reports };
}

/** The agent's home certificate: the key its hello and its statements are signed with. */
function agentKey(h: TestHome): { keyid: string; publicKey: X509Certificate['publicKey'] } {
  const principal = readPrincipal(h.db, 'boundary-agent', AGENT)!;
  return { keyid: principal.certificateSha256, publicKey: new X509Certificate(readCertificate(h.db, principal.certificateSha256)!.pem).publicKey };
}

const linkRefusals = (h: TestHome) => h.integrity.list({ kind: 'link-refused', limit: 50 }).events.map((e) => (e.evidence as { reason: string }).reason);

describe('convergence statements', () => {
  it('an item the scope offers but the peer holds back: unequal digests, converged false, the difference named on each side', async () => {
    const { id, homes: [deu, fra] } = await federate(home, ['DEU', 'FRA']);
    const secret = await observe(deu!, 'track:1', 'GEHEIM');
    // NATO CONFIDENTIAL: within the SECRET ceiling, so DEU offers it, but France has no such level and holds it in quarantine.
    const confidential = await observe(deu!, 'track:2', 'VS-VERTRAULICH');
    const { server, reports } = await serving(fra!);

    const client = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(client).toMatchObject({ converged: false, sent: 2, peerCounts: { admitted: 1, quarantined: 1 }, count: 2, peerCount: 1, missingHere: 0, missingThere: 1 });
    expect(client.digest).not.toBe(client.peerDigest);
    await expect.poll(() => reports.length).toBe(1);
    expect(reports[0]).toMatchObject({ converged: false, received: 2, counts: { admitted: 1, quarantined: 1 }, count: 1, peerCount: 2, missingHere: 1, missingThere: 0, digest: client.peerDigest, peerDigest: client.digest });

    // What each side recorded: the receiver names the id it holds back; the sender, how many of its own did not land.
    await expect.poll(() => fra!.links.latestConvergence('DEU', id)).toBeDefined();
    expect(fra!.links.latestConvergence('DEU', id)).toMatchObject({ converged: false, count: 1, peerCount: 2, missingHere: 1, missingThere: 0 });
    expect(JSON.parse(fra!.links.latestConvergence('DEU', id)!.ids)).toEqual({ here: [confidential], there: [] });
    expect(deu!.links.latestConvergence('FRA', id)).toMatchObject({ converged: false, count: 2, peerCount: 1, missingHere: 0, missingThere: 1 });
    expect(fra!.crossing.quarantine().map((q) => q.id)).toEqual([confidential]);
    expect(fra!.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(secret)).toBe(1);
    // Both logs say it diverged, and what was left.
    for (const [h, text] of [[fra!, 'left a difference: 1 here, 0 there'], [deu!, 'left a difference: 0 here, 1 there']] as const) {
      const entries = h.db.prepare("SELECT entry FROM audit_entries WHERE entry LIKE '%diverged%'").pluck().all() as string[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toContain(text);
      expect(h.audit.verify().failures).toEqual([]);
    }
    expect(deu!.links.list()).toMatchObject([{ partner: 'FRA', lastOutcome: 'diverged', backlog: { out: 1, in: 0 } }]);
    expect(fra!.links.list()).toMatchObject([{ partner: 'DEU', lastOutcome: 'diverged', backlog: { out: 0, in: 1 } }]);
  });

  it("a stored statement verifies under the peer agent's certificate, and states what the reports said", async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    await observe(deu!, 'track:1', 'GEHEIM');
    const { server } = await serving(nld!);
    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    await expect.poll(() => nld!.links.latestConvergence('DEU', id)).toBeDefined();

    for (const [h, peer] of [[deu!, nld!], [nld!, deu!]] as const) {
      const row = h.links.latestConvergence(peer.code, id)!;
      const peerProof = JSON.parse(row.peerProof) as DsseEnvelope;
      const ownProof = JSON.parse(row.ownProof) as DsseEnvelope;
      const theirs = agentKey(peer);
      expect(peerProof.payloadType).toBe(CONVERGENCE_PAYLOAD_TYPE);
      expect(envelopeSignedBy(peerProof, theirs.keyid, theirs.publicKey)).toBe(true);
      expect(envelopeSignedBy(ownProof, agentKey(h).keyid, agentKey(h).publicKey)).toBe(true);
      // Not the other's key: each statement is its own agent's.
      expect(envelopeSignedBy(ownProof, theirs.keyid, theirs.publicKey)).toBe(false);
      expect(readConvergence(peerProof, theirs.keyid, theirs.publicKey)).toMatchObject({ federation: id, count: 1, digest: report.digest });
      // One changed byte of the stored statement, and it no longer verifies.
      const payload = payloadOf(peerProof).toString('utf8').replace('"count":1', '"count":2');
      expect(envelopeSignedBy({ ...peerProof, payload: Buffer.from(payload).toString('base64') }, theirs.keyid, theirs.publicKey)).toBe(false);
    }
    // The server signs second, answering the client's digest.
    expect(JSON.parse(payloadOf(JSON.parse(deu!.links.latestConvergence('NLD', id)!.peerProof) as DsseEnvelope).toString('utf8'))).toMatchObject({ peerDigest: report.digest });
  });

  it('a forged or unsigned statement is refused by name (bad-proof) and recorded; the server keeps serving', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const { server } = await serving(nld!);
    const keyid = agentKey(deu!).keyid;
    const deviceKey = await deu!.context.writing().keyring.key(readPrincipal(deu!.db, 'device', 'sensor-1')!.certificateSha256);
    const body = { type: 'entente.convergence/v1' as const, federation: id, version: 1, scope: `${id}:NLD`, count: 0, digest: '0'.repeat(32), at: new Date().toISOString(), peerDigest: null };
    const statements: Record<string, DsseEnvelope> = {
      // The agent's keyid, another key's signature.
      forged: signConvergence(body, { key: deviceKey, keyid }),
      unsigned: { ...signConvergence(body, { key: deviceKey, keyid }), signatures: [] },
    };
    for (const [kind, envelope] of Object.entries(statements)) {
      const channel = await rawSession(deu!, server.port, id);
      channel.send({ type: 'reconcile', scope: `${id}:DEU`, message: '61', clock: { t1: Date.now() } });
      await channel.expect('reconcile');
      channel.send({ type: 'proof', envelope });
      expect(await refusalOf(channel), kind).toBe('bad-proof');
    }
    await expect.poll(() => linkRefusals(nld!)).toEqual(['bad-proof', 'bad-proof']);
    expect(nld!.links.latestConvergence('DEU', id)).toBeUndefined();
    expect(await deu!.links.sync({ peer: `127.0.0.1:${server.port}` })).toMatchObject({ converged: true });
    expect(nld!.audit.verify().failures).toEqual([]);
  });

  it("a server that answers with a forged statement is refused by the client (bad-proof), recorded on the client's side", async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    // NLD's real agent and hello, then a statement signed by NLD's device key under the agent's keyid.
    const op = nld!.context.writing();
    const agent = await linkAgent(op);
    const deviceKey = await op.keyring.key(readPrincipal(nld!.db, 'device', 'sensor-1')!.certificateSha256);
    const sockets = new Set<TLSSocket>();
    const forger = createServer(serverTlsOptions(agent.identity, 5_000), (socket) => {
      sockets.add(socket);
      const channel = new LinkChannel(socket, 5_000);
      void (async () => {
        await openAsServer(op, socket, channel, {}, op.clock.now());
        await channel.expect('reconcile');
        // Nothing to reconcile (both sets empty), the settling turn passed back, then the forged statement.
        channel.send({ type: 'reconcile', scope: `${id}:NLD`, message: '61', clock: { t1: Date.now(), t2: Date.now(), t3: Date.now() } });
        await channel.expect('turn');
        channel.send({ type: 'turn' });
        await channel.expect('proof');
        channel.send({ type: 'proof', envelope: signConvergence({ type: 'entente.convergence/v1', federation: id, version: 1, scope: `${id}:DEU`, count: 0, digest: '0'.repeat(32), at: new Date().toISOString(), peerDigest: null }, { key: deviceKey, keyid: agentKey(nld!).keyid }) });
      })().catch(() => undefined);
    });
    forger.listen(0, '127.0.0.1');
    await new Promise((resolve) => forger.once('listening', resolve));
    const address = forger.address();
    const peer = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      await expect(deu!.links.sync({ peer })).rejects.toMatchObject({ reason: 'bad-proof' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => forger.close(() => resolve(undefined)));
    }
    expect(linkRefusals(deu!)).toEqual(['bad-proof']);
    expect(deu!.integrity.list({ kind: 'link-refused', limit: 5 }).events[0]).toMatchObject({ partner: 'NLD', federation: id, evidence: { reason: 'bad-proof', side: 'client', peer } });
    expect(deu!.links.latestConvergence('NLD', id)).toBeUndefined();
  });
});
