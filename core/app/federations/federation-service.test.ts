/**
 * Federations between real meshes on real stores: signing by every partner, the lifecycle
 * under a clock that is set back, foreign observations admitted and then purged on exit with
 * the purge recorded, and each bad input of issue 5 refused by name with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { declarationFor, testMesh, type TestMesh } from '../../federation/test-fixtures.js';
import { readTimeFloor } from '../../store/federation-store.js';
import { crossBundle, readyToCross } from '../../test-support/federated-homes.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-federation-');

type Home = TestHome;

/** The fixtures' declaration, with these homes' real cards. */
function declarationOf(hs: Home[], overrides: Parameters<typeof declarationFor>[1] = {}) {
  const meshes = hs.map((h) => ({ code: h.mesh.require().mesh.code, card: h.mesh.card() }) as unknown as TestMesh);
  return declarationFor(meshes, overrides);
}

const carry = (from: Home, to: Home, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));
const propose = (h: Home, candidate: unknown) => h.federations.propose(candidate);
const sign = (h: Home, id: string) => h.federations.sign(id);
const status = (h: Home) => h.federations.status();
const signerOf = async (h: Home) => (await h.context.writing().log()).signer;

const label = (classification: string) => JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' });

/** A partner records an observation. */
async function partnerObservation(h: Home, cls: string, classification = 'CONFIDENTIAL') {
  return h.observations.observe({ device: 'sensor-1', class: cls, subject: `${cls}:1`, labelText: label(classification), payloadText: '{"x":1}', derivedFrom: [], derivation: null });
}

describe('federations between homes', () => {
  it('is active only once every partner signed, across three homes', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    const { id } = await propose(deu, declarationOf([deu, nld, pol]));
    expect((await status(deu))[0]).toMatchObject({ state: 'proposed', partners: [{ signature: 'signed' }, { signature: 'missing' }, { signature: 'missing' }] });
    await carry(deu, nld, id);
    await sign(nld, id);
    await carry(nld, pol, id);
    expect((await sign(pol, id)).state).toBe('active');
    await carry(pol, deu, id);
    expect((await status(deu))[0]).toMatchObject({ state: 'active', version: 1 });
    expect(deu.federations.mayCross('NLD', 'DEU', 'track')).toMatchObject({ allowed: true, ceiling: { classification: 'CONFIDENTIAL' } });
    expect(deu.audit.verify().failures).toEqual([]);
    const reasons = deu.db.prepare("SELECT json_extract(entry, '$.why.reasons[0]') FROM audit_entries WHERE type = 'federation' ORDER BY seq").pluck().all();
    expect(reasons).toEqual(['proposed', 'imported', 'activated']);

    // DEU and NLD cannot amend POL out of it, by proposing such a version or by carrying one over.
    const before = deu.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get();
    const withoutPol = { ...declarationOf([deu, nld]), id, version: 2 };
    expect(await refusal(() => propose(deu, withoutPol))).toBe('partner-dropped');
    const carried = { ...nld.federations.export(id), declaration: withoutPol, signatures: [] };
    expect(await refusal(() => deu.federations.import(JSON.stringify(carried)))).toBe('partner-dropped');
    expect(deu.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(before);
  });

  it('stays expired when the workstation clock is set back', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const expires = new Date(Date.now() + 3_600_000);
    const { id } = await propose(deu, declarationOf([deu, nld], { validity: { start: new Date(Date.now() - 60_000).toISOString(), expires: expires.toISOString() } }));
    await carry(deu, nld, id);
    await sign(nld, id);
    await carry(nld, deu, id);
    expect((await status(deu))[0]!.state).toBe('active');
    const later = new Date(expires.getTime() + 60_000);
    deu.setClock(later);
    expect((await status(deu))[0]!.state).toBe('exited');
    // Back to "now": the floor remembers the later moment, for writers and readers alike.
    deu.setClock(new Date());
    expect((await status(deu))[0]!.state).toBe('exited');
    expect(deu.federations.summaries()[0]).toMatchObject({ state: 'exited', judgedAt: later.toISOString() });
    expect(readTimeFloor(deu.db)).toBe(later.toISOString());
    expect(deu.federations.mayCross('NLD', 'DEU', 'track')).toMatchObject({ allowed: false });
  });

  it('admits a partner’s observation under the federation, then purges it and what was derived from it when the partner withdraws', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const retainIncidents = declarationOf([deu, nld]);
    retainIncidents.scope[1] = { ...retainIncidents.scope[1]!, classes: ['track', 'incident'] };
    const { id } = await propose(deu, retainIncidents);
    await carry(deu, nld, id);
    await sign(nld, id);
    await carry(nld, deu, id);

    await readyToCross([deu, nld], id);
    const track = await partnerObservation(nld, 'track');
    const incident = await partnerObservation(nld, 'incident');
    // Above the ceiling, and outside the scope: NLD's export leaves them out, so nothing of them crosses.
    await partnerObservation(nld, 'track', 'SECRET');
    await partnerObservation(nld, 'logistics');
    const { exported, imported } = await crossBundle(nld, deu);
    expect(exported.observations).toBe(2);
    expect(imported.counts).toMatchObject({ admitted: 2, rejected: 0 });
    const derived = await deu.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: label('CONFIDENTIAL'), payloadText: '{"fused":true}', derivedFrom: [track.id], derivation: { name: 'fuse', version: '1' } });
    expect(await deu.observations.verifyAll()).toMatchObject({ checked: 3, verified: 3 });

    await nld.federations.withdraw(id, 'Exercise ended early for NLD');
    await carry(nld, deu, id);
    expect((await status(deu))[0]!.state).toBe('exited');
    const held = deu.db.prepare('SELECT id FROM observations ORDER BY id').pluck().all();
    expect(held).toEqual([incident.id]);
    const purge = deu.db.prepare("SELECT entry FROM audit_entries WHERE type = 'purge'").pluck().get() as string;
    const entry = JSON.parse(purge) as { what: { ids: string[]; detail: Record<string, unknown> }; why: { reasons: string[] } };
    expect(entry.what.ids.sort()).toEqual([track.id, derived.id].sort());
    expect(entry.what.detail).toMatchObject({ partner: 'NLD', foreignPurged: 1, derivedPurged: 1, retained: 1 });
    expect(entry.why.reasons).toEqual(['federation-withdrawn']);
    expect(purge).not.toContain('"x":1');
    // The joint picture shows only what is still held: what a full recomputation gives.
    const kept = deu.reconcile.picture();
    expect(kept.subjects).toBe(deu.db.prepare('SELECT COUNT(DISTINCT subject) FROM observations').pluck().get());
    expect(deu.reconcile.rebuild().digest).toBe(kept.digest);
    expect(deu.audit.verify().failures).toEqual([]);
    expect(await deu.observations.verifyAll()).toMatchObject({ checked: 1, verified: 1 });
  });
});

