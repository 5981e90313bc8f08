/**
 * Integrity on real homes (issue 13): a partner's CRL with an invalidity date taints exactly the
 * observations made under that credential at or after it, and everything derived from them
 * across several levels; applied twice it changes nothing; a CRL the partner's CA did not sign is
 * refused and recorded; an observation arriving derived from one tainted here is admitted
 * `tainted`, standing on that source; taint notices carry the finding back; an exit's purge leaves tombstones
 * and its kept derived products stand on purged sources; every event leaves a log that verifies.
 */
import { X509Certificate } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { issueCrl } from '../../credentials/index.js';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { readCertificate, readPrincipal } from '../../store/mesh-store.js';
import { crossBundle, readyToCross } from '../../test-support/federated-homes.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-integrity-');

const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'CONFIDENTIAL', categories: [], createdAt: '2026-11-23T08:00:00Z' });
/** Minutes past a whole minute an hour from now: after every certificate the homes issue. */
const BASE = Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000;
const at = (minutes: number) => new Date(BASE + minutes * 60_000);

async function federate(deu: TestHome, nld: TestHome, overrides: Parameters<typeof declarationFor>[1] = {}) {
  const meshes = [deu, nld].map((h) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh);
  const declaration = declarationFor(meshes, {
    validity: { start: new Date(at(0).getTime() - 86_400_000).toISOString(), expires: new Date(at(0).getTime() + 30 * 86_400_000).toISOString() },
    ...overrides,
  });
  const { id } = await deu.federations.propose(declaration);
  await nld.federations.import(JSON.stringify(deu.federations.export(id)));
  await nld.federations.sign(id);
  await deu.federations.import(JSON.stringify(nld.federations.export(id)));
  // The agents are certified at the tests' own hour, so their certificates hold for every bundle after it.
  deu.setClock(at(2));
  nld.setClock(at(2));
  await readyToCross([deu, nld], id);
  return id;
}

/** NLD records an observation at `when` with `device`; DEU admits it from NLD's next bundle. */
async function crossed(nld: TestHome, deu: TestHome, device: string, when: Date, cls = 'track') {
  nld.setClock(when);
  const { id } = await nld.observations.observe({ device, class: cls, subject: `${cls}:${when.getTime()}`, labelText: label, payloadText: '{"x":1}', derivedFrom: [], derivation: null });
  const { imported } = await crossBundle(nld, deu);
  expect(imported.counts.admitted).toBe(1);
  return id;
}

async function derive(h: TestHome, from: string, n: number) {
  const { id } = await h.observations.observe({ device: 'sensor-1', class: 'track', subject: `fused:${n}`, labelText: label, payloadText: `{"fused":${n}}`, derivedFrom: [from], derivation: { name: 'fuse', version: '1' } });
  return id;
}

/** A CRL signed by `issuer`'s mesh authority revoking `device`, compromised since `since`. */
async function crlOf(issuer: TestHome, device: TestHome, id: string, revokedAt: Date, since?: Date) {
  const { signer } = await issuer.context.writing().log();
  const issuerPem = readCertificate(issuer.db, signer.certificateSha256)!.pem;
  const serial = readCertificate(device.db, readPrincipal(device.db, 'device', id)!.certificateSha256)!.serial;
  return issueCrl({ issuerCertificatePem: issuerPem, issuerKeys: { privateKey: signer.key, publicKey: new X509Certificate(issuerPem).publicKey }, revocations: [{ serial, revokedAt, ...(since ? { invalidSince: since } : {}) }], thisUpdate: revokedAt });
}

