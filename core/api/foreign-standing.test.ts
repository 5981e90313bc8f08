/**
 * A foreign observation's standing as the console reads it (issue 13, "Release control, revocation
 * taint"; decision 0005 "Integrity, taint, tombstones"): through the contract's getObservation and
 * listObservations on real workspaces that crossed bundles, a record turns tainted when its
 * partner's CRL states a compromise before it was made, a foreign product derived from it follows
 * it, and a foreign product whose foreign source no longer verifies here stands source-failed —
 * each still marked foreign, never read as local.
 */
import { describe, expect, it } from 'vitest';
import { crossBundle, federate, nationalLabel } from '../test-support/federated-homes.js';
import { nextWholeSecond, observe } from '../test-support/hostile-bundles.js';
import { useCoreHomes, type TestHome } from '../test-support/test-homes.js';

const { open, core } = useCoreHomes('entente-foreign-standing-');

/** DEU's product derived from `source`, by its own `device`. */
async function derive(deu: TestHome, source: string, subject: string, device = 'sensor-1'): Promise<string> {
  const made = await deu.observations.observe({ device, class: 'track', subject, labelText: nationalLabel('DEU', 'GEHEIM'), payloadText: '{"fused":true}', derivedFrom: [source], derivation: { name: 'fuse', version: '1' } });
  return made.id;
}

async function detailAt(code: string, id: string) {
  const answer = await core(code).call('getObservation', { id });
  expect(answer).toMatchObject({ ok: true });
  return (answer as { value: { summary: { foreign: boolean; verification: { ok: boolean }; standing: { standing: string; cause: string | null; source: string | null } }; foreign: { origin: string } | null } }).value;
}

describe('a foreign observation’s standing through the contract', () => {
  it('turns tainted when the partner’s CRL states a compromise before it was made, and its foreign derived product follows', { timeout: 60_000 }, async () => {
    const { homes } = await federate(open, ['DEU', 'NLD']);
    const [deu, nld] = homes as [TestHome, TestHome];
    const before = (await observe(deu, 'GEHEIM', 'track:before')).id;
    const compromisedAt = await nextWholeSecond();
    const after = (await observe(deu, 'GEHEIM', 'track:after')).id;
    // Fused by another device, whose own key was never compromised: tainted only through its source.
    await deu.credentials.enrol({ role: 'device', id: 'fusion-1', algorithm: 'Ed25519' });
    const fused = await derive(deu, after, 'track:fused', 'fusion-1');
    expect((await crossBundle(deu, nld)).imported.counts).toMatchObject({ admitted: 3 });
    expect((await detailAt('NLD', after)).summary).toMatchObject({ foreign: true, standing: { standing: 'verified', cause: null, source: null } });

    // DEU learns of the compromise; its next bundle carries the CRL, and NLD taints what was made since.
    await deu.credentials.revoke({ role: 'device', id: 'sensor-1', compromisedAt });
    await crossBundle(deu, nld);
    const compromised = await detailAt('NLD', after);
    expect(compromised.summary).toMatchObject({ foreign: true, standing: { standing: 'tainted', cause: 'compromised-credential', source: after } });
    expect(compromised.foreign).toMatchObject({ origin: 'DEU' });
    expect((await detailAt('NLD', fused)).summary).toMatchObject({ foreign: true, standing: { standing: 'tainted', cause: 'tainted-source', source: after } });
    expect((await detailAt('NLD', before)).summary.standing).toMatchObject({ standing: 'verified' });
    const listed = await core('NLD').call('listObservations', { limit: 10 });
    const standings = Object.fromEntries((listed as { value: { observations: { id: string; standing: { standing: string } }[] } }).value.observations.map((o) => [o.id, o.standing.standing]));
    expect(standings).toEqual({ [before]: 'verified', [after]: 'tainted', [fused]: 'tainted' });
    // DEU itself never admitted them across a boundary: its own records are not foreign there.
    expect((await detailAt('DEU', after)).foreign).toBeNull();
  });

  it('stands source-failed when the foreign source it derives from no longer verifies here', { timeout: 60_000 }, async () => {
    const { homes } = await federate(open, ['DEU', 'NLD']);
    const [deu, nld] = homes as [TestHome, TestHome];
    const source = (await observe(deu, 'GEHEIM', 'track:1')).id;
    const fused = await derive(deu, source, 'track:fused');
    expect((await crossBundle(deu, nld)).imported.counts).toMatchObject({ admitted: 2 });
    expect((await detailAt('NLD', fused)).summary.standing).toMatchObject({ standing: 'verified' });

    // The source's stored record edited in NLD's SQLite file, as someone with the file could.
    nld.db.exec('DROP TRIGGER observations_are_immutable');
    const record = nld.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(source) as string;
    nld.db.prepare('UPDATE observations SET record = ? WHERE id = ?').run(record.replace('54.1', '48.9'), source);

    const derived = await detailAt('NLD', fused);
    expect(derived.summary).toMatchObject({ foreign: true, verification: { ok: true }, standing: { standing: 'source-failed', cause: 'bad-signature', source } });
    expect(derived.foreign).toMatchObject({ origin: 'DEU' });
    expect((await detailAt('NLD', source)).summary.verification.ok).toBe(false);
  });
});
