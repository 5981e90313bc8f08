/**
 * The copies a store keeps beside each signed record — the indexed columns and the source edges —
 * edited in the file with the store's guards dropped: `entente verify` names the copy and both
 * values, and show, the console's detail and lineage present the record's own values, flagged.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { createServices, type Services } from '../services.js';

const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] }], createdAt: '2026-11-23T08:00:00Z' });

let dir: TempDir;
let db: WriteDb;
let services: Services;
let ids: { a: string; b: string; fused: string };
beforeEach(async () => {
  dir = makeTempDir();
  db = openDatabase(dir.file('entente.db'));
  services = createServices(db, { passphrase: null });
  await services.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await services.credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  await services.credentials.enrol({ role: 'device', id: 'radar-2', algorithm: 'Ed25519' });
  const observe = (device: string, subject: string, derivedFrom: string[] = []) =>
    services.observations.observe({ device, class: 'track', subject, labelText: label, payloadText: '{"lat":52}', derivedFrom, derivation: derivedFrom.length > 0 ? { name: 'fuse', version: '1' } : null });
  const a = await observe('uav-7', 'track:1');
  const b = await observe('radar-2', 'track:2');
  const fused = await observe('uav-7', 'track:1', [a.id]);
  ids = { a: a.id, b: b.id, fused: fused.id };
});
afterEach(() => {
  db.close();
  dir.remove();
});

/** What an attacker with the file does: a connection of their own, the triggers dropped. */
function editFile(sql: string, ...params: unknown[]): void {
  const raw = new Database(dir.file('entente.db'));
  try {
    for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) raw.exec(`DROP TRIGGER "${name}"`);
    raw.prepare(sql).run(...params);
  } finally {
    raw.close();
  }
}

describe('a column filed beside the record, edited in the file', () => {
  it.each([
    ['subject', 'track:1', 'track:forged'],
    ['class', 'track', 'emitter'],
    ['device', 'uav-7', 'radar-2'],
  ])('%s: verify names the column and both values; show, detail and lineage give the record’s value, flagged', async (column, actual, forged) => {
    editFile(`UPDATE observations SET ${column} = ? WHERE id = ?`, forged, ids.a);

    const report = await services.observations.verifyAll();
    expect(report).toMatchObject({ checked: 3, verified: 2 });
    expect(report.failures).toEqual([
      { id: ids.a, reason: 'index-mismatch', message: expect.stringContaining(`under ${column} ${JSON.stringify(forged)}, but its signed record says ${JSON.stringify(actual)}`) },
    ]);

    const shown = await services.observations.show(ids.a);
    expect(shown.verification).toMatchObject({ ok: false, reason: 'index-mismatch' });
    const detail = await services.observations.detail(ids.a);
    expect(detail?.summary).toMatchObject({ [column]: actual, verification: { ok: false, reason: 'index-mismatch' } });
    const page = await services.observations.page({ limit: 10 });
    expect(page.observations.find((o) => o.id === ids.a)).toMatchObject({ [column]: actual, verification: { ok: false } });
    const node = services.provenance.lineage(ids.a).nodes[0]!;
    expect(node).toMatchObject({ [column]: actual, flagged: { reason: 'index-mismatch' } });
    // Nothing else is blamed.
    expect(services.provenance.lineage(ids.b).nodes[0]!.flagged).toBeUndefined();
    expect(services.audit.verify().failures).toEqual([]);
  });
});