const count = (h: TestHome, table: string) => h.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('a partner CRL with an invalidity date', () => {
  it('taints exactly what was made under the credential since then, and everything derived from it, once', async () => {
    const devices = [{ id: 'sensor-1', algorithm: 'Ed25519' as const }, { id: 'sensor-2', algorithm: 'P-256' as const }];
    const [deu, nld] = [await home('DEU'), await home('NLD', { devices })];
    deu.setClock(at(1));
    const federation = await federate(deu, nld);

    const before = await crossed(nld, deu, 'sensor-1', at(10));
    const atCompromise = await crossed(nld, deu, 'sensor-1', at(20));
    const after = await crossed(nld, deu, 'sensor-1', at(30));
    const otherDevice = await crossed(nld, deu, 'sensor-2', at(31));
    deu.setClock(at(40));
    const d1 = await derive(deu, after, 1);
    const d2 = await derive(deu, d1, 2);
    const d3 = await derive(deu, d2, 3);
    const fromEarlier = await derive(deu, before, 4);
    const fromOther = await derive(deu, otherDevice, 5);

    // Revoked at +50 min, compromised since +20 (RFC 5280 §5.3.2): +20 itself is included.
    const crl = await crlOf(nld, nld, 'sensor-1', at(50), at(20));
    deu.setClock(at(55));
    const tainted = await deu.integrity.applyPartnerCrl('NLD', crl);
    expect([...tainted].sort()).toEqual([atCompromise, after, d1, d2, d3].sort());
    const causes = deu.db.prepare('SELECT observation_id AS id, cause, since FROM taints ORDER BY observation_id').all() as { id: string; cause: string; since: string }[];
    expect(Object.fromEntries(causes.map((c) => [c.id, c.cause]))).toEqual({ [atCompromise]: 'compromised-credential', [after]: 'compromised-credential', [d1]: 'tainted-source', [d2]: 'tainted-source', [d3]: 'tainted-source' });
    expect(new Set(causes.map((c) => c.since))).toEqual(new Set([at(20).toISOString()]));
    for (const id of [before, otherDevice, fromEarlier, fromOther]) expect(causes.some((c) => c.id === id)).toBe(false);

    // One integrity event, one log entry of kind taint naming every id; the log verifies.
    const events = deu.integrity.list({ limit: 10 });
    expect(events.events.map((e) => e.kind)).toEqual(['taint']);
    expect(events.events[0]).toMatchObject({ partner: 'NLD', federation, evidence: { tainted: 5, derived: 3 } });
    const entry = JSON.parse(deu.db.prepare("SELECT entry FROM audit_entries WHERE type = 'integrity'").pluck().get() as string) as { what: { ids: string[] }; why: { reasons: string[] } };
    expect(entry.why.reasons).toEqual(['taint']);
    expect([...entry.what.ids].sort()).toEqual([...tainted].sort());
    expect(deu.audit.verify().failures).toEqual([]);

    // Standing: the deepest derived product names the compromised observation it rests on.
    expect((await deu.observations.show(d3)).standing).toMatchObject({ standing: 'tainted', cause: 'tainted-source', source: after });
    expect((await deu.observations.show(after)).standing).toMatchObject({ standing: 'tainted', cause: 'compromised-credential', source: after });
    expect((await deu.observations.show(fromEarlier)).standing).toMatchObject({ standing: 'verified', source: null });
    const page = await deu.observations.page({ limit: 100 });
    expect(page.observations.filter((o) => o.standing.standing === 'tainted').map((o) => o.id).sort()).toEqual([...tainted].sort());

    // Applied again: nothing changes, not even the log.
    const snapshot = ['taints', 'audit_entries', 'integrity_events', 'partner_crls', 'audit_checkpoints'].map((t) => count(deu, t));
    expect(await deu.integrity.applyPartnerCrl('NLD', crl)).toEqual([]);
    expect(['taints', 'audit_entries', 'integrity_events', 'partner_crls', 'audit_checkpoints'].map((t) => count(deu, t))).toEqual(snapshot);

    // The CRL now feeds NLD's chain verifier here: the compromised device's later record is refused.
    nld.setClock(at(60));
    const late = await nld.observations.observe({ device: 'sensor-2', class: 'track', subject: 'track:late', labelText: label, payloadText: '{}', derivedFrom: [], derivation: null });
    const revokedRecord = await nld.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:stolen', labelText: label, payloadText: '{}', derivedFrom: [], derivation: null }).catch(() => null);
    // NLD's own home has not revoked sensor-1 (only its CRL file says so), so it still signs; DEU refuses it.
    expect(revokedRecord).not.toBeNull();
    const { imported } = await crossBundle(nld, deu);
    expect(imported.counts).toMatchObject({ admitted: 1, rejected: 1 });
    expect(imported.refusals).toMatchObject([{ id: revokedRecord!.id, reason: 'revoked' }]);
    expect(count(deu, `observations WHERE id = '${late.id}'`)).toBe(1);
  });

  it('without an invalidity date taints from the revocation date', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    deu.setClock(at(1));
    await federate(deu, nld);
    await crossed(nld, deu, 'sensor-1', at(10));
    const later = await crossed(nld, deu, 'sensor-1', at(30));
    deu.setClock(at(35));
    expect(await deu.integrity.applyPartnerCrl('NLD', await crlOf(nld, nld, 'sensor-1', at(30)))).toEqual([later]);
  });

  it('refuses a CRL the partner’s CA did not sign, and records it as an integrity event', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    deu.setClock(at(1));
    await federate(deu, nld);
    await crossed(nld, deu, 'sensor-1', at(10));
    deu.setClock(at(20));
    // POL's authority signs a CRL naming NLD's device serial: not NLD's CRL.
    const forged = await crlOf(pol, nld, 'sensor-1', at(15), at(5));
    expect(await refusal(() => deu.integrity.applyPartnerCrl('NLD', forged))).toBe('untrusted-crl');
    expect(await refusal(() => deu.integrity.applyPartnerCrl('NLD', 'not a CRL'))).toBe('untrusted-crl');
    expect(count(deu, 'taints')).toBe(0);
    expect(count(deu, 'partner_crls')).toBe(0);
    const events = deu.integrity.list({ kind: 'untrusted-crl', limit: 10 });
    expect(events.total).toBe(2);
    expect(events.events[0]).toMatchObject({ partner: 'NLD', kind: 'untrusted-crl' });
    expect(deu.integrity.list({ partner: 'POL', limit: 10 }).total).toBe(0);
    expect(deu.audit.verify().failures).toEqual([]);
    // And one from a mesh with no federation here is refused before anything is written.
    expect(await refusal(() => deu.integrity.applyPartnerCrl('POL', forged))).toBe('no-federation');
    expect(deu.integrity.list({ limit: 10 }).total).toBe(2);
  });
});

