/**
 * The crossing's bad input and faults, end to end between real homes (issue 13, "Bad input and
 * faults"; decision 0005): a real export with one byte flipped in each kind of line, truncated;
 * bundles from a mesh that is not a partner, from an agent the receiver never certified, from a
 * revoked agent, under a federation that expired, was withdrawn or superseded; replays. Each is
 * refused by name with an integrity event, nothing admitted, and the receiver's log,
 * observations and file stay sound — and the intact bundle is still admitted afterwards.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEDERATION_START, declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { AGENT, DEFAULT_RULE, federate, joinFederation } from '../../test-support/federated-homes.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { agentHello, expectSound, exportTo, flipInLine, importFile, integrityEvents, lineOffset, linesOf, observe, resignedHello, rowCounts, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';

const home = useTestHomes('entente-crossing-hostile-');

async function withDir<T>(work: (dir: TempDir) => Promise<T>): Promise<T> {
  const dir = makeTempDir('entente-hostile-bundles-');
  try {
    return await work(dir);
  } finally {
    dir.remove();
  }
}

/** DEU and NLD federated, three DEU tracks exported to NLD: the bundle every case starts from. */
async function exported(dir: TempDir, options: { crl?: boolean } = {}) {
  const { id, homes } = await federate(home, ['DEU', 'NLD']);
  const [deu, nld] = homes as [TestHome, TestHome];
  if (options.crl) {
    // A device enrolled and revoked: DEU has a CRL, so its bundles carry a CRL line.
    await deu.credentials.enrol({ role: 'device', id: 'sensor-lost', algorithm: 'Ed25519' });
    await deu.credentials.revoke({ role: 'device', id: 'sensor-lost' });
  }
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await observe(deu, 'GEHEIM', `track:${i}`)).id);
  const file = dir.file('deu-nld.bundle');
  const report = await exportTo(deu, 'NLD', file);
  expect(report.observations).toBe(3);
  return { id, deu, nld, ids, file };
}

/** The import is refused with `reason`, an integrity event of `kind` is recorded, and nothing else changed. */
async function expectRefused(nld: TestHome, file: string, reason: string, kind = reason) {
  const before = rowCounts(nld);
  const events = integrityEvents(nld, kind).length;
  expect(await refusal(() => importFile(nld, file))).toBe(reason);
  expect(rowCounts(nld)).toEqual(before);
  const recorded = integrityEvents(nld, kind);
  expect(recorded.length).toBe(events + 1);
  await expectSound(nld);
  return recorded[0]!;
}

describe('a real bundle with one byte flipped, or cut short', () => {
  it('is refused by name for each kind of line, with an integrity event and nothing admitted; the intact one is admitted after', async () => {
    await withDir(async (dir) => {
      const { nld, ids, file } = await exported(dir, { crl: true });
      const lines = linesOf(file).map((l) => l.toString('utf8'));
      const indexOf = (kind: string) => lines.findIndex((l) => l.startsWith(`{"kind":"${kind}"`) || l.includes(`"kind":"${kind}"`));
      const middle = (line: string) => Math.floor(line.length / 2);
      const cases: { what: string; index: number; where: (line: string) => number; format: string }[] = [
        { what: 'the hello', index: 0, where: middle, format: 'hello-mismatch' },
        { what: 'a certificate line', index: indexOf('certificate'), where: middle, format: 'manifest-mismatch' },
        { what: 'a CRL line', index: indexOf('crl'), where: middle, format: 'manifest-mismatch' },
        { what: 'an attestation line', index: indexOf('attestation'), where: middle, format: 'manifest-mismatch' },
        { what: 'an observation line', index: indexOf('observation'), where: middle, format: 'manifest-mismatch' },
        { what: 'the manifest body', index: lines.length - 1, where: (l) => l.indexOf('"payload":"') + 40, format: 'bad-manifest-signature' },
        { what: 'the manifest signature', index: lines.length - 1, where: (l) => l.indexOf('"sig":"') + 20, format: 'bad-manifest-signature' },
      ];
      for (const c of cases) {
        expect(c.index, c.what).toBeGreaterThan(-1);
        const target = dir.file(`flipped-${c.index}-${c.format}.bundle`);
        flipInLine(file, target, c.index, c.where);
        const event = await expectRefused(nld, target, 'tampered-bundle');
        expect(event.evidence, c.what).toMatchObject({ reason: c.format, file: target });
      }

      // Cut in the middle of a line, and cut at a line's end before the manifest.
      const bytes = readFileSync(file);
      writeFileSync(dir.file('half.bundle'), bytes.subarray(0, Math.floor(bytes.length / 2)));
      expect((await expectRefused(nld, dir.file('half.bundle'), 'tampered-bundle')).evidence).toMatchObject({ reason: 'truncated-bundle' });
      writeFileSync(dir.file('no-manifest.bundle'), bytes.subarray(0, lineOffset(file, lines.length - 1)));
      expect((await expectRefused(nld, dir.file('no-manifest.bundle'), 'tampered-bundle')).evidence).toMatchObject({ reason: 'truncated-bundle' });

      // A sweep: any single byte of the file, flipped, refuses the whole bundle.
      const sweep = dir.file('sweep.bundle');
      for (let i = 0; i < 40; i++) {
        const copy = Buffer.from(bytes);
        const at = Math.floor(Math.random() * copy.length);
        copy[at] = copy[at]! ^ (1 << Math.floor(Math.random() * 8));
        writeFileSync(sweep, copy);
        const before = rowCounts(nld);
        const reason = await refusal(() => importFile(nld, sweep));
        expect(reason, `byte ${at}`).not.toBe('accepted');
        expect(rowCounts(nld), `byte ${at}`).toEqual(before);
      }

      // Nothing refused above left a trace that stops the honest bundle.
      const imported = await importFile(nld, file);
      expect(imported.counts).toEqual({ admitted: 3, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 });
      expect(nld.db.prepare('SELECT COUNT(*) FROM observations WHERE id IN (?, ?, ?)').pluck().get(...ids)).toBe(3);
      await expectSound(nld);
    });
  });
});

