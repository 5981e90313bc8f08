/**
 * Symbols from the writer's vocabulary (issue 16): a payload that names its platform in its mesh's
 * words gets the APP-6 code that mesh's unit-type vocabulary gives the term — ours from our
 * vocabularies, a partner's from the card it signed into the federation.
 */
import { describe, expect, it } from 'vitest';
import { joinFederation } from '../../test-support/federated-homes.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { createAppContext } from '../context/operation.js';
import { symbolBook } from './symbol-book.js';

const home = useTestHomes('entente-symbols-');
const INFANTRY = '10031000001211000000';
const ARMOUR = '10031000001205000000';
const unitTypes = (field: string, terms: [string, string][]) => ({ name: 'unit-types', pivot: 'APP-6', field, terms: terms.map(([term, sidc]) => ({ term, sidc })) });
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] }], createdAt: '2026-11-23T08:00:00Z' });

describe('the symbol a payload term stands for', () => {
  it("reads our own terms from our vocabularies and a partner's from its card, never across meshes", async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    await deu.taxonomy.define(unitTypes('unitType', [['Panzergrenadiere', INFANTRY], ['Panzertruppe', ARMOUR]]));
    await nld.taxonomy.define(unitTypes('eenheidstype', [['Pantserinfanterie', INFANTRY]]));
    await joinFederation([deu, nld], { agents: false, attest: false });

    const atNld = symbolBook(createAppContext(nld.db).reading());
    expect(atNld('NLD', { eenheidstype: 'Pantserinfanterie' })).toBe(INFANTRY);
    expect(atNld('DEU', { unitType: 'Panzertruppe', lat: 52 })).toBe(ARMOUR);
    // DEU's word under NLD's field, an unknown term, a term that is not text, an unknown mesh: no symbol.
    expect(atNld('NLD', { eenheidstype: 'Panzertruppe' })).toBeNull();
    expect(atNld('DEU', { unitType: 'Pantserinfanterie' })).toBeNull();
    expect(atNld('DEU', { unitType: ['Panzertruppe'] })).toBeNull();
    expect(atNld('FRA', { unitType: 'Panzertruppe' })).toBeNull();
    for (const payload of [null, 'Panzertruppe', ['Panzertruppe'], 7]) expect(atNld('DEU', payload)).toBeNull();
  });

  it('gives the observations table the symbol, and a code in the payload itself still wins', async () => {
    const deu = await home('DEU');
    await deu.taxonomy.define(unitTypes('unitType', [['Panzergrenadiere', INFANTRY]]));
    const observe = (subject: string, payload: unknown) => deu.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: label, payloadText: JSON.stringify(payload), derivedFrom: [], derivation: null });
    await observe('track:1', { unitType: 'Panzergrenadiere' });
    await observe('track:2', { unitType: 'Panzergrenadiere', sidc: ARMOUR });
    await observe('track:3', { unitType: 'Kavallerie' });
    const rows = (await deu.observations.page({ limit: 10, offset: 0 })).observations;
    const sidcOf = Object.fromEntries(rows.map((r) => [r.subject, r.sidc]));
    expect(sidcOf).toEqual({ 'track:1': INFANTRY, 'track:2': ARMOUR, 'track:3': null });
  });
});