describe('bad federation input, each refused by name with nothing written', () => {
  it('refuses a signature by a non-partner key, an altered declaration and a replayed older version', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    const { id } = await propose(deu, declarationOf([deu, nld]));
    const exchange = deu.federations.export(id);
    const before = nld.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get();

    // POL is no partner: its authority's signature over the same bytes is refused.
    const polSigner = await signerOf(pol);
    const { signDeclaration } = await import('../../federation/signatures.js');
    const { parseDeclaration } = await import('../../federation/declaration.js');
    const stranger = signDeclaration(parseDeclaration(exchange.declaration), { keyid: polSigner.certificateSha256, key: polSigner.key });
    expect(await refusal(() => nld.federations.import(JSON.stringify({ ...exchange, signatures: [...exchange.signatures, stranger] })))).toBe('not-a-partner-signature');

    const altered = { ...exchange, declaration: { ...(exchange.declaration as object), purpose: 'Quietly widened' } };
    expect(await refusal(() => nld.federations.import(JSON.stringify(altered)))).toBe('bad-signature');
    expect(nld.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(0);
    expect(nld.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(before);

    // Version 2 is signed by both; then version 1 is replayed to a home that holds only version 2 in force.
    await carry(deu, nld, id);
    await sign(nld, id);
    await carry(nld, deu, id);
    const v2 = { ...declarationOf([deu, nld]), id, version: 2, purpose: 'Amended' };
    const v1Exchange = deu.federations.export(id);
    await propose(deu, v2);
    await carry(deu, nld, id);
    await sign(nld, id);
    expect((await status(nld))[0]).toMatchObject({ version: 2, inForce: 2, amended: [1] });
    // The genuine version 1, fully signed, replayed after version 2 came into force.
    expect(await refusal(() => nld.federations.import(JSON.stringify(v1Exchange)))).toBe('rollback');
  });

  it('refuses a card that does not match its anchor, an expiry in the past, an unknown class and a malformed file', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const mismatched = declarationOf([deu, nld]);
    mismatched.partners[1] = { ...mismatched.partners[1]!, card: { ...mismatched.partners[1]!.card, trustAnchor: { ...mismatched.partners[1]!.card.trustAnchor, sha256: 'ab'.repeat(32) } } };
    expect(await refusal(() => propose(deu, mismatched))).toBe('card-mismatch');
    // DEU's seat with another CA's anchor (a fresh one: NLD's would be one authority in two seats).
    const ours = declarationOf([deu, nld]);
    const otherCa = await testMesh('DEU');
    expect(await refusal(() => propose(deu, { ...ours, partners: [{ ...ours.partners[0]!, card: otherCa.card }, ours.partners[1]!] }))).toBe('card-mismatch');
    expect(await refusal(() => propose(deu, declarationOf([deu, nld], { validity: { start: '2020-01-01T00:00:00Z', expires: '2020-02-01T00:00:00Z' } })))).toBe('expired-declaration');
    const unknownClass = declarationOf([deu, nld]);
    unknownClass.scope[0] = { ...unknownClass.scope[0]!, classes: ['weather'] };
    expect(await refusal(() => propose(deu, unknownClass))).toBe('unknown-class');
    expect(await refusal(() => nld.federations.import('{"type":"entente.federation-exchange/v1"'))).toBe('malformed-file');
    expect(await refusal(() => nld.federations.import('{"type":"something else"}'))).toBe('malformed-file');
    expect(deu.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(0);
  });

  it('refuses a version far ahead of the last one, and a missing signature leaves it proposed', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const { id } = await propose(deu, declarationOf([deu, nld]));
    expect(await refusal(() => propose(deu, { ...declarationOf([deu, nld]), id, version: 5 }))).toBe('fast-forward');
    await carry(deu, nld, id);
    expect((await status(nld))[0]).toMatchObject({ state: 'proposed', partners: [{ mesh: 'DEU', signature: 'signed' }, { mesh: 'NLD', signature: 'missing' }] });
    expect(nld.federations.mayCross('DEU', 'NLD', 'track')).toMatchObject({ allowed: false, reason: 'not-active' });
  });
});
