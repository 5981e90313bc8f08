/**
 * Partner seats between real homes: one authority cannot sit in two seats of a federation, and a
 * mesh code a home knows keeps its trust anchor across federations — except through a rotation
 * signed by the old and the new key, which moves the pin and says so in the log.
 */
import { describe, expect, it } from 'vitest';
import { EXCHANGE_TYPE } from '../../federation/exchange.js';
import { declarationFor, testMesh, type TestMesh } from '../../federation/test-fixtures.js';
import { signDeclaration } from '../../federation/signatures.js';
import type { Declaration } from '../../federation/declaration.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const openHome = useTestHomes('entente-seats-');
/** A home with its mesh and no device: these tests need only its authority. */
const home = (code: string) => openHome(code, { devices: [] });
type Home = TestHome;

const seat = (h: Home) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh;
const signerOf = async (h: Home) => {
  const { signer } = await h.context.writing().log();
  return { keyid: signer.certificateSha256, key: signer.key };
};
const exchangeOf = (declaration: Declaration, signatures: ReturnType<typeof signDeclaration>[]) => JSON.stringify({ type: EXCHANGE_TYPE, declaration, signatures, withdrawals: [] });
const count = (h: Home, table: string) => h.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();

describe('partner seats', () => {
  it('refuses one authority in two seats: DEU’s anchor under the code NLD never makes a federation active', async () => {
    const [deu, pol] = [await home('DEU'), await home('POL')];
    const nldSeatWithDeuAnchor = { code: 'NLD', card: { ...deu.mesh.card(), mesh: 'NLD' } } as unknown as TestMesh;
    const declaration = declarationFor([seat(deu), nldSeatWithDeuAnchor, seat(pol)]);
    expect(await refusal(() => deu.federations.propose(declaration))).toBe('duplicate-authority');

    // The file a hostile DEU would send: its one signature verifies for both the DEU and the NLD seat.
    const file = exchangeOf(declaration, [signDeclaration(declaration, await signerOf(deu))]);
    const entries = count(pol, 'audit_entries');
    expect(await refusal(() => pol.federations.import(file))).toBe('duplicate-authority');
    expect(count(pol, 'federation_versions')).toBe(0);
    expect(count(pol, 'audit_entries')).toBe(entries);
    expect(await pol.federations.status()).toEqual([]);
  });

  it('keeps a known mesh code pinned to its anchor across federations, by proposal and by import', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    const { id } = await nld.federations.propose(declarationFor([seat(nld), seat(pol)]));
    await pol.federations.import(JSON.stringify(nld.federations.export(id)));

    // An impostor CA that calls itself NLD: DEU has never met NLD, POL has.
    const impostor = await testMesh('NLD');
    const second = declarationFor([seat(deu), impostor, seat(pol)], { id: 'second-federation' });
    await deu.federations.propose(second);
    const versions = count(pol, 'federation_versions');
    expect(await refusal(() => pol.federations.import(JSON.stringify(deu.federations.export('second-federation'))))).toBe('pinned-anchor');
    expect(await refusal(() => pol.federations.propose(declarationFor([seat(pol), impostor], { id: 'third-federation' })))).toBe('pinned-anchor');
    // NLD's real anchor under another code is the same authority in another seat.
    const fra = { code: 'FRA', card: { ...nld.mesh.card(), mesh: 'FRA' } } as unknown as TestMesh;
    expect(await refusal(() => pol.federations.propose(declarationFor([seat(pol), fra], { id: 'fourth-federation' })))).toBe('duplicate-authority');
    expect(count(pol, 'federation_versions')).toBe(versions);
  });

  it('moves the pin through a rotation signed by the old and the new key, and then refuses the old anchor', async () => {
    const pol = await home('POL');
    const [nldOld, nldNew] = [await testMesh('NLD'), await testMesh('NLD')];
    const v1 = declarationFor([seat(pol), nldOld], { id: 'rotating-federation' });
    await pol.federations.propose(v1);
    await pol.federations.import(exchangeOf(v1, [signDeclaration(v1, nldOld.signer)]));
    const v2 = { ...declarationFor([seat(pol), nldNew], { id: 'rotating-federation' }), version: 2 };
    expect(await refusal(() => pol.federations.propose(declarationFor([seat(pol), nldNew], { id: 'elsewhere' })))).toBe('pinned-anchor');
    await pol.federations.propose(v2);
    expect((await pol.federations.import(exchangeOf(v2, [signDeclaration(v2, nldNew.signer), signDeclaration(v2, nldOld.signer)]))).state).toBe('active');
    const reasons = pol.db.prepare("SELECT json_extract(entry, '$.why.reasons[0]') FROM audit_entries WHERE type = 'federation'").pluck().all();
    expect(reasons).toContain('anchor-rotated');
    expect(await refusal(() => pol.federations.propose(declarationFor([seat(pol), nldOld], { id: 'stale-anchor' })))).toBe('pinned-anchor');
    expect(await pol.federations.propose(declarationFor([seat(pol), nldNew], { id: 'after-rotation' }))).toMatchObject({ version: 1 });
    expect(pol.audit.verify().failures).toEqual([]);
  });
});
