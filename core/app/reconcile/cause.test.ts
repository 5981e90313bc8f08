/**
 * The queue's cause estimate from what the store knows (cause.ts, 0007 "The queue"), on real
 * homes two days after their devices were certified (so no device is new): a disagreement across
 * a payload term that crossed translated is a translation seam; one whose observation came in a burst
 * from its device, or whose device credential this mesh has since revoked, is suspected
 * injection, each with its reason; the rest is genuine disagreement. (Only a term in the payload
 * counts as a seam: a label crossing through an approximate marking attestation does not, as
 * crossings.translations holds the payload's terms.)
 */
import { describe, expect, it } from 'vitest';
import { BURST_COUNT } from './cause.js';
import { crossBundle, DEFAULT_RULE, federate, joinFederation, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-cause-');
const DAY = 86_400_000;
const INFANTRY = '10031000001211000000';
const ARMOUR = '10031000001205000000';
const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM', GBR: 'OFFICIAL' };
const HELD = { scope: () => DEFAULT_RULE, overrides: { arbitration: { policy: 'originator-wins' as const, divergenceThreshold: 0.4 } } };

async function observe(h: TestHome, subject: string, payload: unknown, device = 'sensor-1'): Promise<string> {
  const { id } = await h.observations.observe({ device, class: 'track', subject, labelText: nationalLabel(h.code, LEVEL[h.code]!), payloadText: JSON.stringify(payload), derivedFrom: [], derivation: null });
  return id;
}

/** The item `subject` opened at `h`, as `queue show` gives it. */
function itemOf(h: TestHome, subject: string) {
  return h.reconcile.item(h.reconcile.picture({ subject }).items[0]!.item!);
}

const later = (homes: readonly TestHome[], at: number) => homes.forEach((h) => h.setClock(new Date(at)));

describe('the cause estimate on real homes', () => {
  it('names a translation seam where the disagreement sits on a term the partner reading crossed translated', async () => {
    // Unit types defined before the federation, so the cards it carries publish them; the same field on both sides.
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    await deu.taxonomy.define({ name: 'unit-types', pivot: 'APP-6', field: 'unitType', terms: [{ term: 'Panzergrenadiere', sidc: INFANTRY }, { term: 'Panzertruppe', sidc: ARMOUR }] });
    await nld.taxonomy.define({ name: 'unit-types', pivot: 'APP-6', field: 'unitType', terms: [{ term: 'Pantserinfanterie', sidc: INFANTRY }] });
    const { id, homes } = await joinFederation([deu, nld], HELD);
    await deu.taxonomy.attest({ federation: id, vocabulary: 'unit-types', term: 'Panzergrenadiere', relation: 'exact', pivotTerm: INFANTRY });
    await nld.taxonomy.attest({ federation: id, vocabulary: 'unit-types', term: 'Pantserinfanterie', relation: 'exact', pivotTerm: INFANTRY });
    later(homes, Date.now() + 2 * DAY);
    await observe(deu, 'unit:7', { lat: 54.1, unitType: 'Panzertruppe' });
    const theirs = await observe(nld, 'unit:7', { lat: 54.1, unitType: 'Pantserinfanterie' });
    await crossBundle(nld, deu);
    const item = itemOf(deu, 'unit:7');
    expect(item).toMatchObject({ cause: 'translation-seam', fields: ['unitType'] });
    expect(item.reasons).toEqual([`${theirs.slice(0, 16)}… crossed through a translated term or an approximate attestation`]);
  });

  it('suspects injection for a burst and for a credential revoked here, and calls the rest genuine disagreement', async () => {
    const { homes } = await federate(home, ['DEU', 'NLD'], HELD);
    const [deu, nld] = homes as [TestHome, TestHome];
    await deu.credentials.enrol({ role: 'device', id: 'sensor-2', algorithm: 'Ed25519' });
    const start = Date.now() + 2 * DAY;
    later(homes, start);
    await observe(deu, 'track:genuine', { lat: 54.1, kind: 'frigate' });
    await observe(nld, 'track:genuine', { lat: 54.1, kind: 'tanker' });

    // A minute on, NLD's sensor publishes more than BURST_COUNT records at one moment, one of them in conflict.
    later(homes, start + 60_000);
    for (let i = 0; i < BURST_COUNT; i++) await observe(nld, `track:noise-${i}`, { lat: 50 + i / 100 });
    await observe(deu, 'track:burst', { lat: 54.1, kind: 'frigate' });
    const burst = await observe(nld, 'track:burst', { lat: 54.1, kind: 'ferry' });

    // Ten minutes on, DEU revokes the device behind one of its own readings before NLD's contrary one arrives.
    later(homes, start + 600_000);
    const revoked = await observe(deu, 'track:revoked', { lat: 54.1, kind: 'frigate' }, 'sensor-2');
    await deu.credentials.revoke({ role: 'device', id: 'sensor-2' });
    await observe(nld, 'track:revoked', { lat: 54.1, kind: 'tug' });
    await crossBundle(nld, deu);

    expect(itemOf(deu, 'track:genuine')).toMatchObject({ cause: 'genuine-disagreement', reasons: [expect.stringContaining('no sign of translation or injection')] });
    expect(itemOf(deu, 'track:burst')).toMatchObject({ cause: 'suspected-injection', reasons: [`${burst.slice(0, 16)}… came in a burst from its device`] });
    expect(itemOf(deu, 'track:revoked')).toMatchObject({ cause: 'suspected-injection', reasons: [`the credential of ${revoked.slice(0, 16)}… is near revocation or expiry`] });
  });
});
