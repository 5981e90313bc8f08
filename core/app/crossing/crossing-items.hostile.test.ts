/**
 * Hostile items inside bundles that are otherwise sound (issue 13, "Bad input and faults";
 * decision 0005 "Admission"), written with the real writer, the agent's real hello and key — what
 * an exporter that skipped release control, or lied, would send: over-release and tampered items
 * rejected by name beside the good ones admitted, with integrity events naming them; records made
 * under a revoked device credential, or naming one their mesh did not issue them, likewise; forged and
 * expired attestations not admitted, so the item that needed them waits in quarantine; absurd
 * sizes and hostile JSON refused within memory bounds without reading the file whole; and no resurrection
 * of what a federation's exit purged.
 */
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../canonical/jcs.js';
import { MANIFEST_PAYLOAD_TYPE, type ManifestBody } from '../../boundary/bundle/format.js';
import { signEnvelope, type DsseEnvelope } from '../../crypto/dsse.js';
import { signAttestation, ATTESTATION_TYPE } from '../../taxonomy/attestation.js';
import { demoMarkingStatements } from '../../taxonomy/demo-markings.js';
import { FEDERATION_START } from '../../federation/test-fixtures.js';
import { federate, joinFederation, nationalLabel, readyToCross } from '../../test-support/federated-homes.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { agentHello, encodeLine, expectSound, exportTo, importFile, integrityEvents, lineOffset, linesOf, nextWholeSecond, observe, rowCounts, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';

const home = useTestHomes('entente-crossing-items-');

async function withDir<T>(work: (dir: TempDir) => Promise<T>): Promise<T> {
  const dir = makeTempDir('entente-hostile-items-');
  try {
    return await work(dir);
  } finally {
    dir.remove();
  }
}

const countOf = (h: TestHome, sql: string, ...args: unknown[]) => h.db.prepare(sql).pluck().get(...args) as number;

describe('items the federation does not let cross, or that are not what they claim', () => {
  it('rejects each by name beside the good ones admitted, with over-release and tampered-item events naming them', async () => {
    await withDir(async (dir) => {
      const { id, homes } = await federate(home, ['DEU', 'NLD']);
      const [deu, nld] = homes as [TestHome, TestHome];
      const good = [await observe(deu, 'GEHEIM', 'track:1'), await observe(deu, 'GEHEIM', 'track:2')];
      const above = await observe(deu, 'STRENG GEHEIM', 'track:cosmic');
      const deuOnly = await observe(deu, 'GEHEIM', 'track:deu-only', { releasableTo: ['DEU'] });
      const unit = await observe(deu, 'GEHEIM', 'unit:1', { class: 'unit' });
      const real = dir.file('real.bundle');
      await exportTo(deu, 'NLD', real);

      const broken = storedRecord(deu, good[0]!.id);
      const brokenRecord = { ...broken.record, payload: { lat: 0, lon: 0 } };
      const ownMesh = { ...storedRecord(deu, good[1]!.id), record: { ...storedRecord(deu, good[1]!.id).record, mesh: 'NLD' } };
      // Deep but within the line's limits: the strict record schema refuses the extra member.
      let deep: unknown = 1;
      for (let i = 0; i < 60; i++) deep = [deep];
      const nested = { ...storedRecord(deu, good[1]!.id), record: { ...storedRecord(deu, good[1]!.id).record, extra: deep as never } };
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      const observations = [
        storedRecord(deu, good[0]!.id),
        storedRecord(deu, above.id),
        storedRecord(deu, deuOnly.id),
        storedRecord(deu, unit.id),
        { record: brokenRecord, certificate: broken.certificate },
        ownMesh,
        nested,
        storedRecord(deu, good[1]!.id),
      ].map(({ record, certificate }) => ({ record, certificate }));
      await writeByHand(dir.file('hostile.bundle'), { hello: envelope, signer, sections: sectionsOf(real), observations });

      const report = await importFile(nld, dir.file('hostile.bundle'));
      expect(report.counts).toEqual({ admitted: 2, duplicate: 0, rejected: 6, quarantined: 0, tainted: 0 });
      const reasons = Object.fromEntries(report.refusals.map((r) => [r.id ?? `line ${r.line}`, r.reason]));
      expect(reasons).toMatchObject({ [above.id]: 'above-ceiling', [deuOnly.id]: 'not-releasable', [unit.id]: 'out-of-scope' });
      for (const g of good) expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', g.id)).toBe(1);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations')).toBe(2);
      expect(countOf(nld, 'SELECT COUNT(*) FROM crossings')).toBe(2);

      const overRelease = integrityEvents(nld, 'over-release');
      expect(overRelease).toHaveLength(1);
      expect(overRelease[0]).toMatchObject({ partner: 'DEU', federation: id });
      // The event's log entry names every id it is about.
      const named = (JSON.parse(nld.db.prepare('SELECT entry FROM audit_entries WHERE seq = ?').pluck().get(overRelease[0]!.logSeq) as string) as { what: { ids: string[] } }).what.ids;
      expect(new Set(named)).toEqual(new Set([above.id, deuOnly.id, unit.id]));
      const tampered = integrityEvents(nld, 'tampered-item');
      expect(tampered).toHaveLength(1);
      expect(tampered[0]!.evidence).toMatchObject({ items: 3 });
      // The own-mesh forgery and the broken signature are named by id; the malformed one by its line.
      const refusedTampered = report.refusals.filter((r) => ![above.id, deuOnly.id, unit.id].includes(r.id ?? ''));
      expect(refusedTampered.map((r) => r.reason)).toContain('not-foreign');
      expect(refusedTampered.map((r) => r.reason)).toContain('malformed-record');
      await expectSound(nld);
    });
  });
});

