/**
 * The sync index on real homes (decision 0006): a scope holds what the federation lets cross to
 * the partner plus what was admitted from it, it is kept on every store path in the storing
 * transaction, and two homes that have crossed everything hold equal sets, so negentropy over
 * their indexes finds nothing in one round trip — and, before that, exactly what each lacks.
 */
import { describe, expect, it } from 'vitest';
import { Negentropy } from '../../boundary/negentropy/index.js';
import { hex } from '../../boundary/negentropy/test-fixtures.js';
import { crossBundle, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { syncScopeOf } from './membership.js';

const home = useTestHomes('entente-sync-index-');

async function observe(h: TestHome, classification: string, subject: string, releasableTo?: string[]) {
  const { id } = await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification, releasableTo), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
  return id;
}

function idsIn(h: TestHome, federation: string, partner: string): string[] {
  const storage = h.syncIndex.storage(federation, partner);
  const ids: string[] = [];
  storage.iterate(0, storage.size(), (item) => ids.push(hex(item.id)) > 0);
  return ids.sort();
}

/** One negentropy session between two homes' scopes, in memory: what the first has and needs. */
function reconcile(a: TestHome, b: TestHome, federation: string) {
  const initiator = new Negentropy(a.syncIndex.storage(federation, b.code));
  const have: string[] = [];
  const need: string[] = [];
  let rounds = 0;
  let query: Uint8Array | null = initiator.initiate();
  while (query) {
    rounds += 1;
    const answer = new Negentropy(b.syncIndex.storage(federation, a.code)).reconcile(query);
    const next = initiator.reconcile(answer.reply!);
    have.push(...next.have.map(hex));
    need.push(...next.need.map(hex));
    query = next.reply;
  }
  return { have: have.sort(), need: need.sort(), rounds };
}

describe('the sync index', () => {
  it('holds what may cross plus what was admitted, kept on publish and on admission; crossed homes converge', async () => {
    const { id: federation, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const releasable = [await observe(deu!, 'GEHEIM', 'track:1'), await observe(deu!, 'GEHEIM', 'track:2')];
    // Above the ceiling, and not releasable to NLD: never in DEU's scope for NLD.
    await observe(deu!, 'STRENG GEHEIM', 'track:cosmic');
    await observe(deu!, 'GEHEIM', 'track:deu-only', ['DEU']);
    const fromNld = [await observe(nld!, 'Stg. GEHEIM', 'track:n1')];

    // Built on first use from what is stored.
    expect(idsIn(deu!, federation, 'NLD')).toEqual([...releasable].sort());
    expect(deu!.syncIndex.scopes()).toEqual([syncScopeOf(federation, 'NLD')]);
    expect(idsIn(nld!, federation, 'DEU')).toEqual(fromNld);

    // Kept on publish, in the storing transaction: no rebuild needed to see it.
    releasable.push(await observe(deu!, 'GEHEIM', 'track:3'));
    await observe(deu!, 'STRENG GEHEIM', 'track:cosmic-2');
    expect(deu!.syncIndex.summary(federation, 'NLD')!.count).toBe(3);
    expect(idsIn(deu!, federation, 'NLD')).toEqual([...releasable].sort());

    // Before crossing, negentropy over the two indexes names exactly what each side lacks.
    const before = reconcile(deu!, nld!, federation);
    expect(before.have).toEqual([...releasable].sort());
    expect(before.need).toEqual(fromNld);

    // Admission keeps the index too; after both bundles the sets are the same.
    await crossBundle(deu!, nld!);
    await crossBundle(nld!, deu!);
    const all = [...releasable, ...fromNld].sort();
    expect(nld!.syncIndex.summary(federation, 'DEU')!.count).toBe(all.length);
    expect(idsIn(nld!, federation, 'DEU')).toEqual(all);
    expect(idsIn(deu!, federation, 'NLD')).toEqual(all);
    expect(hex(deu!.syncIndex.summary(federation, 'NLD')!.fingerprint)).toBe(hex(nld!.syncIndex.summary(federation, 'DEU')!.fingerprint));
    expect(reconcile(deu!, nld!, federation)).toEqual({ have: [], need: [], rounds: 1 });

    // A rebuild from the store gives the same set as the upkeep did.
    const kept = deu!.syncIndex.summary(federation, 'NLD')!;
    const rebuilt = deu!.syncIndex.rebuild(federation, 'NLD');
    expect([rebuilt.count, hex(rebuilt.fingerprint)]).toEqual([kept.count, hex(kept.fingerprint)]);
  });

  it('items carry the signed mesh time (hlc.l) as their timestamp', async () => {
    const { id: federation, homes: [deu] } = await federate(home, ['DEU', 'NLD']);
    const id = await observe(deu!, 'GEHEIM', 'track:t');
    const storage = deu!.syncIndex.storage(federation, 'NLD');
    const record = JSON.parse(deu!.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(id) as string) as { time: { hlc: { l: number } } };
    expect(storage.getItem(0)).toEqual({ timestamp: record.time.hlc.l, id: Uint8Array.from(Buffer.from(id, 'hex')) });
  });

  it('rebuilds a scope built under another federation version than the one in force', async () => {
    const { id: federation, homes: [deu] } = await federate(home, ['DEU', 'NLD']);
    const id = await observe(deu!, 'GEHEIM', 'track:v');
    expect(idsIn(deu!, federation, 'NLD')).toEqual([id]);
    // As if built under an older declaration (and missing what the new one lets cross).
    deu!.db.prepare('DELETE FROM sync_items').run();
    deu!.db.prepare('DELETE FROM sync_runs').run();
    deu!.db.prepare('UPDATE sync_scopes SET count = 0, sum = zeroblob(32), version = 0').run();
    expect(idsIn(deu!, federation, 'NLD')).toEqual([id]);
    expect(deu!.syncIndex.summary(federation, 'NLD')).toMatchObject({ count: 1, version: 1 });
  });

  it('refuses a scope no federation in force has', async () => {
    const { id: federation, homes: [deu] } = await federate(home, ['DEU', 'NLD']);
    expect(await refusal(() => deu!.syncIndex.storage(federation, 'FRA'))).toBe('no-federation');
    expect(await refusal(() => deu!.syncIndex.rebuild('no-such-federation', 'NLD'))).toBe('no-federation');
    expect(deu!.syncIndex.scopes()).toEqual([]);
  });
});