describe('an arriving observation derived from one already tainted here', () => {
  it('is admitted as tainted: counted so by the import, its log entry and the receipt, and standing on the tainted source', async () => {
    const devices = [{ id: 'sensor-1', algorithm: 'Ed25519' as const }, { id: 'sensor-2', algorithm: 'Ed25519' as const }];
    const [deu, nld] = [await home('DEU'), await home('NLD', { devices })];
    deu.setClock(at(1));
    await federate(deu, nld);
    const compromised = await crossed(nld, deu, 'sensor-1', at(20));
    deu.setClock(at(55));
    expect(await deu.integrity.applyPartnerCrl('NLD', await crlOf(nld, nld, 'sensor-1', at(50), at(10)))).toEqual([compromised]);

    // NLD, which has not revoked its sensor at home, fuses the compromised track by another, sound device.
    nld.setClock(at(60));
    const { id: fused } = await nld.observations.observe({ device: 'sensor-2', class: 'track', subject: 'fused:1', labelText: label, payloadText: '{"fused":1}', derivedFrom: [compromised], derivation: { name: 'fuse', version: '1' } });
    deu.setClock(at(61));
    // No receipt went back, so NLD's bundle carries the compromised track again: a duplicate.
    const { imported } = await crossBundle(nld, deu);
    expect(imported.counts).toEqual({ admitted: 0, duplicate: 1, rejected: 0, quarantined: 0, tainted: 1 });
    expect(count(deu, `observations WHERE id = '${fused}'`)).toBe(1);
    expect(deu.db.prepare('SELECT outcome FROM crossings WHERE observation_id = ?').pluck().get(fused)).toBe('tainted');
    expect(deu.db.prepare('SELECT cause FROM taints WHERE observation_id = ?').pluck().get(fused)).toBe('tainted-source');
    expect((await deu.observations.show(fused)).standing).toMatchObject({ standing: 'tainted', cause: 'tainted-source', source: compromised });

    // The block's one crossing entry names it among the admitted and counts it tainted; the receipt holds it in its admitted root.
    const entries = (deu.db.prepare("SELECT entry FROM audit_entries WHERE type = 'crossing'").pluck().all() as string[]).map((e) => JSON.parse(e) as { what: { ids: string[]; detail: { bundle: string; tainted: number } } });
    const ofBundle = entries.filter((e) => e.what.detail.bundle === imported.bundle);
    expect(ofBundle).toMatchObject([{ what: { ids: [fused], detail: { tainted: 1 } } }]);
    const receipt = JSON.parse(Buffer.from(imported.receipt.payload, 'base64').toString('utf8')) as { counts: { tainted: number }; admitted: { count: number } };
    expect(receipt).toMatchObject({ counts: { tainted: 1, admitted: 0 }, admitted: { count: 1 } });
    expect(await nld.crossing.importReceipt(JSON.stringify(imported.receipt))).toMatchObject({ recorded: true, counts: { tainted: 1 } });

    // Its taint travels on like any other: DEU's next bundle tells NLD, which marks its own fused track.
    await crossBundle(deu, nld);
    expect(nld.db.prepare('SELECT cause FROM taints WHERE observation_id = ?').pluck().get(fused)).toBe('partner-notice');
    expect(deu.audit.verify().failures).toEqual([]);
  });
});

