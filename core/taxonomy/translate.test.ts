/**
 * Translation through the pivot with the demo equivalences (data/markings-equivalences.json),
 * each attestation signed by its own mesh's authority and read back as a receiver reads it.
 */
import { describe, expect, it } from 'vitest';
import { defaultNationalPolicy } from '../labels/national-policy.js';
import { NATO_POLICY } from '../labels/nato-policy.js';
import type { ConfidentialityLabel } from '../labels/label.js';
import { readAttestation, type Attestation } from './attestation.js';
import { attestationOf, demoAttestations, FEDERATION, taxonomyMesh } from './test-fixtures.js';
import { translateLabel, translatePayloadTerms, translateTerm } from './translate.js';
import { isSidc, parseVocabulary, type Vocabulary } from './vocabulary.js';

const NOW = new Date('2027-01-15T00:00:00Z');
const label = (policy: string, classification: string, categories: ConfidentialityLabel['categories'] = []): ConfidentialityLabel => ({
  kind: 'originator',
  policy: { id: policy },
  classification,
  categories,
  createdAt: '2026-12-20T08:00:00Z',
});
const REL_TO = (...values: string[]) => ({ tagName: 'Releasable To', type: 'PERMISSIVE' as const, values });

describe('translation through the pivot', async () => {
  const meshes = Object.fromEntries(await Promise.all(['DEU', 'NLD', 'FRA', 'GBR', 'USA'].map(async (code) => [code, await taxonomyMesh(code)] as const)));
  // Every demo statement, verified against its own mesh's card before it is relied on.
  const attestations: Attestation[] = Object.values(meshes).flatMap((mesh) =>
    demoAttestations(mesh).map((a) => {
      const reading = readAttestation(a.envelope, { card: mesh.card, federation: FEDERATION, now: NOW });
      if (!reading.ok) throw new Error(reading.message);
      return reading;
    }),
  );
  const idOf = (mesh: string, term: string, pivot?: string) => attestations.find((a) => a.body.mesh === mesh && a.body.term === term && (pivot === undefined || a.body.pivot.term === pivot))!.id;
  const toMesh = (from: string, to: string, l: ConfidentialityLabel, ceilingPolicy = NATO_POLICY) =>
    translateLabel(l, { senderMesh: from, receiverMesh: to, receiverPolicy: defaultNationalPolicy(to), ceilingPolicy, attestations });

  it('DEU GEHEIM → NLD Stg. GEHEIM, exact, citing both authorities’ attestations', () => {
    expect(translateTerm({ from: { mesh: 'DEU', vocabulary: 'markings', term: 'GEHEIM' }, to: 'NLD', attestations })).toEqual({
      ok: true,
      term: 'Stg. GEHEIM',
      grade: 'exact',
      attestations: [idOf('DEU', 'GEHEIM'), idOf('NLD', 'Stg. GEHEIM')],
    });
    const translated = toMesh('DEU', 'NLD', label('DEU', 'GEHEIM', [REL_TO('DEU', 'NLD')]));
    expect(translated).toEqual({
      ok: true,
      alternative: { kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM', categories: [REL_TO('DEU', 'NLD')], createdAt: '2026-12-20T08:00:00Z' },
      ceilingClassification: 'SECRET',
      grade: 'exact',
      attestations: [idOf('DEU', 'GEHEIM'), idOf('NLD', 'Stg. GEHEIM')].sort(),
    });
  });

  it('an approximate mapping lands on the more restrictive receiver level', () => {
    // GBR OFFICIAL is close to both NATO UNCLASSIFIED and RESTRICTED: DEU OFFEN and VS-NfD are candidates.
    const translated = toMesh('GBR', 'DEU', label('GBR', 'OFFICIAL'));
    expect(translated).toMatchObject({ ok: true, alternative: { classification: 'VS-NUR FÜR DEN DIENSTGEBRAUCH' }, ceilingClassification: 'RESTRICTED', grade: 'close' });
    // The ceiling check sees the more restrictive NATO level too.
    expect(translateTerm({ from: { mesh: 'GBR', vocabulary: 'markings', term: 'OFFICIAL' }, to: 'NLD', attestations })).toMatchObject({ ok: true, grade: 'close' });
    // An exact candidate is used as is, never pushed up by an approximate one.
    expect(toMesh('DEU', 'GBR', label('DEU', 'GEHEIM'))).toMatchObject({ ok: true, alternative: { classification: 'SECRET' }, grade: 'exact' });
  });

  it('a level France has no mapping for is translation loss, naming the term', () => {
    expect(toMesh('DEU', 'FRA', label('DEU', 'VS-VERTRAULICH'))).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'markings', term: 'VS-VERTRAULICH' }] });
    expect(toMesh('NLD', 'FRA', label('NATO', 'RESTRICTED'))).toMatchObject({ ok: false, reason: 'translation-loss' });
    expect(toMesh('DEU', 'USA', label('DEU', 'VS-NUR FÜR DEN DIENSTGEBRAUCH'))).toMatchObject({ ok: false, reason: 'translation-loss' });
    // FRA's own levels do cross where a partner has the level.
    expect(toMesh('FRA', 'DEU', label('FRA', 'TRÈS SECRET'))).toMatchObject({ ok: true, alternative: { classification: 'STRENG GEHEIM' }, grade: 'exact' });
  });

  it('broader ∘ narrower says nothing: translation loss', () => {
    const deu = meshes.DEU!;
    const nld = meshes.NLD!;
    // Both levels narrower than NATO SECRET: A broader, and the inverse of B's broader is narrower.
    const narrowerBoth = [
      attestationOf(deu, 'markings', 'GEHEIM', 'broader', { vocabulary: 'NATO', term: 'SECRET' }),
      attestationOf(nld, 'markings', 'Stg. GEHEIM', 'broader', { vocabulary: 'NATO', term: 'SECRET' }),
    ];
    const from = { mesh: 'DEU', vocabulary: 'markings', term: 'GEHEIM' };
    expect(translateTerm({ from, to: 'NLD', attestations: narrowerBoth })).toEqual({ ok: false, reason: 'translation-loss' });
    expect(translateLabel(label('DEU', 'GEHEIM'), { senderMesh: 'DEU', receiverMesh: 'NLD', receiverPolicy: defaultNationalPolicy('NLD'), ceilingPolicy: NATO_POLICY, attestations: narrowerBoth })).toMatchObject({ ok: false, reason: 'translation-loss' });
    // GEHEIM ⊂ SECRET ⊂ Stg. GEHEIM: broader ∘ broader carries, as broader.
    const chain = [narrowerBoth[0]!, attestationOf(nld, 'markings', 'Stg. GEHEIM', 'narrower', { vocabulary: 'NATO', term: 'SECRET' })];
    expect(translateTerm({ from, to: 'NLD', attestations: chain })).toMatchObject({ ok: true, term: 'Stg. GEHEIM', grade: 'broader' });
  });

  it('a NATO label needs only the receiver’s attestation; the receiver’s own policy needs none', () => {
    expect(toMesh('NLD', 'DEU', label('NATO', 'SECRET', [REL_TO('DEU')]))).toMatchObject({ ok: true, alternative: { policy: { id: 'DEU' }, classification: 'GEHEIM' }, ceilingClassification: 'SECRET', attestations: [idOf('DEU', 'GEHEIM')] });
    expect(toMesh('NLD', 'DEU', label('DEU', 'GEHEIM'))).toMatchObject({ ok: true, alternative: null, ceilingClassification: 'SECRET' });
    // A ceiling stated in the receiver's policy is the alternative's level.
    expect(toMesh('NLD', 'DEU', label('NLD', 'Stg. CONFIDENTIEEL'), defaultNationalPolicy('DEU'))).toMatchObject({ ok: true, ceilingClassification: 'VS-VERTRAULICH' });
  });

  it('a restriction the receiver cannot carry is a loss; an unknown release value is dropped', () => {
    const atomal = { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE' as const, values: ['ATOMAL'] };
    expect(toMesh('NLD', 'DEU', label('NATO', 'SECRET', [atomal]))).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'markings', term: 'Additional Sensitivity: ATOMAL' }] });
    expect(toMesh('FRA', 'DEU', label('FRA', 'SECRET', [{ tagName: 'Mention de protection', type: 'RESTRICTIVE', values: ['DIFFUSION RESTREINTE'] }]))).toMatchObject({ ok: false });
  });
});