describe('attestations that are not what they claim', () => {
  it('admits neither a forged nor an expired attestation; the item needing one waits in quarantine', async () => {
    await withDir(async (dir) => {
      const { id, homes } = await federate(home, ['DEU', 'NLD'], { attest: false });
      const [deu, nld] = homes as [TestHome, TestHome];
      for (const s of demoMarkingStatements('NLD')) await nld.taxonomy.attest({ federation: id, vocabulary: 'markings', term: s.term, relation: s.relation, pivotTerm: s.pivot });
      const track = await observe(deu, 'GEHEIM', 'track:1');
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      const statement = demoMarkingStatements('DEU').find((s) => s.term === 'GEHEIM')!;
      const now = Date.now();
      const body = (issuedAt: number, expires: number) => ({
        type: ATTESTATION_TYPE,
        federation: id,
        mesh: 'DEU',
        vocabulary: 'markings',
        term: statement.term,
        relation: statement.relation,
        pivot: { vocabulary: 'NATO', term: statement.pivot },
        issuedAt: new Date(issuedAt).toISOString(),
        expires: new Date(expires).toISOString(),
      });
      // Signed by the agent's key, not DEU's authority; and one by DEU's authority that has expired.
      const forged = signAttestation(body(now - 60_000, now + 86_400_000) as never, signer).envelope;
      const authority = (await deu.context.writing().log()).signer;
      const expired = signAttestation(body(now - 7_200_000, now - 3_600_000) as never, { keyid: authority.certificateSha256, key: authority.key }).envelope;
      // DEU's own export holds nothing (it has no attestation to judge its ceiling by): the device certificate by hand.
      const sections = [{ kind: 'certificate' as const, pem: storedRecord(deu, track.id).pem }, { kind: 'attestation' as const, envelope: forged as DsseEnvelope }, { kind: 'attestation' as const, envelope: expired as DsseEnvelope }];
      await writeByHand(dir.file('attested.bundle'), { hello: envelope, signer, sections, observations: [storedRecord(deu, track.id)] });

      const report = await importFile(nld, dir.file('attested.bundle'));
      expect(report.counts).toEqual({ admitted: 0, duplicate: 0, rejected: 0, quarantined: 1, tainted: 0 });
      expect(countOf(nld, "SELECT COUNT(*) FROM attestations WHERE mesh = 'DEU'")).toBe(0);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', track.id)).toBe(0);
      expect(nld.crossing.quarantine()).toMatchObject([{ id: track.id, missing: [{ vocabulary: 'markings', term: 'GEHEIM' }] }]);
      expect(integrityEvents(nld, 'translation-loss')).toHaveLength(1);
      const bad = integrityEvents(nld, 'bad-attestation');
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatchObject({ partner: 'DEU', federation: id, evidence: { bundle: report.bundle, attestations: 2, reasons: 'expired-attestation, wrong-authority' } });
      await expectSound(nld);
    });
  });
});