describe('a source edge filed beside the record, edited in the file', () => {
  it('a forged edge is named, and show, detail and lineage list only the sources the record names', async () => {
    editFile('INSERT INTO observation_sources (observation_id, source_id) VALUES (?, ?)', ids.fused, ids.b);

    const report = await services.observations.verifyAll();
    expect(report).toMatchObject({ checked: 3, verified: 2 });
    expect(report.failures).toEqual([{ id: ids.fused, reason: 'index-mismatch', message: expect.stringContaining(`under sources ${JSON.stringify([ids.a, ids.b].sort())}, but its signed record says ${JSON.stringify([ids.a])}`) }]);
    expect((await services.observations.show(ids.fused)).sources).toEqual([ids.a]);
    expect((await services.observations.detail(ids.fused))?.lineage.sources.map((s) => s.id)).toEqual([ids.a]);
    const chain = services.provenance.lineage(ids.fused);
    expect(chain.nodes.map((n) => n.id)).toEqual([ids.fused, ids.a]);
    expect(chain.nodes[0]).toMatchObject({ sources: [ids.a], flagged: { reason: 'index-mismatch' } });
  });

  it('a deleted edge is named, and the record’s source is still listed', async () => {
    editFile('DELETE FROM observation_sources WHERE observation_id = ?', ids.fused);

    expect((await services.observations.verifyAll()).failures).toEqual([{ id: ids.fused, reason: 'index-mismatch', message: expect.stringContaining('under sources [], but its signed record says') }]);
    expect((await services.observations.show(ids.fused)).sources).toEqual([ids.a]);
    expect(services.provenance.lineage(ids.fused).nodes.map((n) => n.id)).toEqual([ids.fused, ids.a]);
  });

  it('an edge filed under an observation the store does not hold is named', async () => {
    const nowhere = 'f'.repeat(64);
    const raw = new Database(dir.file('entente.db'));
    raw.pragma('foreign_keys = OFF');
    raw.prepare('INSERT INTO observation_sources (observation_id, source_id) VALUES (?, ?)').run(nowhere, ids.a);
    raw.close();

    expect((await services.observations.verifyAll()).failures).toEqual([{ id: nowhere, reason: 'index-mismatch', message: expect.stringContaining('no observation') }]);
  });
});

describe("the joint picture's copy of a record (migration 18), edited in the file", () => {
  it.each([
    ['payload', `UPDATE picture_candidates SET payload = '{"lat":61}' WHERE id = ?`, 'payload "{\\"lat\\":61}"'],
    ['authority', `UPDATE picture_candidates SET authority = 'forged' WHERE id = ?`, 'authority "forged"'],
    ['a missing copy', 'DELETE FROM picture_candidates WHERE id = ?', null],
  ])('%s: verify names it; the other records still verify', async (_, sql, named) => {
    editFile(sql, ids.a);
    const report = await services.observations.verifyAll();
    expect(report).toMatchObject({ checked: 3, verified: 2 });
    const message = named === null ? 'has no copy for the joint picture beside its record' : `copy for the joint picture says ${named}`;
    expect(report.failures).toEqual([{ id: ids.a, reason: 'index-mismatch', message: expect.stringContaining(message) }]);
  });
});

describe("the joint picture's claims (migration 19), edited in the file", () => {
  // track:1 holds a and, later by DEU's clock, fused: DEU's claim on lat is fused.
  it('a claim removed: both assertions it stood for are named', async () => {
    editFile('DELETE FROM picture_claims WHERE observation = ?', ids.fused);
    const report = await services.observations.verifyAll();
    expect(report).toMatchObject({ checked: 3, verified: 1 });
    expect(report.failures.map((f) => f.id).sort()).toEqual([ids.a, ids.fused].sort());
    expect(report.failures[0]!.message).toContain('has no current claim of DEU on field "lat", which it asserts');
  });

  it('a claim moved back to an earlier observation: the later one is named', async () => {
    editFile(
      `UPDATE picture_claims SET observation = @a, hlc_l = (SELECT hlc_l FROM picture_candidates WHERE id = @a), hlc_c = (SELECT hlc_c FROM picture_candidates WHERE id = @a) WHERE subject = 'track:1'`,
      { a: ids.a },
    );
    const report = await services.observations.verifyAll();
    expect(report.failures).toEqual([{ id: ids.fused, reason: 'index-mismatch', message: expect.stringContaining('is later than the claim of DEU on field "lat"') }]);
  });

  it('a claim on a field its mesh never asserted: the claim is named', async () => {
    editFile(
      `INSERT INTO picture_claims (subject, field, mesh, observation, hlc_l, hlc_c) SELECT subject, 'ghost', mesh, id, hlc_l, hlc_c FROM picture_candidates WHERE id = ?`,
      ids.fused,
    );
    const report = await services.observations.verifyAll();
    expect(report).toMatchObject({ checked: 3, verified: 3 });
    expect(report.failures).toEqual([{ id: ids.fused, reason: 'index-mismatch', message: expect.stringContaining('claim of DEU on field "ghost" of track:1') }]);
  });

  it('a claim whose clock was moved: it names no real assertion', async () => {
    editFile('UPDATE picture_claims SET hlc_l = hlc_l + 1000000 WHERE observation = ?', ids.fused);
    const report = await services.observations.verifyAll();
    expect(report.failures.map((f) => f.id).sort()).toEqual([ids.a, ids.fused].sort());
    expect(report.failures.every((f) => f.message.includes('which is not an assertion of that field by that mesh at the clock the claim says'))).toBe(true);
  });
});
