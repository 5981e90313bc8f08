/** The log as the console reads it: pages newest first, filters, the state, and verification naming a tampering. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WriteDb as Db } from '../store/database.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { appendToLog, authorityActor, authoritySigner, verifyAuditLog } from './audit-service.js';
import { auditLogState, auditPage, verificationView } from './audit-views.js';
import { initMesh, requireMesh } from './credentials-service.js';

let dir: TempDir;
let db: Db;
beforeEach(async () => {
  dir = makeTempDir();
  db = openDatabase(dir.file('entente.db'));
  await initMesh(db, { mesh: 'DEU', algorithm: 'Ed25519', passphrase: null });
  const mesh = requireMesh(db);
  appendToLog(db, authoritySigner(db, null), [
    { type: 'decision', who: authorityActor(mesh), what: { ids: [], subject: 'track:1', federation: 'baltic-shield', detail: { kept: 2 } }, why: { reasons: ['kept-local'], text: 'Kept ours' } },
    { type: 'quarantine', who: authorityActor(mesh), what: { ids: ['a'.repeat(64)], subject: 'track:2' }, why: { reasons: ['above-ceiling'] } },
  ]);
});
afterEach(() => {
  db.close();
  dir.remove();
});

describe('the log for the console', () => {
  it('pages newest first with who, what and why, and filters by type, subject and federation', () => {
    const page = auditPage(db, { limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.entries.map((e) => e.type)).toEqual(['quarantine', 'decision', 'credential']);
    expect(page.entries[1]).toMatchObject({ who: { role: 'authority', mesh: 'DEU' }, what: { subject: 'track:1', federation: 'baltic-shield', detail: [{ name: 'kept', value: '2' }] }, why: { reasons: ['kept-local'], text: 'Kept ours' } });
    expect(auditPage(db, { type: 'decision', limit: 10, offset: 0 })).toMatchObject({ total: 1, entries: [{ type: 'decision' }] });
    expect(auditPage(db, { subject: 'track:2', limit: 10, offset: 0 }).entries.map((e) => e.type)).toEqual(['quarantine']);
    expect(auditPage(db, { federation: 'baltic-shield', limit: 10, offset: 0 }).total).toBe(1);
    expect(auditPage(db, { from: '2999-01-01T00:00:00Z', limit: 10, offset: 0 }).total).toBe(0);
    expect(auditPage(db, { limit: 1, offset: 2 }).entries.map((e) => e.type)).toEqual(['credential']);
  });

  it('states the last checkpoint, and verification names an edited entry', () => {
    expect(auditLogState(db, null)).toMatchObject({ entries: 3, lastCheckpoint: { size: 3 }, verification: null });
    expect(verificationView(verifyAuditLog(db), new Date())).toMatchObject({ ok: true, entries: 3, failures: [] });
    db.exec('DROP TRIGGER audit_entries_are_immutable');
    db.prepare("UPDATE audit_entries SET entry = replace(entry, 'Kept ours', 'Took theirs') WHERE seq = 1").run();
    const failed = verificationView(verifyAuditLog(db), new Date());
    expect(failed).toMatchObject({ ok: false, failures: [{ reason: 'entry-changed', seq: 1 }, { reason: 'root-mismatch', size: 3 }] });
  });
});
