/**
 * Taxonomy between real homes: vocabularies defined before the federation (so the cards it
 * carries publish them), each authority attesting its own terms, the partner admitting them
 * after checking them against the card in the active federation, and the translator the
 * crossing asks, on a record the sender really signed.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../canonical/jcs.js';
import { parseDeclaration } from '../../federation/declaration.js';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { demoMarkingStatements } from '../../taxonomy/demo-markings.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-taxonomy-');

const INFANTRY = '10031000001211000000';
const ARMOUR = '10031000001205000000';
const unitTypes = (field: string, terms: [string, string][]) => ({ name: 'unit-types', pivot: 'APP-6', field, terms: terms.map(([term, sidc]) => ({ term, sidc })) });

const carry = (from: TestHome, to: TestHome, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));

/** DEU and NLD with unit types defined, in an active federation whose cards carry them. */
async function federated() {
  const [deu, nld] = [await home('DEU'), await home('NLD')];
  await deu.taxonomy.define(unitTypes('unitType', [['Panzergrenadiere', INFANTRY], ['Panzertruppe', ARMOUR]]));
  await nld.taxonomy.define(unitTypes('eenheidstype', [['Pantserinfanterie', INFANTRY]]));
  const meshes = [deu, nld].map((h) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh);
  const { id } = await deu.federations.propose(declarationFor(meshes));
  await carry(deu, nld, id);
  await nld.federations.sign(id);
  await carry(nld, deu, id);
  return { deu, nld, id };
}

async function attestDemo(h: TestHome, federation: string) {
  const made = [];
  for (const s of demoMarkingStatements(h.code)) made.push(await h.taxonomy.attest({ federation, vocabulary: 'markings', term: s.term, relation: s.relation, pivotTerm: s.pivot }));
  return made;
}