describe('payload terms through APP-6', async () => {
  const unitTypes = (field: string, terms: [string, string][]): Vocabulary => parseVocabulary({ name: 'unit-types', pivot: 'APP-6', field, terms: terms.map(([term, sidc]) => ({ term, sidc })) });
  const INFANTRY = '10031000001211000000';
  const ARMOUR = '10031000001205000000';
  const deuUnits = unitTypes('unitType', [['Panzergrenadiere', INFANTRY], ['Panzertruppe', ARMOUR]]);
  const nldUnits = unitTypes('eenheidstype', [['Pantserinfanterie', INFANTRY]]);
  const deu = await taxonomyMesh('DEU', [deuUnits]);
  const nld = await taxonomyMesh('NLD', [nldUnits]);
  const attestations = [
    attestationOf(deu, 'unit-types', 'Panzergrenadiere', 'exact', { vocabulary: 'APP-6', term: INFANTRY }),
    attestationOf(deu, 'unit-types', 'Panzertruppe', 'close', { vocabulary: 'APP-6', term: ARMOUR }),
    attestationOf(nld, 'unit-types', 'Pantserinfanterie', 'exact', { vocabulary: 'APP-6', term: INFANTRY }),
  ];
  const sender = { mesh: 'DEU', vocabularies: deu.card.vocabularies! };

  it('DEU Panzergrenadiere → NLD Pantserinfanterie through the shared SIDC', () => {
    const result = translatePayloadTerms({ unitType: 'Panzergrenadiere', strength: 120 }, sender, { mesh: 'NLD', vocabularies: nld.card.vocabularies! }, attestations);
    expect(result).toEqual({
      ok: true,
      translations: [{ vocabulary: 'unit-types', field: 'unitType', term: 'Panzergrenadiere', to: { vocabulary: 'unit-types', field: 'eenheidstype', term: 'Pantserinfanterie' }, grade: 'exact', attestations: [attestations[0]!.id, attestations[2]!.id] }],
    });
  });

  it('a term the receiver has no equivalent for is a loss; a receiver without the vocabulary takes the pivot term', () => {
    expect(translatePayloadTerms({ unitType: 'Panzertruppe' }, sender, { mesh: 'NLD', vocabularies: nld.card.vocabularies! }, attestations)).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'unit-types', term: 'Panzertruppe' }] });
    expect(translatePayloadTerms({ unitType: 'Panzertruppe' }, sender, { mesh: 'USA', vocabularies: [] }, attestations)).toMatchObject({ ok: true, translations: [{ to: { vocabulary: 'APP-6', field: null, term: ARMOUR }, grade: 'close' }] });
    expect(translatePayloadTerms({ unitType: 'Jäger' }, sender, { mesh: 'NLD', vocabularies: nld.card.vocabularies! }, attestations)).toMatchObject({ ok: false, missing: [{ term: 'Jäger' }] });
    // No such field, or not a string: nothing to translate.
    expect(translatePayloadTerms({ lat: 52.1 }, sender, { mesh: 'NLD', vocabularies: [] }, attestations)).toEqual({ ok: true, translations: [] });
    expect(translatePayloadTerms([1, 2], sender, { mesh: 'NLD', vocabularies: [] }, attestations)).toEqual({ ok: true, translations: [] });
  });
});