describe('absurd sizes and hostile JSON', () => {
  async function sound(dir: TempDir) {
    const { id, homes } = await federate(home, ['DEU', 'NLD']);
    const [deu, nld] = homes as [TestHome, TestHome];
    await observe(deu, 'GEHEIM', 'track:1');
    const file = dir.file('real.bundle');
    await exportTo(deu, 'NLD', file);
    return { id, deu, nld, file };
  }

  async function refusedWithinBounds(nld: TestHome, file: string, format: string) {
    const before = rowCounts(nld);
    const events = integrityEvents(nld, 'tampered-bundle').length;
    const rss = process.memoryUsage().rss;
    expect(await refusal(() => importFile(nld, file))).toBe('tampered-bundle');
    expect(process.memoryUsage().rss - rss).toBeLessThan(128 * 1024 * 1024);
    expect(rowCounts(nld)).toEqual(before);
    const recorded = integrityEvents(nld, 'tampered-bundle');
    expect(recorded).toHaveLength(events + 1);
    expect(recorded[0]!.evidence).toMatchObject({ reason: format });
    await expectSound(nld);
  }

  it('refuses a manifest the agent signed declaring 10 million items, without allocating for them', async () => {
    await withDir(async (dir) => {
      const { id, deu, nld, file } = await sound(dir);
      const { signer } = await agentHello(deu, 'NLD', id);
      const lines = linesOf(file);
      const manifest = JSON.parse(lines.at(-1)!.toString('utf8')) as { envelope: DsseEnvelope };
      const body = JSON.parse(Buffer.from(manifest.envelope.payload, 'base64').toString('utf8')) as ManifestBody;
      const lying = signEnvelope(MANIFEST_PAYLOAD_TYPE, canonicalBytes({ ...body, lines: 10_000_000, observations: 10_000_000 }), [signer]);
      writeFileSync(dir.file('ten-million.bundle'), Buffer.concat([readFileSync(file).subarray(0, lineOffset(file, lines.length - 1)), encodeLine({ kind: 'manifest', envelope: lying })]));
      await refusedWithinBounds(nld, dir.file('ten-million.bundle'), 'manifest-mismatch');
    });
  });

  it('refuses a 2 GB file — sparse zeros, or one huge line after a header — after its first 4 MiB', async () => {
    await withDir(async (dir) => {
      const { nld } = await sound(dir);
      const zeros = dir.file('zeros.bundle');
      writeFileSync(zeros, '');
      truncateSync(zeros, 2 * 1024 ** 3);
      await refusedWithinBounds(nld, zeros, 'line-too-long');
      const huge = dir.file('huge-line.bundle');
      const fd = openSync(huge, 'w');
      writeSync(fd, '{"format":"entente.crossing-bundle/v1","hello":"');
      writeSync(fd, Buffer.alloc(8 * 1024 * 1024, 0x41));
      closeSync(fd);
      truncateSync(huge, 2 * 1024 ** 3);
      await refusedWithinBounds(nld, huge, 'line-too-long');
    });
  });

  it('refuses deeply nested and duplicate-key lines by their line number', async () => {
    await withDir(async (dir) => {
      const { nld, file } = await sound(dir);
      const lines = linesOf(file);
      const withLine = (name: string, text: string) => {
        const target = dir.file(name);
        writeFileSync(target, Buffer.concat([...lines.slice(0, -1).flatMap((l) => [l, Buffer.of(0x0a)]), Buffer.from(`${text}\n`), lines.at(-1)!, Buffer.of(0x0a)]));
        return target;
      };
      const certificate = '0'.repeat(64);
      await refusedWithinBounds(nld, withLine('nested.bundle', `{"kind":"observation","record":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},"certificate":"${certificate}"}`), 'malformed-line');
      await refusedWithinBounds(nld, withLine('arrays.bundle', `{"kind":"observation","record":{"a":${'['.repeat(500_000)}${']'.repeat(500_000)}},"certificate":"${certificate}"}`), 'malformed-line');
      await refusedWithinBounds(nld, withLine('duplicate.bundle', `{"kind":"observation","kind":"observation","record":{},"certificate":"${certificate}"}`), 'malformed-line');
      await refusedWithinBounds(nld, withLine('duplicate-inner.bundle', `{"certificate":"${certificate}","kind":"observation","record":{"mesh":"DEU","mesh":"NLD"}}`), 'malformed-line');
      const evidence = integrityEvents(nld, 'tampered-bundle').map((e) => e.evidence as { line: number });
      expect(new Set(evidence.map((e) => e.line))).toEqual(new Set([lines.length]));
    });
  });
});