describe('bundles from whoever may not carry them', () => {
  it('refuses a bundle from a mesh that is no partner of ours: not-a-partner', async () => {
    await withDir(async (dir) => {
      const { nld } = await exported(dir);
      // FRA's agent is real, certified by POL in their own federation; it addresses NLD, which holds no federation with FRA.
      const { id: other, homes } = await federate(home, ['FRA', 'POL']);
      const [fra] = homes as [TestHome];
      await observe(fra, 'SECRET', 'track:fra');
      const real = dir.file('fra-pol.bundle');
      await exportTo(fra, 'POL', real);
      const { envelope, signer } = await agentHello(fra, 'POL', other);
      const hello = resignedHello(envelope, signer, (body) => ({ ...body, to: 'NLD' }));
      await writeByHand(dir.file('fra-nld.bundle'), { hello, signer, sections: sectionsOf(real), observations: [] });
      await expectRefused(nld, dir.file('fra-nld.bundle'), 'not-a-partner');
      // And the real one, addressed to POL: wrong-recipient.
      await expectRefused(nld, real, 'wrong-recipient');
    });
  });

  it('refuses a bundle from an agent the receiving mesh never certified: not-certified-here', async () => {
    await withDir(async (dir) => {
      // Three meshes; DEU's agent asks FRA for a certificate but never NLD.
      const homes = [await home('DEU'), await home('NLD'), await home('FRA')] as const;
      const { id } = await joinFederation(homes, { agents: false });
      const [deu, nld, fra] = homes;
      await deu.credentials.enrol({ role: 'boundary-agent', id: AGENT, algorithm: 'Ed25519' });
      const { pem } = await deu.agents.request({ agent: AGENT, federation: id });
      await deu.agents.install({ certificatePem: (await fra.agents.certify({ requestPem: pem, federation: id })).pem });
      expect(await refusal(() => deu.agents.helloFor({ to: 'NLD', federation: id }))).toBe('no-certified-agent');

      await observe(deu, 'GEHEIM', 'track:1');
      const real = dir.file('deu-fra.bundle');
      await exportTo(deu, 'FRA', real);
      const { envelope, signer } = await agentHello(deu, 'FRA', id);
      // The hello it signed, turned to NLD: its partner certificate is FRA's, not one NLD issued.
      const hello = resignedHello(envelope, signer, (body) => ({ ...body, to: 'NLD' }));
      const { record, certificate } = storedRecord(deu, deu.db.prepare('SELECT id FROM observations').pluck().get() as string);
      await writeByHand(dir.file('uncertified.bundle'), { hello, signer, sections: sectionsOf(real), observations: [{ record, certificate }] });
      await expectRefused(nld, dir.file('uncertified.bundle'), 'not-certified-here');
    });
  });

  it('refuses a bundle from an agent the receiver revoked (agent revoke): agent-revoked', async () => {
    await withDir(async (dir) => {
      const { nld, file } = await exported(dir);
      await nld.agents.revoke({ partner: 'DEU', agent: AGENT });
      const event = await expectRefused(nld, file, 'agent-revoked');
      expect(event.partner).toBe('DEU');
    });
  });

  it('refuses a bundle from an agent its home mesh revoked (device revoke --role boundary-agent), its CRL carried: agent-revoked', async () => {
    await withDir(async (dir) => {
      const { id, deu, nld } = await exported(dir);
      // The hello signed before the revocation; the bundle written after it carries DEU's new CRL.
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      await deu.credentials.revoke({ role: 'boundary-agent', id: AGENT });
      expect(await refusal(() => deu.agents.helloFor({ to: 'NLD', federation: id }))).toBe('no-certified-agent');
      const real = dir.file('after-revoke.bundle');
      const ids = deu.db.prepare('SELECT id FROM observations').pluck().all() as string[];
      const sections = sectionsOf(dir.file('deu-nld.bundle')).filter((s) => s.kind !== 'crl');
      const crls = (deu.db.prepare('SELECT pem FROM crls ORDER BY number').pluck().all() as string[]).map((pem) => ({ kind: 'crl' as const, pem }));
      await writeByHand(real, { hello: envelope, signer, sections: [...sections, ...crls], observations: ids.map((i) => storedRecord(deu, i)) });
      await expectRefused(nld, real, 'agent-revoked');
    });
  });
});