describe('event terms through the coalition incident vocabulary', async () => {
  // Event terms have no symbol code: the pivot is a coalition incident vocabulary's own terms.
  const PIVOT = 'coalition-incident';
  const events = (field: string, terms: string[]): Vocabulary => parseVocabulary({ name: 'event-terms', pivot: PIVOT, field, terms: terms.map((term) => ({ term })) });
  const deu = await taxonomyMesh('DEU', [events('ereignis', ['Minenfund', 'Grenzverletzung', 'Luftraumverletzung'])]);
  const fra = await taxonomyMesh('FRA', [events('evenement', ['découverte de mine', 'incident frontalier'])]);
  const attestations = [
    attestationOf(deu, 'event-terms', 'Minenfund', 'exact', { vocabulary: PIVOT, term: 'mine-found' }),
    attestationOf(deu, 'event-terms', 'Grenzverletzung', 'narrower', { vocabulary: PIVOT, term: 'border-incident' }),
    attestationOf(deu, 'event-terms', 'Luftraumverletzung', 'narrower', { vocabulary: PIVOT, term: 'border-incident' }),
    attestationOf(fra, 'event-terms', 'découverte de mine', 'exact', { vocabulary: PIVOT, term: 'mine-found' }),
    attestationOf(fra, 'event-terms', 'incident frontalier', 'exact', { vocabulary: PIVOT, term: 'border-incident' }),
  ];
  const sender = { mesh: 'DEU', vocabularies: deu.card.vocabularies! };
  const receiver = { mesh: 'FRA', vocabularies: fra.card.vocabularies! };

  it('DEU Minenfund → FRA découverte de mine, exact, from the payload field each mesh names', () => {
    expect(translatePayloadTerms({ ereignis: 'Minenfund', lat: 54.3 }, sender, receiver, attestations)).toEqual({
      ok: true,
      translations: [
        { vocabulary: 'event-terms', field: 'ereignis', term: 'Minenfund', to: { vocabulary: 'event-terms', field: 'evenement', term: 'découverte de mine' }, grade: 'exact', attestations: [attestations[0]!.id, attestations[3]!.id] },
      ],
    });
  });

  it('a narrower term lands on the broader receiver term with the weaker grade; a term no authority attested is a loss', () => {
    expect(translatePayloadTerms({ ereignis: 'Grenzverletzung' }, sender, receiver, attestations)).toMatchObject({ ok: true, translations: [{ to: { term: 'incident frontalier' }, grade: 'narrower' }] });
    expect(translatePayloadTerms({ ereignis: 'Schiffsbrand' }, sender, receiver, attestations)).toEqual({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: 'event-terms', term: 'Schiffsbrand' }] });
  });
});