describe('no resurrection', () => {
  it('refuses as purged, item by item, what an exit purged, when a new federation delivers it again', async () => {
    await withDir(async (dir) => {
      const { id, homes } = await federate(home, ['DEU', 'NLD']);
      const [deu, nld] = homes as [TestHome, TestHome];
      const tracks = [await observe(deu, 'GEHEIM', 'track:1'), await observe(deu, 'GEHEIM', 'track:2')];
      await exportTo(deu, 'NLD', dir.file('first.bundle'));
      expect((await importFile(nld, dir.file('first.bundle'))).counts.admitted).toBe(2);

      // NLD leaves: the exit purges DEU's tracks (the declaration's exit rule) and leaves tombstones.
      await nld.federations.withdraw(id, 'national decision');
      await deu.federations.import(JSON.stringify(nld.federations.export(id)));
      for (const t of tracks) {
        expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', t.id)).toBe(0);
        expect(nld.integrity.isPurged(t.id)).toBe(true);
      }

      const { id: second } = await joinFederation([deu, nld], { overrides: { id: 'baltic-shield-2', purpose: 'Exercise BALTIC SHIELD, resumed' } });
      const again = dir.file('again.bundle');
      expect((await exportTo(deu, 'NLD', again, second)).observations).toBe(2);
      const before = rowCounts(nld);
      const report = await importFile(nld, again);
      expect(report.counts).toEqual({ admitted: 0, duplicate: 0, rejected: 2, quarantined: 0, tainted: 0 });
      expect(new Set(report.refusals.map((r) => `${r.id}:${r.reason}`))).toEqual(new Set(tracks.map((t) => `${t.id}:purged`)));
      expect(rowCounts(nld)).toMatchObject({ observations: before.observations, crossings: before.crossings });
      expect(integrityEvents(nld, 'purged-redelivery')).toHaveLength(1);
      await expectSound(nld);
    });
  });
});

describe('a relay the originator did not let the carrier pass on', () => {
  it('is refused at the receiver as onward-release-forbidden, an over-release, while a permitted relay is admitted', async () => {
    await withDir(async (dir) => {
      const rules = (from: string, to: string) => ({
        classes: ['track', 'incident'],
        ceiling: { policy: 'NATO', classification: 'SECRET' },
        caveats: [],
        // What DEU gives NLD, NLD may not pass on; every other pair may relay.
        onwardRelease: from === 'DEU' && to === 'NLD' ? ('forbidden' as const) : ('permitted' as const),
      });
      const { id, homes } = await federate(home, ['DEU', 'NLD', 'FRA'], { scope: rules });
      const [deu, nld, fra] = homes as [TestHome, TestHome, TestHome];
      const incident = await observe(deu, 'GEHEIM', 'incident:1', { class: 'incident' });
      await exportTo(deu, 'NLD', dir.file('deu-nld.bundle'));
      expect((await importFile(nld, dir.file('deu-nld.bundle'))).counts.admitted).toBe(1);
      // NLD's own export leaves the incident out; a carrier that skipped that check is caught at FRA.
      await exportTo(nld, 'FRA', dir.file('nld-fra.bundle'));
      expect((await importFile(fra, dir.file('nld-fra.bundle'))).counts).toMatchObject({ admitted: 0, rejected: 0 });
      const { envelope, signer } = await agentHello(nld, 'FRA', id);
      await writeByHand(dir.file('relay.bundle'), { hello: envelope, signer, sections: sectionsOf(dir.file('deu-nld.bundle')), observations: [storedRecord(nld, incident.id)] });
      const report = await importFile(fra, dir.file('relay.bundle'));
      expect(report.counts).toMatchObject({ admitted: 0, rejected: 1 });
      expect(report.refusals).toMatchObject([{ id: incident.id, reason: 'onward-release-forbidden' }]);
      expect(integrityEvents(fra, 'over-release')).toHaveLength(1);
      expect(countOf(fra, 'SELECT COUNT(*) FROM observations WHERE id = ?', incident.id)).toBe(0);
      await expectSound(fra);
    });
  });
});

