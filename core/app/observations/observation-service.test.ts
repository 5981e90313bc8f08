/**
 * A mesh's whole local flow on a real store: init, enrol, observe, derive, verify — and every
 * tampering of the stored file named by `verify`, every bad input refused with nothing written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { WriteDb } from '../../store/database.js';
import { countObservations } from '../../store/observation-store.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { createServices, type Services } from '../services.js';
import type { ObserveRequest } from './observation-service.js';

const PASS = 'correct horse battery staple';
const label = (classification = 'SECRET', values = ['DEU', 'NLD']) =>
  JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values }], createdAt: '2026-11-23T08:00:00Z' });

const openHome = useTestHomes('entente-observe-');
let db: WriteDb;
let services: Services;
beforeEach(async () => {
  const home = await openHome('DEU', { passphrase: PASS, devices: [
      { id: 'uav-7', algorithm: 'Ed25519' },
      { id: 'radar-2', algorithm: 'P-256' },
    ] });
  services = home;
  db = home.db;
});

const record = (device: string, subject: string, payload: unknown, extra: Partial<ObserveRequest> = {}) =>
  services.observations.observe({ device, class: 'track', subject, labelText: label(), payloadText: JSON.stringify(payload), derivedFrom: [], derivation: null, ...extra });

async function refusalOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as { reason?: string }).reason ?? `threw ${(error as Error).message}`;
  }
  return 'accepted';
}

/** What an attacker with the file could do: drop the store's guards and edit rows. */
function tamper(sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER observations_are_immutable');
  db.prepare(sql).run(...params);
}

describe('observing and verifying', () => {
  it('records, derives from two devices, and verifies everything', async () => {
    const a = await record('uav-7', 'track:1', { lat: 52.1 });
    const b = await record('radar-2', 'track:1', { lat: 52.2 });
    const fused = await record('uav-7', 'track:1', { lat: 52.15 }, { derivedFrom: [b.id, a.id], derivation: { name: 'fuse', version: '1' } });
    expect(fused.record.lineage.sources).toEqual([a.id, b.id].sort());
    expect(fused.record.time.hlc.l).toBeGreaterThanOrEqual(b.record.time.hlc.l);
    expect(await services.observations.verifyAll()).toEqual({ checked: 3, verified: 3, failures: [] });
  });

  it('names each tampering of the stored file', async () => {
    const a = await record('uav-7', 'track:1', { lat: 52.1 });
    const b = await record('uav-7', 'track:2', { lat: 10 });
    const stored = (id: string) => JSON.parse((db.prepare('SELECT record FROM observations WHERE id = ?').get(id) as { record: string }).record);

    const changedPayload = { ...stored(a.id), payload: { lat: 0 } };
    tamper('UPDATE observations SET record = ? WHERE id = ?', JSON.stringify(changedPayload), a.id);
    const movedLabel = { ...stored(b.id), label: JSON.parse(label('UNCLASSIFIED', ['DEU'])) };
    db.prepare('UPDATE observations SET record = ? WHERE id = ?').run(JSON.stringify(movedLabel), b.id);

    const report = await services.observations.verifyAll();
    expect(report.verified).toBe(0);
    expect(report.failures.map((f) => [f.id, f.reason])).toEqual([[a.id, 'bad-signature'], [b.id, 'bad-signature']]);
    // Listed under the id they are stored under, saying the content no longer matches it.
    for (const failure of report.failures) expect(failure.message).toMatch(/not to its id: the row was edited in the file\.$/);
  });

  it('names a genuine record filed under another record’s id', async () => {
    const a = await record('uav-7', 'track:1', { lat: 52.1 });
    const b = await record('uav-7', 'track:2', { lat: 10 });
    tamper('UPDATE observations SET record = ? WHERE id = ?', JSON.stringify(b.record), a.id);
    const report = await services.observations.verifyAll();
    expect(report.failures.map((f) => [f.id, f.reason])).toEqual([[a.id, 'id-mismatch']]);
  });

  it('refuses a revoked device’s new observations but still verifies its earlier ones', async () => {
    await record('radar-2', 'track:1', { lat: 1 });
    // CRLs date revocations to the second: let the observation's second pass first.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await services.credentials.revoke({ role: 'device', id: 'radar-2' });
    expect(await refusalOf(record('radar-2', 'track:1', { lat: 2 }))).toBe('revoked');
    expect((await services.observations.verifyAll()).verified).toBe(1);
  });

  it('does not believe a stored CRL whose signature was broken: verify names it, observe refuses', async () => {
    await record('uav-7', 'track:1', { lat: 1 });
    await services.credentials.revoke({ role: 'device', id: 'radar-2' });
    const { pem } = db.prepare('SELECT pem FROM crls').get() as { pem: string };
    const lines = pem.trim().split('\n');
    const last = lines[lines.length - 2]!; // the signature's end, just above the END line
    lines[lines.length - 2] = last.slice(0, 4) + (last[4] === 'A' ? 'B' : 'A') + last.slice(5);
    db.prepare('UPDATE crls SET pem = ?').run(lines.join('\n') + '\n');

    const report = await services.observations.verifyAll();
    expect(report.failures.map((f) => f.reason)).toEqual(['untrusted-crl']);
    expect(report).toMatchObject({ checked: 1, verified: 1 });
    expect(await refusalOf(record('uav-7', 'track:2', { lat: 2 }))).toBe('untrusted-crl');
    expect(countObservations(db, {})).toBe(1);
  });

  it('refuses bad input with a named reason and writes nothing', async () => {
    const cases: [Promise<unknown>, string][] = [
      [record('nobody', 's', {}), 'not-enrolled'],
      [services.observations.observe({ device: 'uav-7', class: 'track', subject: 's', labelText: label(), payloadText: '{"lat":1,"lat":2}', derivedFrom: [], derivation: null }), 'duplicate-key'],
      [services.observations.observe({ device: 'uav-7', class: 'track', subject: 's', labelText: label(), payloadText: '['.repeat(100_000) + ']'.repeat(100_000), derivedFrom: [], derivation: null }), 'too-deep'],
      [record('uav-7', 's', {}, { labelText: label('SUPER SECRET') }), 'unknown-classification'],
      [record('uav-7', 's', {}, { labelText: label('SECRET', ['XXX']) }), 'invalid-category-value'],
      [record('uav-7', 's', {}, { derivedFrom: ['a'.repeat(64)], derivation: { name: 'f', version: '1' } }), 'unknown-source'],
      [createServices(db, { passphrase: 'wrong' }).observations.observe({ device: 'uav-7', class: 'track', subject: 's', labelText: label(), payloadText: '{}', derivedFrom: [], derivation: null }), 'wrong-passphrase'],
      [record('uav-7', 'S P A C E', {}, { class: 'Not A Class' }), 'malformed-record'],
    ];
    for (const [work, reason] of cases) expect(await refusalOf(work)).toBe(reason);
    expect(countObservations(db)).toBe(0);
  });

  it('takes a STANAG 4774 XML label file as well as JSON, and refuses a hostile one', async () => {
    const { labelToXml } = await import('../../labels/index.js');
    const xml = labelToXml(JSON.parse(label('CONFIDENTIAL', ['POL'])));
    const recorded = await record('uav-7', 'track:1', { lat: 1 }, { labelText: xml });
    expect(recorded.record.label).toMatchObject({ classification: 'CONFIDENTIAL', categories: [{ values: ['POL'] }] });
    const xxe = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><l>&x;</l>';
    expect(await refusalOf(record('uav-7', 'track:1', { lat: 1 }, { labelText: xxe }))).toBe('xml-dtd');
    expect(countObservations(db)).toBe(1);
  });

  it('refuses a second mesh in the same home', async () => {
    expect(await refusalOf(services.mesh.init({ mesh: 'NLD', algorithm: 'Ed25519', encryptKeys: true }))).toBe('already-initialised');
  });
});