describe('vocabularies', () => {
  it('checks APP-6D and 2525C symbol codes syntactically', () => {
    for (const good of ['10031000001211000000', '10061500001101000000', 'SFGPUCI--------', 'SHGPUCA--------', 'SUAPMFQ--------', 'SNSP-----------']) expect(isSidc(good), good).toBe(true);
    for (const bad of ['1003100000121100000', '99031000001211000000', '10931000001211000000', '10039900001211000000', 'SFGPUCI-------', 'XFGPUCI--------', 'sfgpuci--------', 'SFQPUCI--------']) expect(isSidc(bad), bad).toBe(false);
    expect(() => parseVocabulary({ name: 'unit-types', pivot: 'APP-6', field: 'unitType', terms: [{ term: 'X', sidc: 'SFGPUCI' }] })).toThrow(/SIDC/);
  });

  it('refuses duplicate terms, a vocabulary without its payload field, and markings given a field', () => {
    const reason = (candidate: unknown) => {
      try {
        parseVocabulary(candidate);
        return 'accepted';
      } catch (error) {
        return `${(error as { reason: string }).reason}: ${(error as Error).message}`;
      }
    };
    expect(reason({ name: 'event-terms', pivot: 'coalition-incident', field: 'event', terms: [{ term: 'IED' }, { term: 'IED' }] })).toMatch(/^malformed-vocabulary: .*appears twice/);
    expect(reason({ name: 'event-terms', pivot: 'coalition-incident', terms: [{ term: 'IED' }] })).toMatch(/payload field/);
    expect(reason({ name: 'markings', pivot: 'NATO', field: 'x', terms: [{ term: 'GEHEIM' }] })).toMatch(/field/);
    expect(reason({ name: 'event-terms', pivot: 'coalition-incident', field: 'a.b', terms: [{ term: 'IED' }] })).toMatch(/top-level/);
    expect(reason({ name: 'event-terms', pivot: 'coalition-incident', field: 'event', terms: Array.from({ length: 1025 }, (_, i) => ({ term: `t${i}` })) })).toMatch(/malformed-vocabulary/);
    expect(reason({ name: 'event-terms', pivot: 'coalition-incident', field: 'event', terms: [{ term: 'IED\nforged' }] })).toMatch(/control/);
  });
});