describe('items whose device credential does not vouch for them', () => {
  it('refuses a record made under a revoked credential as revoked, with a revoked-credential event naming it', async () => {
    await withDir(async (dir) => {
      const { id, homes } = await federate(home, ['DEU', 'NLD']);
      const [deu, nld] = homes as [TestHome, TestHome];
      const before = await observe(deu, 'GEHEIM', 'track:before');
      // Compromised from the next whole second, revoked after the next record.
      const compromisedAt = await nextWholeSecond();
      const after = await observe(deu, 'GEHEIM', 'track:after');
      await deu.credentials.revoke({ role: 'device', id: 'sensor-1', compromisedAt });
      await exportTo(deu, 'NLD', dir.file('deu-nld.bundle'));

      const report = await importFile(nld, dir.file('deu-nld.bundle'));
      expect(report.counts).toEqual({ admitted: 1, duplicate: 0, rejected: 1, quarantined: 0, tainted: 0 });
      expect(report.refusals).toMatchObject([{ id: after.id, reason: 'revoked' }]);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', before.id)).toBe(1);
      const events = integrityEvents(nld, 'revoked-credential');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ partner: 'DEU', federation: id, evidence: { bundle: report.bundle, items: 1 } });
      const named = (JSON.parse(nld.db.prepare('SELECT entry FROM audit_entries WHERE seq = ?').pluck().get(events[0]!.logSeq) as string) as { what: { ids: string[] } }).what.ids;
      expect(named).toEqual([after.id]);
      expect(integrityEvents(nld, 'tampered-item')).toEqual([]);
      await expectSound(nld);
    });
  });

  it('refuses records naming a credential not carried, or another device’s, as unknown-certificate, with one unknown-credential event naming them', async () => {
    await withDir(async (dir) => {
      const { id, homes } = await federate(home, ['DEU', 'NLD']);
      const [deu, nld] = homes as [TestHome, TestHome];
      await deu.credentials.enrol({ role: 'device', id: 'sensor-2', algorithm: 'Ed25519' });
      const good = await observe(deu, 'GEHEIM', 'track:good');
      const uncarried = await observe(deu, 'GEHEIM', 'track:uncarried');
      const borrowed = await observe(deu, 'GEHEIM', 'track:borrowed');
      const misreferenced = await observe(deu, 'GEHEIM', 'track:misreferenced');
      const real = dir.file('real.bundle');
      await exportTo(deu, 'NLD', real);
      const other = deu.credentials.principals(['device']).find((p) => p.id === 'sensor-2')!;
      const otherPem = deu.db.prepare('SELECT pem FROM certificates WHERE sha256 = ?').pluck().get(other.certificateSha256) as string;

      // One bundle without sensor-1's certificate: its records name one it does not carry.
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      const withoutDevice = sectionsOf(real).filter((s) => s.kind !== 'certificate');
      await writeByHand(dir.file('uncarried.bundle'), { hello: envelope, signer, sections: withoutDevice, observations: [storedRecord(deu, uncarried.id)] });
      // And one carrying both certificates: a record claiming sensor-2's certificate, and a line pointing at another certificate than its record's.
      const claimed = storedRecord(deu, borrowed.id);
      const borrowedRecord = { record: { ...claimed.record, device: { ...(claimed.record.device as object), certificate: other.certificateSha256 } }, certificate: other.certificateSha256 };
      const pointedElsewhere = { record: storedRecord(deu, misreferenced.id).record, certificate: other.certificateSha256 };
      const second = await agentHello(deu, 'NLD', id);
      await writeByHand(dir.file('borrowed.bundle'), { hello: second.envelope, signer: second.signer, sections: [...sectionsOf(real), { kind: 'certificate', pem: otherPem }], observations: [storedRecord(deu, good.id), borrowedRecord, pointedElsewhere] });

      const first = await importFile(nld, dir.file('uncarried.bundle'));
      expect(first.refusals).toMatchObject([{ id: uncarried.id, reason: 'unknown-certificate' }]);
      const report = await importFile(nld, dir.file('borrowed.bundle'));
      expect(report.counts).toEqual({ admitted: 1, duplicate: 0, rejected: 2, quarantined: 0, tainted: 0 });
      expect(report.refusals.map((r) => r.reason)).toEqual(['unknown-certificate', 'unknown-certificate']);
      expect(report.refusals[1]!.id).toBe(misreferenced.id);

      const events = integrityEvents(nld, 'unknown-credential');
      expect(events.map((e) => (e.evidence as { bundle: string; items: number }).items).sort()).toEqual([1, 2]);
      expect(events.every((e) => e.partner === 'DEU' && e.federation === id)).toBe(true);
      const ids = events.flatMap((e) => (JSON.parse(nld.db.prepare('SELECT entry FROM audit_entries WHERE seq = ?').pluck().get(e.logSeq) as string) as { what: { ids: string[] } }).what.ids);
      expect(new Set(ids)).toEqual(new Set([uncarried.id, report.refusals[0]!.id!, misreferenced.id]));
      expect(integrityEvents(nld, 'tampered-item')).toEqual([]);
      await expectSound(nld);
    });
  });
});

