/** The log as the console reads it: pages newest first, filters, the state, and verification naming a tampering. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../test-support/temp-database.js';
import { authorityActor } from '../context/log.js';
import { createServices, type Services } from '../services.js';

const temp = useTempDatabase();
let audit: Services['audit'];
beforeEach(async () => {
  const services = createServices(temp.db);
  audit = services.audit;
  await services.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  const { mesh } = services.mesh.require();
  await audit.append([
    { type: 'decision', who: authorityActor(mesh), what: { ids: [], subject: 'track:1', federation: 'baltic-shield', detail: { kept: 2 } }, why: { reasons: ['kept-local'], text: 'Kept ours' } },
    { type: 'quarantine', who: authorityActor(mesh), what: { ids: ['a'.repeat(64)], subject: 'track:2' }, why: { reasons: ['above-ceiling'] } },
  ]);
});

describe('the log for the console', () => {
  it('pages newest first with who, what and why, and filters by type, subject and federation', () => {
    const page = audit.page({ limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.entries.map((e) => e.type)).toEqual(['quarantine', 'decision', 'credential']);
    expect(page.entries[1]).toMatchObject({ who: { role: 'authority', mesh: 'DEU' }, what: { subject: 'track:1', federation: 'baltic-shield', detail: [{ name: 'kept', value: '2' }] }, why: { reasons: ['kept-local'], text: 'Kept ours' } });
    expect(audit.page({ type: 'decision', limit: 10, offset: 0 })).toMatchObject({ total: 1, entries: [{ type: 'decision' }] });
    expect(audit.page({ subject: 'track:2', limit: 10, offset: 0 }).entries.map((e) => e.type)).toEqual(['quarantine']);
    expect(audit.page({ federation: 'baltic-shield', limit: 10, offset: 0 }).total).toBe(1);
    expect(audit.page({ from: '2999-01-01T00:00:00Z', limit: 10, offset: 0 }).total).toBe(0);
    expect(audit.page({ limit: 1, offset: 2 }).entries.map((e) => e.type)).toEqual(['credential']);
  });

  it('states the last checkpoint, and verification names an edited entry', () => {
    expect(audit.state(null)).toMatchObject({ entries: 3, lastCheckpoint: { size: 3 }, verification: null });
    expect(audit.verification()).toMatchObject({ ok: true, entries: 3, failures: [] });
    temp.db.exec('DROP TRIGGER audit_entries_are_immutable');
    temp.db.prepare("UPDATE audit_entries SET entry = replace(entry, 'Kept ours', 'Took theirs') WHERE seq = 1").run();
    const failed = audit.verification();
    expect(failed).toMatchObject({ ok: false, failures: [{ reason: 'entry-changed', seq: 1 }, { reason: 'root-mismatch', size: 3 }] });
  });
});