describe('taint notices', () => {
  it('carry the taint to the partner, which marks what it holds, once', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    deu.setClock(at(1));
    await federate(deu, nld);
    const compromised = await crossed(nld, deu, 'sensor-1', at(30));
    deu.setClock(at(40));
    const d1 = await derive(deu, compromised, 1);
    deu.setClock(at(55));
    await deu.integrity.applyPartnerCrl('NLD', await crlOf(nld, nld, 'sensor-1', at(50), at(20)));

    const notices = deu.integrity.taintNoticesFor('NLD', at(0).toISOString());
    expect(notices).toHaveLength(1);
    expect(notices[0]!.taints.map((t) => t.id).sort()).toEqual([compromised, d1].sort());
    const event = deu.integrity.list({ kind: 'taint', limit: 1 }).events[0]!;
    expect(new Set(notices[0]!.taints.map((t) => t.entry))).toEqual(new Set([event.id]));
    // Nothing marked since now.
    expect(deu.integrity.taintNoticesFor('NLD', at(56).toISOString())).toEqual([]);

    nld.setClock(at(60));
    const json = JSON.parse(JSON.stringify(notices[0]));
    expect(await nld.integrity.applyTaintNotice(json)).toEqual([compromised]);
    expect(await nld.integrity.applyTaintNotice(json)).toEqual([]);
    expect((await nld.observations.show(compromised)).standing).toMatchObject({ standing: 'tainted', cause: 'partner-notice' });
    expect(nld.audit.verify().failures).toEqual([]);
    // What came from NLD's notice is not sent back to NLD.
    expect(nld.integrity.taintNoticesFor('DEU', at(0).toISOString())).toEqual([]);

    expect(await refusal(() => deu.integrity.applyTaintNotice(json))).toBe('wrong-recipient');
    expect(await refusal(() => nld.integrity.applyTaintNotice({ ...json, taints: [] }))).toBe('malformed-taint-notice');
    expect(await refusal(() => nld.integrity.applyTaintNotice({ ...json, federation: 'no-such-federation' }))).toBe('no-federation');
  });
});

describe('standing of a derived observation', () => {
  it('is source-failed when its source’s record was edited in the file, though its own signature verifies', async () => {
    const deu = await home('DEU');
    const { id: source } = await deu.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: label, payloadText: '{"x":1}', derivedFrom: [], derivation: null });
    const derived = await derive(deu, source, 1);
    const grandchild = await derive(deu, derived, 2);
    expect((await deu.observations.show(grandchild)).standing.standing).toBe('verified');

    const raw = new Database(deu.db.name);
    raw.exec('DROP TRIGGER observations_are_immutable');
    const record = raw.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(source) as string;
    raw.prepare('UPDATE observations SET record = ? WHERE id = ?').run(record.replace('"x":1', '"x":2'), source);
    raw.close();

    const shown = await deu.observations.show(grandchild);
    expect(shown.verification.ok).toBe(true);
    expect(shown.standing).toMatchObject({ standing: 'source-failed', source, cause: 'bad-signature' });
    const detail = await deu.observations.detail(grandchild);
    expect(detail!.summary.standing).toMatchObject({ standing: 'source-failed', source });
  });
});

describe('an exit’s purge', () => {
  it('leaves tombstones, and the derived products kept stand on purged sources', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    deu.setClock(at(1));
    const federation = await federate(deu, nld, {
      exit: [
        { class: 'track', action: 'purge', derived: 'retain' },
        { class: 'incident', action: 'retain', handling: 'national archive', derived: 'retain' },
      ],
    });
    const track = await crossed(nld, deu, 'sensor-1', at(10));
    deu.setClock(at(20));
    const { id: local } = await deu.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:own', labelText: label, payloadText: '{}', derivedFrom: [], derivation: null });
    const kept = await derive(deu, track, 1);
    const keptChild = await derive(deu, kept, 2);

    nld.setClock(at(30));
    await nld.federations.withdraw(federation, 'Exercise over');
    deu.setClock(at(31));
    await deu.federations.import(JSON.stringify(nld.federations.export(federation)));

    expect(deu.integrity.isPurged(track)).toBe(true);
    expect(deu.integrity.isPurged(local)).toBe(false);
    expect(deu.db.prepare('SELECT observation_id, federation FROM tombstones').all()).toEqual([{ observation_id: track, federation }]);
    expect(deu.db.prepare('SELECT COUNT(*) FROM tombstones WHERE observation_id = ?').pluck().get(track)).toBe(1);
    expect((await deu.observations.show(kept)).standing).toMatchObject({ standing: 'source-purged', source: track });
    expect((await deu.observations.show(keptChild)).standing).toMatchObject({ standing: 'source-purged', source: track });
    const page = await deu.observations.page({ limit: 100 });
    expect(page.observations.find((o) => o.id === keptChild)!.standing).toMatchObject({ standing: 'source-purged', cause: 'purged-source', source: track });
    // Tombstones are never removed.
    expect(() => deu.db.prepare('DELETE FROM tombstones').run()).toThrow(/append-only/);
    expect(deu.audit.verify().failures).toEqual([]);
  });
});
