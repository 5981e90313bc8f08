/**
 * One test per migration: applied on top of the schema before it, with rows already there,
 * it keeps those rows and adds what it promises.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { migrations } from './index.js';

let dir: TempDir;
let db: Database.Database;
beforeEach(() => {
  dir = makeTempDir();
  db = new Database(dir.file('entente.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

function applyUpTo(version: number): void {
  for (const migration of migrations.filter((m) => m.version <= version)) {
    migration.up(db);
    db.pragma(`user_version = ${migration.version}`);
  }
}

const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1, 2, 3… without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('1 creates the workspace identity table, holding one row only', () => {
    applyUpTo(1);
    const insert = db.prepare('INSERT INTO workspace_meta (singleton, workspace_id, created_at) VALUES (?, ?, ?)');
    insert.run(1, 'a'.repeat(64), '2026-11-23T00:00:00Z');
    expect(() => insert.run(2, 'b'.repeat(64), '2026-11-23T00:00:00Z')).toThrow();
    expect(() => insert.run(1, 'short', '2026-11-23T00:00:00Z')).toThrow();
  });

  it('2 adds the mesh credentials and keeps the workspace identity', () => {
    applyUpTo(1);
    db.prepare('INSERT INTO workspace_meta VALUES (1, ?, ?)').run('a'.repeat(64), '2026-11-23T00:00:00Z');
    migrations[1]!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['workspace_meta', 'mesh', 'certificates', 'private_keys', 'principals', 'crls']));
    expect(db.prepare('SELECT COUNT(*) AS n FROM workspace_meta').get()).toEqual({ n: 1 });
  });

  it('3 adds append-only observations and keeps the credentials', () => {
    applyUpTo(2);
    db.prepare("INSERT INTO certificates VALUES (?, 'DEU', 'root', NULL, '01', 'a', 'b', 'pem', 'now')").run('c'.repeat(64));
    migrations[2]!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['observations', 'observation_sources']));
    expect(db.prepare('SELECT COUNT(*) AS n FROM certificates').get()).toEqual({ n: 1 });
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['observations_by_subject', 'observations_by_class', 'observations_by_mesh', 'observations_by_time']));
  });

  it('4 adds the append-only reconciliation log and keeps the observations', () => {
    applyUpTo(3);
    db.prepare("INSERT INTO observations VALUES (?, 'DEU', 's', 'track', 'now', 1, 0, 'd', ?, '{}', 'now')").run('a'.repeat(64), 'b'.repeat(64));
    migrations[3]!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['audit_entries', 'audit_entry_refs', 'audit_checkpoints', 'audit_peer_heads', 'audit_cosignatures']));
    expect(db.prepare('SELECT COUNT(*) AS n FROM observations').get()).toEqual({ n: 1 });
    db.prepare("INSERT INTO audit_entries VALUES (0, 'DEU', ?, 'credential', NULL, NULL, 'now', 1, 0, '{}')").run('c'.repeat(64));
    expect(() => db.prepare("UPDATE audit_entries SET entry = '{\"x\":1}'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM audit_entries').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO audit_entries VALUES (0, 'DEU', ?, 'credential', NULL, NULL, 'now', 1, 0, '{}')").run('d'.repeat(64))).toThrow(/UNIQUE/);
  });

  it('5 adds federations, and lets exactly the observations a purge authorised be deleted', () => {
    applyUpTo(4);
    const insert = db.prepare("INSERT INTO observations VALUES (?, 'NLD', 's', 'track', 'now', 1, 0, 'd', ?, '{}', 'now')");
    insert.run('a'.repeat(64), 'b'.repeat(64));
    insert.run('c'.repeat(64), 'b'.repeat(64));
    migrations[4]!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['federation_versions', 'federation_signatures', 'federation_withdrawals', 'federation_exits', 'trusted_time', 'foreign_admissions', 'purge_authorizations']));
    expect(() => db.prepare('DELETE FROM observations WHERE id = ?').run('a'.repeat(64))).toThrow(/append-only/);
    db.prepare('INSERT INTO purge_authorizations VALUES (?)').run('a'.repeat(64));
    expect(db.prepare('DELETE FROM observations').run.bind(db.prepare('DELETE FROM observations'))).toThrow(/append-only/);
    db.prepare('DELETE FROM observations WHERE id = ?').run('a'.repeat(64));
    expect(db.prepare('SELECT id FROM observations').all()).toEqual([{ id: 'c'.repeat(64) }]);
  });

  it('6 adds the witnesses’ certificates and keeps the cosignatures', () => {
    applyUpTo(5);
    db.prepare("INSERT INTO audit_cosignatures VALUES ('DEU', 3, 'NLD', '{}', 'now')").run();
    migrations[5]!.up(db);
    expect(tables()).toContain('audit_witness_certificates');
    expect(db.prepare('SELECT witness FROM audit_cosignatures').all()).toEqual([{ witness: 'NLD' }]);
    const insert = db.prepare("INSERT INTO audit_witness_certificates VALUES ('NLD', ?, ?, 'pem')");
    insert.run('a'.repeat(64), 'a'.repeat(64));
    expect(() => insert.run('a'.repeat(64), 'a'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => insert.run('a'.repeat(64), 'short')).toThrow(/CHECK/);
  });
  it('7 pins each partner mesh to the anchor its newest version on record names', () => {
    applyUpTo(6);
    const version = db.prepare("INSERT INTO federation_versions VALUES (?, ?, ?, ?, ?)");
    const declaration = (nld: string) => JSON.stringify({ partners: [{ mesh: 'DEU', card: { trustAnchor: { sha256: 'd'.repeat(64) } } }, { mesh: 'NLD', card: { trustAnchor: { sha256: nld } } }] });
    version.run('f-one', 1, '1'.repeat(64), declaration('a'.repeat(64)), '2027-01-01T00:00:00.000Z');
    version.run('f-one', 2, '2'.repeat(64), declaration('b'.repeat(64)), '2027-02-01T00:00:00.000Z');
    migrations[6]!.up(db);
    expect(db.prepare('SELECT mesh, anchor, federation FROM pinned_anchors ORDER BY mesh').all()).toEqual([
      { mesh: 'DEU', anchor: 'd'.repeat(64), federation: 'f-one' },
      { mesh: 'NLD', anchor: 'b'.repeat(64), federation: 'f-one' },
    ]);
    expect(() => db.prepare("INSERT INTO pinned_anchors VALUES ('POL', 'short', 'f', 'now')").run()).toThrow(/CHECK/);
  });

  it('9 adds vocabularies and attestations; an attestation is stored once, markings never', () => {
    applyUpTo(7);
    db.prepare("INSERT INTO pinned_anchors VALUES ('NLD', ?, 'f-one', 'now')").run('a'.repeat(64));
    migrations.find((m) => m.version === 9)!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['vocabularies', 'attestations', 'pinned_anchors']));
    expect(db.prepare('SELECT COUNT(*) AS n FROM pinned_anchors').get()).toEqual({ n: 1 });
    expect(() => db.prepare("INSERT INTO vocabularies VALUES ('markings', '{}', 'now')").run()).toThrow(/CHECK/);
    const insert = db.prepare("INSERT INTO attestations VALUES (?, 'f-one', 'DEU', 'markings', 'GEHEIM', ?, 'NATO', 'SECRET', '2030-01-01T00:00:00Z', '{}', 'now')");
    insert.run('a'.repeat(64), 'exact');
    expect(() => insert.run('a'.repeat(64), 'exact')).toThrow(/UNIQUE/);
    expect(() => insert.run('b'.repeat(64), 'related')).toThrow(/CHECK/);
  });

  it('12 adds the sync index: items, runs and scopes, one item per scope and 32-byte ids only', () => {
    applyUpTo(11);
    migrations.find((m) => m.version === 12)!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['sync_items', 'sync_runs', 'sync_scopes']));
    const insert = db.prepare('INSERT INTO sync_items (scope, ts, id) VALUES (?, ?, ?)');
    insert.run('f:B', 1, Buffer.alloc(32));
    insert.run('f:C', 1, Buffer.alloc(32));
    expect(() => insert.run('f:B', 1, Buffer.alloc(32))).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('f:B', 2, Buffer.alloc(31))).toThrow(/CHECK/);
  });

  it('15 keeps each crossing row with its terms once, and folds the admissions the crossings already say', () => {
    applyUpTo(14);
    const crossing = db.prepare(
      `INSERT INTO crossings VALUES (@id, 'f-one', 2, @origin, 'DEU', 'DEU:A1', ?, ?, @line, 'DEU', @label, '[]', '["x"]', '[]', 'permitted', 'admitted', '2026-11-23T00:00:00Z')`.replace('?, ?', `'${'c'.repeat(64)}', '${'d'.repeat(64)}'`),
    );
    const admission = db.prepare("INSERT INTO foreign_admissions VALUES (?, 'f-one', ?, '2026-11-23T00:00:00Z')");
    for (let line = 2; line < 6; line++) {
      const id = String(line).repeat(64);
      crossing.run({ id, origin: line === 5 ? 'FRA' : 'DEU', line, label: line === 4 ? null : '{"kind":"alternative"}' });
      admission.run(id, line === 5 ? 'FRA' : 'DEU');
    }
    // An admission from before the crossings: nothing to fold it into, so it stays.
    admission.run('9'.repeat(64), 'DEU');
    const before = db.prepare('SELECT * FROM crossings ORDER BY rowid').all() as Record<string, unknown>[];
    migrations.find((m) => m.version === 15)!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['crossings', 'crossing_terms', 'foreign_admissions']));
    const after = db
      .prepare(
        `SELECT c.observation_id, c.federation, c.version, c.origin, c.partner, c.agent, c.agent_certificate, c.bundle, c.line, c.release_authority,
           t.alternative_label, t.translations, t.attestations, t.caveats, t.onward_release, c.outcome, c.admitted_at
         FROM crossings c JOIN crossing_terms t ON t.sha256 = c.terms ORDER BY c.rowid`,
      )
      .all();
    expect(after).toEqual(before);
    // Two distinct sets of terms (with and without an alternative label) among four rows.
    expect(db.prepare('SELECT COUNT(*) FROM crossing_terms').pluck().get()).toBe(2);
    expect(db.prepare('SELECT observation_id FROM foreign_admissions').pluck().all()).toEqual(['9'.repeat(64)]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crossings' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual(['crossings_by_bundle', 'crossings_by_origin']);
    expect(() => db.prepare("UPDATE crossings SET terms = x'00' WHERE line = 2").run()).toThrow(/CHECK|FOREIGN/);
  });

  it('14 adds the joint picture: subjects, fields, one sum row, queue items and arbitrations, with their checks', () => {
    applyUpTo(13);
    migrations.find((m) => m.version === 14)!.up(db);
    expect(tables()).toEqual(expect.arrayContaining(['picture_subjects', 'picture_fields', 'picture_sum', 'queue_items', 'arbitrations']));
    const subject = db.prepare('INSERT INTO picture_subjects (subject, state, divergence, digest, item, updated_at) VALUES (?, ?, ?, ?, NULL, ?)');
    subject.run('track:1', 'held', 0.5, 'a'.repeat(64), 'now');
    expect(() => subject.run('track:2', 'forgotten', 0.5, 'a'.repeat(64), 'now')).toThrow(/CHECK/);
    expect(() => subject.run('track:3', 'merged', 1.5, 'a'.repeat(64), 'now')).toThrow(/CHECK/);
    const sum = db.prepare('INSERT INTO picture_sum (singleton, digest, subjects) VALUES (?, ?, 0)');
    sum.run(1, '0'.repeat(64));
    expect(() => sum.run(2, '0'.repeat(64))).toThrow(/CHECK/);
    const item = db.prepare("INSERT INTO queue_items (id, kind, subject, status, score, competing, fields, cause, reasons, policy_choice, decision, opened_at, updated_at) VALUES (?, 'divergence', 's', ?, 0.5, '[]', '[]', 'genuine-disagreement', '[]', '{}', NULL, 'now', 'now')");
    item.run('b'.repeat(64), 'open');
    expect(() => item.run('c'.repeat(64), 'lost')).toThrow(/CHECK/);
  });

  it('17 indexes the observations by their clock, and the newest-first page is read from it, not sorted whole', () => {
    applyUpTo(16);
    migrations.find((m) => m.version === 17)!.up(db);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT id FROM observations ORDER BY hlc_l DESC, hlc_c DESC, id LIMIT 50 OFFSET 100').all() as { detail: string }[]).map((r) => r.detail);
    expect(plan).toContain('SCAN observations USING INDEX observations_by_hlc');
    expect(plan.join(' ')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('18 copies what the picture reads of every observation, before and after it, follows purges, and indexes devices for the burst count', () => {
    applyUpTo(17);
    const insert = db.prepare('INSERT INTO observations (id, mesh, subject, class, observed_at, hlc_l, hlc_c, device, device_certificate, record, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const record = (n: number, payload: unknown) => JSON.stringify({ mesh: 'DEU', class: 'track', time: { wall: `2026-01-01T00:00:0${n}.000Z`, hlc: { l: n, c: 0 } }, authority: { issuer: 'f'.repeat(64) }, payload, lineage: { sources: n > 1 ? ['1'.repeat(64)] : [] } });
    const row = (n: number, payload: unknown) => [String(n).repeat(64), 'DEU', 'track:1', 'track', `2026-01-01T00:00:0${n}.000Z`, n, 0, 'uav-7', 'c'.repeat(64), record(n, payload), 'now'];
    insert.run(...row(1, { lat: 52.5, name: 'Hamburg \u00e9' }));
    migrations.find((m) => m.version === 18)!.up(db);
    insert.run(...row(2, 'a bare string'));
    // The store files any text: a record that is not JSON, or lacks a copied field, gets no copy and still goes in.
    insert.run(...[...row(3, null).slice(0, 9), 'not json', 'now']);
    insert.run(...[...row(4, null).slice(0, 9), '{"time":{}}', 'now']);
    expect(db.prepare('SELECT COUNT(*) FROM observations').pluck().get()).toBe(4);
    const copies = db.prepare('SELECT id, wall, hlc_l AS l, authority, payload, sources FROM picture_candidates WHERE subject = ? ORDER BY id').all('track:1') as { id: string; wall: string; l: number; authority: string; payload: string; sources: string }[];
    expect(copies.map((c) => [c.id.slice(0, 1), c.wall, c.l, c.authority.slice(0, 1), JSON.parse(c.payload), JSON.parse(c.sources)])).toEqual([
      ['1', '2026-01-01T00:00:01.000Z', 1, 'f', { lat: 52.5, name: 'Hamburg \u00e9' }, []],
      ['2', '2026-01-01T00:00:02.000Z', 2, 'f', 'a bare string', ['1'.repeat(64)]],
    ]);
    db.prepare('INSERT INTO purge_authorizations (observation_id) VALUES (?)').run('2'.repeat(64));
    db.prepare('DELETE FROM observations WHERE id = ?').run('2'.repeat(64));
    expect(db.prepare('SELECT id FROM picture_candidates').pluck().all()).toEqual(['1'.repeat(64)]);
    db.prepare('INSERT INTO purge_authorizations (observation_id) VALUES (?)').run('3'.repeat(64));
    db.prepare('DELETE FROM observations WHERE id = ?').run('3'.repeat(64));
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT 1 FROM observations WHERE device = ? AND mesh = ? AND observed_at BETWEEN ? AND ? LIMIT 21)').all('uav-7', 'DEU', 'a', 'b') as { detail: string }[]).map((r) => r.detail);
    expect(plan.join(' ')).toContain('USING COVERING INDEX observations_by_device (device=? AND mesh=? AND observed_at>? AND observed_at<?)');
  });
  it('19 keeps each mesh\'s latest claim per field from before and after it, takes a purged claim back to the latest left, indexes decisions, and folds the fields onto the subject row', () => {
    applyUpTo(18);
    const insert = db.prepare('INSERT INTO observations (id, mesh, subject, class, observed_at, hlc_l, hlc_c, device, device_certificate, record, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const put = (id: string, mesh: string, l: number, payload: unknown, cls = 'track') => {
      const record = JSON.stringify({ mesh, class: cls, time: { wall: '2026-01-01T00:00:00Z', hlc: { l, c: 0 } }, authority: { issuer: 'f'.repeat(64) }, payload, lineage: { sources: [] } });
      insert.run(id.repeat(64), mesh, 'track:1', cls, '2026-01-01T00:00:00Z', l, 0, 'uav-7', 'c'.repeat(64), record, 'now');
    };
    put('1', 'DEU', 5, { lat: 1, kind: 'tank' });
    put('2', 'DEU', 3, { lat: 2 });
    db.prepare("INSERT INTO picture_subjects (subject, state, divergence, digest, item, updated_at) VALUES ('track:1', 'merged', 0, ?, NULL, 'now')").run('d'.repeat(64));
    const field = db.prepare("INSERT INTO picture_fields (subject, field, value, observation, mesh) VALUES ('track:1', ?, ?, ?, 'DEU')");
    field.run('lat', '1', '1'.repeat(64));
    field.run('kind', '"tank"', '1'.repeat(64));
    migrations.find((m) => m.version === 19)!.up(db);
    // The fields move onto the subject's row, sorted, their values still canonical text; the origin is not known yet.
    const kept = db.prepare("SELECT fields, origin FROM picture_subjects WHERE subject = 'track:1'").get() as { fields: string; origin: string | null };
    expect(JSON.parse(kept.fields)).toEqual([
      { field: 'kind', value: '"tank"', observation: '1'.repeat(64), mesh: 'DEU' },
      { field: 'lat', value: '1', observation: '1'.repeat(64), mesh: 'DEU' },
    ]);
    expect(kept.origin).toBeNull();
    put('3', 'DEU', 4, { lat: 3, speed: 9 });
    put('4', 'NLD', 1, 'a bare string');
    put('5', 'DEU', 7, { speed: 10 });
    // The same HLC: the greater id is the later claim, whatever the order of arrival.
    put('7', 'NLD', 2, { lat: 7 });
    put('6', 'NLD', 2, { lat: 6 });
    put('8', 'DEU', 9, { item: 'x', action: 'reject' }, 'decision');
    const claims = () => (db.prepare('SELECT field, mesh, substr(observation, 1, 1) AS o FROM picture_claims WHERE subject = ? ORDER BY field, mesh').all('track:1') as { field: string; mesh: string; o: string }[]).map((c) => `${c.field}/${c.mesh}=${c.o}`);
    expect(claims()).toEqual(['./NLD=4', 'kind/DEU=1', 'lat/DEU=1', 'lat/NLD=7', 'speed/DEU=5']);
    const purge = (id: string) => {
      db.prepare('INSERT INTO purge_authorizations (observation_id) VALUES (?)').run(id.repeat(64));
      db.prepare('DELETE FROM observations WHERE id = ?').run(id.repeat(64));
    };
    purge('1');
    expect(claims()).toEqual(['./NLD=4', 'lat/DEU=3', 'lat/NLD=7', 'speed/DEU=5']);
    purge('7');
    purge('4');
    expect(claims()).toEqual(['lat/DEU=3', 'lat/NLD=6', 'speed/DEU=5']);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT id FROM picture_candidates WHERE subject = ? AND class = 'decision'").all('track:1') as { detail: string }[]).map((r) => r.detail);
    expect(plan.join(' ')).toContain('picture_decisions');
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'picture_fields'").pluck().get()).toBe(0);
  });

  it('21 keeps the picture copies and their claims in an ordinary table found by subject and id, and the triggers still follow inserts and purges', () => {
    applyUpTo(20);
    const insert = db.prepare('INSERT INTO observations (id, mesh, subject, class, observed_at, hlc_l, hlc_c, device, device_certificate, record, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const put = (id: string, l: number, payload: unknown, cls = 'track') => {
      const record = JSON.stringify({ mesh: 'DEU', class: cls, time: { wall: '2026-01-01T00:00:00Z', hlc: { l, c: 0 } }, authority: { issuer: 'f'.repeat(64) }, payload, lineage: { sources: [] } });
      insert.run(id.repeat(64), 'DEU', 'track:1', cls, '2026-01-01T00:00:00Z', l, 0, 'uav-7', 'c'.repeat(64), record, 'now');
    };
    put('1', 1, { lat: 1 });
    put('2', 2, { lat: 2, speed: 5 });
    const copies = () => db.prepare('SELECT substr(id, 1, 1) AS id, hlc_l AS l, payload FROM picture_candidates WHERE subject = ? ORDER BY id').all('track:1');
    const claims = () => (db.prepare('SELECT field, substr(observation, 1, 1) AS o FROM picture_claims ORDER BY field').all() as { field: string; o: string }[]).map((c) => `${c.field}=${c.o}`);
    const before = copies();
    migrations.find((m) => m.version === 21)!.up(db);
    expect(copies()).toEqual(before);
    const schema = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'picture_candidates'").pluck().get() as string;
    expect(schema).not.toMatch(/WITHOUT ROWID/);
    put('3', 3, { lat: 3 });
    put('4', 4, { item: 'x', action: 'reject' }, 'decision');
    expect(claims()).toEqual(['lat=3', 'speed=2']);
    db.prepare('INSERT INTO purge_authorizations (observation_id) VALUES (?)').run('3'.repeat(64));
    db.prepare('DELETE FROM observations WHERE id = ?').run('3'.repeat(64));
    expect(claims()).toEqual(['lat=2', 'speed=2']);
    expect((copies() as { id: string }[]).map((c) => c.id)).toEqual(['1', '2', '4']);
    // A copy is one entry of the primary key's index away, a subject's decisions one of the partial index.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan("SELECT payload FROM picture_candidates WHERE subject = 'track:1' AND id = 'x'")).toContain('USING INDEX sqlite_autoindex_picture_candidates_1 (subject=? AND id=?)');
    expect(plan("SELECT payload FROM picture_candidates WHERE subject = 'track:1'")).toContain('USING INDEX sqlite_autoindex_picture_candidates_1 (subject=?)');
    expect(plan("SELECT id FROM picture_candidates INDEXED BY picture_decisions WHERE subject = 'track:1' AND class = 'decision'")).toContain('picture_decisions');
  });

  it('22 indexes the held subjects alone: the summary counts them, and the held list reads them, without reading every subject', () => {
    applyUpTo(21);
    const subject = db.prepare("INSERT INTO picture_subjects (subject, state, divergence, digest, item, updated_at) VALUES (?, ?, 0, ?, NULL, 'now')");
    subject.run('track:1', 'held', 'd'.repeat(64));
    subject.run('track:2', 'merged', 'd'.repeat(64));
    migrations.find((m) => m.version === 22)!.up(db);
    subject.run('track:3', 'held', 'd'.repeat(64));
    db.prepare("UPDATE picture_subjects SET state = 'merged' WHERE subject = 'track:1'").run();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan("SELECT COUNT(*) FROM picture_subjects WHERE state = 'held'")).toContain('picture_subjects_held');
    expect(plan("SELECT subject, digest FROM picture_subjects WHERE state = 'held' ORDER BY subject LIMIT 100")).toContain('USING INDEX picture_subjects_held');
    expect(db.prepare("SELECT subject FROM picture_subjects INDEXED BY picture_subjects_held WHERE state = 'held'").pluck().all()).toEqual(['track:3']);
  });
});
