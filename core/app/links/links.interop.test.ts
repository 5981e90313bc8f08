/**
 * Interoperability of a live link's reconciliation (decision 0006): an independent negentropy
 * implementation (nostr-tools' NIP-77 module) as the initiator, speaking over our frames after
 * a real handshake, against our server as responder, learns exactly the difference of the two
 * meshes' sets, both ways, and gets the bodies it asks for.
 */
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { channelBinding, clientTlsOptions, LinkChannel } from '../../boundary/link/index.js';
import { federate, nationalLabel } from '../../test-support/federated-homes.js';
import { TheirNegentropy, TheirStorage } from '../../test-support/nip77.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { helloFor } from '../agents/agents-service.js';
import { crossingParts } from '../crossing/wiring.js';
import { linkAgent } from './handshake.js';
import { scopeSet } from './scope.js';
import type { LinkServer } from './service.js';

const home = useTestHomes('entente-links-interop-');
const servers: LinkServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function observe(h: TestHome, subject: string) {
  return (await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'DEU' ? 'GEHEIM' : 'Stg. GEHEIM'), payloadText: '{}', derivedFrom: [], derivation: null })).id;
}

describe('a live link with an independent negentropy peer', () => {
  it("nostr-tools as initiator over our frames finds the difference against our responder", async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const deuOnly: string[] = [];
    const nldOnly: string[] = [];
    for (let i = 0; i < 40; i++) deuOnly.push(await observe(deu!, `track:d${i}`));
    for (let i = 0; i < 25; i++) nldOnly.push(await observe(nld!, `track:n${i}`));
    const server = await nld!.links.serve({ port: 0 });
    servers.push(server);

    // DEU's side of the set, as our scope builds it, loaded into their storage.
    const op = deu!.context.writing();
    const ours = scopeSet(op, crossingParts, { federation: id, partner: 'NLD' }, new Date()).storage;
    const storage = new TheirStorage();
    for (let i = 0; i < ours.size(); i++) storage.insert(ours.getItem(i).timestamp, Buffer.from(ours.getItem(i).id).toString('hex'));
    storage.seal();

    const socket = connect(clientTlsOptions((await linkAgent(op)).identity, '127.0.0.1', server.port));
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const channel = new LinkChannel(socket, 5_000);
    channel.send({ type: 'hello', envelope: (await helloFor(op, { to: 'NLD', federation: id, nonce: channelBinding(socket) })).envelope });
    await channel.expect('hello');

    const theirs = new TheirNegentropy(storage, 60_000);
    const have: string[] = [];
    const need: string[] = [];
    let message: string | null = theirs.initiate();
    let rounds = 0;
    while (message !== null) {
      rounds += 1;
      channel.send({ type: 'reconcile', scope: `${id}:DEU`, message, clock: { t1: Date.now() } });
      const reply = await channel.expect('reconcile');
      message = theirs.reconcile(reply.message, (h) => have.push(h), (n) => need.push(n));
    }
    expect(rounds).toBeLessThanOrEqual(3);
    expect(have.sort()).toEqual([...deuOnly].sort());
    expect(need.sort()).toEqual([...nldOnly].sort());

    channel.send({ type: 'want', ids: need });
    const items = await channel.expect('items');
    expect(items.items.map((i) => (i.record as { subject: string }).subject).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `track:n${i}`).sort());
    channel.close();
  });
});