const label = (policy: string, classification: string) => JSON.stringify({ kind: 'originator', policy: { id: policy }, classification, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-12-20T08:00:00Z' });

describe('the taxonomy service', () => {
  it('publishes markings from the label policy and defined vocabularies on the card, through a federation declaration', async () => {
    const { deu, nld, id } = await federated();
    expect(deu.taxonomy.vocabularies().map((v) => v.name)).toEqual(['markings', 'unit-types']);
    expect(deu.taxonomy.vocabularies()[0]).toMatchObject({ pivot: 'NATO', terms: [{ term: 'OFFEN' }, { term: 'VS-NUR FÜR DEN DIENSTGEBRAUCH' }, { term: 'VS-VERTRAULICH' }, { term: 'GEHEIM' }, { term: 'STRENG GEHEIM' }] });
    // NLD holds DEU's card as the signed declaration carries it, vocabularies included.
    const held = parseDeclaration(nld.federations.export(id).declaration).partners.find((p) => p.mesh === 'DEU')!.card;
    expect(held.vocabularies).toEqual(deu.taxonomy.vocabularies());
    expect(canonicalize(held)).toBe(canonicalize(deu.mesh.card()));
    // Redefining the same vocabulary changes nothing; markings cannot be defined by hand.
    expect((await deu.taxonomy.define(unitTypes('unitType', [['Panzergrenadiere', INFANTRY], ['Panzertruppe', ARMOUR]]))).changed).toBe(false);
    expect(await refusal(() => deu.taxonomy.define({ name: 'markings', pivot: 'NATO', terms: [{ term: 'X' }] }))).toBe('markings-derived');
    expect(await refusal(() => deu.taxonomy.define({ name: 'unit-types', pivot: 'APP-6', field: 'unitType', terms: [{ term: 'X', sidc: 'not-a-sidc' }] }))).toBe('malformed-vocabulary');
  });

  it('attests own terms only, logs each as a translation entry, and the log still verifies', async () => {
    const { deu, id } = await federated();
    const [geheim] = [await deu.taxonomy.attest({ federation: id, vocabulary: 'markings', term: 'GEHEIM', relation: 'exact', pivotTerm: 'SECRET' })];
    expect(geheim!.body).toMatchObject({ federation: id, mesh: 'DEU', expires: deu.federations.summary(id).expires });
    expect(await refusal(() => deu.taxonomy.attest({ federation: id, vocabulary: 'markings', term: 'Stg. GEHEIM', relation: 'exact', pivotTerm: 'SECRET' }))).toBe('unknown-term');
    expect(await refusal(() => deu.taxonomy.attest({ federation: id, vocabulary: 'markings', term: 'GEHEIM', relation: 'exact', pivotTerm: 'GEHEIM' }))).toBe('unknown-term');
    expect(await refusal(() => deu.taxonomy.attest({ federation: 'no-such-federation', vocabulary: 'markings', term: 'GEHEIM', relation: 'exact', pivotTerm: 'SECRET' }))).toBe('unknown-federation');
    // A vocabulary defined after the federation is not on the card partners hold: refused before signing.
    await deu.taxonomy.define({ name: 'event-terms', pivot: 'coalition-incident', field: 'event', terms: [{ term: 'Sprengfalle' }] });
    expect(await refusal(() => deu.taxonomy.attest({ federation: id, vocabulary: 'event-terms', term: 'Sprengfalle', relation: 'exact', pivotTerm: 'IED' }))).toBe('unknown-term');
    expect(deu.taxonomy.list({ federation: id }).map((a) => [a.term, a.own])).toEqual([['GEHEIM', true]]);
    const entries = deu.db.prepare("SELECT json_extract(entry, '$.why.reasons[0]') AS reason, json_extract(entry, '$.what.attestations') AS ids FROM audit_entries WHERE type = 'translation' ORDER BY seq").all();
    expect(entries).toEqual([
      { reason: 'vocabulary-defined', ids: null },
      { reason: 'attested', ids: JSON.stringify([geheim!.id]) },
      { reason: 'vocabulary-defined', ids: null },
    ]);
    expect(deu.audit.verify().failures).toEqual([]);
  });

  it('admits a partner’s attestations once, refusing tampered, foreign and unknown ones by name', async () => {
    const { deu, nld, id } = await federated();
    const made = await attestDemo(deu, id);
    const envelopes = made.map((a) => a.envelope);
    const outcomes = await nld.taxonomy.admitPartnerAttestations(envelopes);
    expect(outcomes.map((o) => o.outcome)).toEqual(made.map(() => 'stored'));
    expect((await nld.taxonomy.admitPartnerAttestations(envelopes)).map((o) => o.outcome)).toEqual(made.map(() => 'duplicate'));
    const first = envelopes[0]!;
    const payload = Buffer.from(first.payload, 'base64');
    payload[payload.length - 3]! ^= 0x01;
    const nldOwn = await nld.taxonomy.attest({ federation: id, vocabulary: 'markings', term: 'Stg. GEHEIM', relation: 'exact', pivotTerm: 'SECRET' });
    const refused = await nld.taxonomy.admitPartnerAttestations([
      { ...first, payload: payload.toString('base64') },
      { ...first, signatures: nldOwn.envelope.signatures },
      { payloadType: 'application/vnd.entente.equivalence+json', payload: Buffer.from(canonicalize({ ...made[0]!.body, federation: 'other-federation' })).toString('base64'), signatures: first.signatures },
      { nonsense: true },
    ]);
    expect(refused.map((o) => (o.outcome === 'refused' ? o.reason : o.outcome))).toEqual(['bad-signature', 'wrong-authority', 'no-federation', 'malformed-attestation']);
    expect(nld.taxonomy.list({ federation: id }).filter((a) => !a.own)).toHaveLength(made.length);
    expect(nld.audit.verify().failures).toEqual([]);
  });

  it('translates a DEU record for NLD: alternative label, ceiling level, APP-6 unit type; a term without a mapping is loss', async () => {
    const { deu, nld, id } = await federated();
    const fromDeu = [...(await attestDemo(deu, id)), await deu.taxonomy.attest({ federation: id, vocabulary: 'unit-types', term: 'Panzergrenadiere', relation: 'exact', pivotTerm: INFANTRY }), await deu.taxonomy.attest({ federation: id, vocabulary: 'unit-types', term: 'Panzertruppe', relation: 'exact', pivotTerm: ARMOUR })];
    await attestDemo(nld, id);
    await nld.taxonomy.attest({ federation: id, vocabulary: 'unit-types', term: 'Pantserinfanterie', relation: 'exact', pivotTerm: INFANTRY });
    await nld.taxonomy.admitPartnerAttestations(fromDeu.map((a) => a.envelope));
    const observe = async (classification: string, unitType: string) =>
      (await deu.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: label('DEU', classification), payloadText: JSON.stringify({ unitType, lat: 54.3 }), derivedFrom: [], derivation: null })).record;

    const translate = nld.taxonomy.translatorFor({ from: 'DEU', federation: id });
    const result = translate(await observe('GEHEIM', 'Panzergrenadiere'));
    expect(result).toMatchObject({
      ok: true,
      alternative: { kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM', categories: [{ tagName: 'Releasable To', values: ['DEU', 'NLD'] }] },
      ceilingClassification: 'SECRET',
      translations: [{ field: 'unitType', term: 'Panzergrenadiere', to: { vocabulary: 'unit-types', field: 'eenheidstype', term: 'Pantserinfanterie' }, grade: 'exact' }],
      grade: 'exact',
    });
    const cited = nld.taxonomy.list({ federation: id });
    const idOf = (mesh: string, term: string) => cited.find((a) => a.mesh === mesh && a.term === term)!.id;
    expect(result.ok && result.attestations).toEqual([idOf('DEU', 'GEHEIM'), idOf('NLD', 'Stg. GEHEIM'), idOf('DEU', 'Panzergrenadiere'), idOf('NLD', 'Pantserinfanterie')].sort());

    expect(translate(await observe('GEHEIM', 'Panzertruppe'))).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'unit-types', term: 'Panzertruppe' }] });
    // Only under a federation this home holds, and only for one of its partners.
    const pol = await home('POL');
    expect(await refusal(() => pol.taxonomy.translatorFor({ from: 'DEU', federation: id }))).toBe('unknown-federation');
    expect(await refusal(() => nld.taxonomy.translatorFor({ from: 'POL', federation: id }))).toBe('not-a-partner');
    // DEU has not admitted NLD's attestations: with nothing to compose, it is loss, not a guess.
    const onlyDeu = deu.taxonomy.translatorFor({ from: 'NLD', federation: id });
    expect(onlyDeu({ mesh: 'NLD', class: 'track', label: JSON.parse(label('NLD', 'Stg. GEHEIM')) as never, payload: {} })).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'markings', term: 'Stg. GEHEIM' }] });
  });
});