describe('an item made outside the federation’s validity', () => {
  it('is refused as outside-window beside one made within it, an over-release event naming it', async () => {
    await withDir(async (dir) => {
      const [deu, nld] = [await home('DEU'), await home('NLD')];
      const early = await observe(deu, 'GEHEIM', 'track:early');
      // The federation holds from the next whole second: the track above was made before it.
      const start = await nextWholeSecond();
      const { id } = await joinFederation([deu, nld], { overrides: { validity: { start: start.toISOString(), expires: new Date(start.getTime() + 30 * 86_400_000).toISOString() } } });
      const within = await observe(deu, 'GEHEIM', 'track:within');
      const real = dir.file('real.bundle');
      // The honest export leaves it out; a hand-written bundle carries it.
      expect((await exportTo(deu, 'NLD', real)).observations).toBe(1);
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      await writeByHand(dir.file('early.bundle'), { hello: envelope, signer, sections: sectionsOf(real), observations: [storedRecord(deu, early.id), storedRecord(deu, within.id)] });

      const report = await importFile(nld, dir.file('early.bundle'));
      expect(report.counts).toEqual({ admitted: 1, duplicate: 0, rejected: 1, quarantined: 0, tainted: 0 });
      expect(report.refusals).toMatchObject([{ id: early.id, reason: 'outside-window', message: expect.stringContaining(`outside federation ${id}'s validity`) }]);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', early.id)).toBe(0);
      const events = integrityEvents(nld, 'over-release');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ partner: 'DEU', federation: id, evidence: { bundle: report.bundle, items: 1 } });
      await expectSound(nld);
    });
  });
});

describe('an item whose device credential was valid when it was made but not when it arrives', () => {
  it('is refused as expired, naming the admission, beside one whose device is still valid', async () => {
    await withDir(async (dir) => {
      // A federation of 400 days: longer than a device certificate's year.
      const expires = new Date(FEDERATION_START.getTime() + 400 * 86_400_000).toISOString();
      const { id, homes } = await federate(home, ['DEU', 'NLD'], { agents: false, overrides: { validity: { start: FEDERATION_START.toISOString(), expires } } });
      const [deu, nld] = homes as [TestHome, TestHome];
      const old = await observe(deu, 'GEHEIM', 'track:old');

      // A year and a day later (both operators confirm the clock's jump): sensor-1's certificate has expired.
      const later = new Date(Date.now() + 366 * 86_400_000);
      for (const h of [deu, nld]) {
        h.setClock(later);
        expect((await h.federations.confirmClock()).exited).toEqual([]);
      }
      await deu.credentials.enrol({ role: 'device', id: 'sensor-2', algorithm: 'Ed25519' });
      const fresh = await deu.observations.observe({ device: 'sensor-2', class: 'track', subject: 'track:fresh', labelText: nationalLabel('DEU', 'GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
      await readyToCross([deu, nld], id);
      const file = dir.file('deu-nld.bundle');
      await exportTo(deu, 'NLD', file);

      const report = await importFile(nld, file);
      expect(report.counts).toMatchObject({ admitted: 1, rejected: 1 });
      expect(report.refusals).toMatchObject([{ id: old.id, reason: 'expired', message: expect.stringContaining('before the observation was admitted') }]);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', fresh.id)).toBe(1);
      expect(countOf(nld, 'SELECT COUNT(*) FROM observations WHERE id = ?', old.id)).toBe(0);
      // Stale, not forged: no integrity event for it.
      expect(nld.integrity.list({ limit: 10 }).events.map((e) => e.kind).filter((k) => k !== 'clock-jump')).toEqual([]);
      await expectSound(nld);
    });
  });
});