describe('bundles under a federation no longer in force', () => {
  it('refuses one written under a federation that has since expired: federation-inactive', async () => {
    await withDir(async (dir) => {
      const { nld, file } = await exported(dir);
      nld.setClock(new Date(FEDERATION_START.getTime() + 31 * 86_400_000));
      await expectRefused(nld, file, 'federation-inactive');
    });
  });

  it('refuses one written before a partner withdrew: federation-inactive', async () => {
    await withDir(async (dir) => {
      const { id, deu, nld, file } = await exported(dir);
      await deu.federations.withdraw(id, 'exercise ended early');
      await nld.federations.import(JSON.stringify(deu.federations.export(id)));
      await expectRefused(nld, file, 'federation-inactive');
    });
  });

  it('refuses one written under v1 once v2 is signed by all: federation-mismatch', async () => {
    await withDir(async (dir) => {
      const { deu, nld, file } = await exported(dir);
      const meshes = [deu, nld].map((h) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh);
      const scope = [
        { from: 'DEU', to: 'NLD', ...DEFAULT_RULE },
        { from: 'NLD', to: 'DEU', ...DEFAULT_RULE },
      ];
      const v2 = declarationFor(meshes, { scope, version: 2, purpose: 'Exercise BALTIC SHIELD, phase two' }, FEDERATION_START);
      const { id } = await deu.federations.propose(v2);
      await nld.federations.import(JSON.stringify(deu.federations.export(id)));
      await nld.federations.sign(id);
      await deu.federations.import(JSON.stringify(nld.federations.export(id)));
      expect(nld.federations.summary(id)).toMatchObject({ version: 2 });
      await expectRefused(nld, file, 'federation-mismatch');
    });
  });
});

describe('replays', () => {
  it('the same bundle again changes nothing; another bundle reusing its hello is replayed-hello', async () => {
    await withDir(async (dir) => {
      const { deu, nld, file } = await exported(dir);
      const first = await importFile(nld, file);
      expect(first.counts.admitted).toBe(3);
      const before = { rows: rowCounts(nld), log: nld.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get() };
      const again = await importFile(nld, file);
      expect(again).toMatchObject({ alreadyImported: true, bundle: first.bundle, counts: first.counts });
      expect({ rows: rowCounts(nld), log: nld.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get() }).toEqual(before);

      // The hello of the first bundle, copied into a new one (a new observation, the agent's own key).
      const hello = JSON.parse(linesOf(file)[0]!.toString('utf8')).hello;
      const { signer } = await agentHello(deu, 'NLD', first.federation.id);
      const fresh = await observe(deu, 'GEHEIM', 'track:new');
      await writeByHand(dir.file('replayed.bundle'), { hello, signer, sections: sectionsOf(file), observations: [storedRecord(deu, fresh.id)] });
      await expectRefused(nld, dir.file('replayed.bundle'), 'replayed-hello');
      expect(nld.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(fresh.id)).toBe(0);
      copyFileSync(file, dir.file('copy.bundle'));
      expect(await importFile(nld, dir.file('copy.bundle'))).toMatchObject({ alreadyImported: true });
    });
  });
});