describe('the console views of a tampered store', () => {
  it('still lists every row when one stored record lost its shape, and refuses to show that one by name', async () => {
    const good = await record('uav-7', 'track:1', { lat: 52.1 });
    const broken = await record('uav-7', 'track:2', { lat: 10 });
    // The label removed, and the payload 100,000 levels deep: neither may take the table down.
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    tamper(`UPDATE observations SET record = replace(replace(record, '{"lat":10}', ?), '"label":', '"lable":') WHERE id = ?`, deep, broken.id);
    const page = await services.observations.page({ limit: 10 });
    expect(page.total).toBe(2);
    const rows = Object.fromEntries(page.observations.map((o) => [o.id, o]));
    expect(rows[good.id]).toMatchObject({ marking: 'NATO SECRET // REL TO DEU, NLD', timeReference: 'local', verification: { ok: true } });
    expect(rows[broken.id]).toMatchObject({ subject: 'track:2', marking: '(unreadable record)', timeReference: null, verification: { ok: false, reason: 'malformed-record' } });
    await expect(services.observations.detail(broken.id)).rejects.toThrow(expect.objectContaining({ reason: 'malformed-record' }));
    expect((await services.observations.detail(good.id))?.summary.verification.ok).toBe(true);
    // `entente show` and `entente lineage` name it too, rather than failing on the nesting.
    await expect(services.observations.show(broken.id)).rejects.toThrow(expect.objectContaining({ reason: 'malformed-record' }));
    expect(services.provenance.lineage(broken.id).nodes.find((n) => n.id === broken.id)).toMatchObject({ found: 'held', subject: 'track:2', derivation: null });
  });
});
