/**
 * The store and its log must agree (`entente audit verify`): an observation deleted from the file
 * while its log entry stays is named missing; one put in the file with no entry is named unlogged;
 * one an exit purged, with its purge logged, is neither.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { useTempDatabase } from '../../test-support/temp-database.js';
import { createServices, type Services } from '../services.js';

const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] }], createdAt: '2026-11-23T08:00:00Z' });

const temp = useTempDatabase();
let services: Services;
beforeEach(async () => {
  services = createServices(temp.db, { passphrase: null });
  await services.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await services.credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
});

const observe = (on: Services, subject: string) =>
  on.observations.observe({ device: 'uav-7', class: 'track', subject, labelText: label, payloadText: '{"lat":52}', derivedFrom: [], derivation: null });

/** What an attacker with the file does: a connection of their own, the triggers dropped. */
function editFile(edit: (raw: Database.Database) => void): void {
  const raw = new Database(temp.dir.file('entente.db'));
  try {
    for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) raw.exec(`DROP TRIGGER "${name}"`);
    edit(raw);
  } finally {
    raw.close();
  }
}

describe('the store against its log', () => {
  it('agree after recording', async () => {
    await observe(services, 'track:1');
    await observe(services, 'track:2');
    expect(services.audit.verify().failures).toEqual([]);
  });

  it('an observation deleted from the file is named missing, by the entry that records it; nothing else fails', async () => {
    const kept = await observe(services, 'track:1');
    const deleted = await observe(services, 'track:2');
    const seq = services.audit.page({ limit: 10, offset: 0 }).entries.find((e) => e.what.ids[0] === deleted.id)!.seq;
    editFile((raw) => raw.prepare('DELETE FROM observations WHERE id = ?').run(deleted.id));

    expect(services.audit.verify().failures).toEqual([
      { reason: 'missing-observation', seq, message: `Entry ${seq} records observation ${deleted.id}, which the store no longer holds and no purge names: it was deleted from the file.` },
    ]);
    // The rows that remain still verify: the deletion is the log's to name.
    expect(await services.observations.verifyAll()).toEqual({ checked: 1, verified: 1, failures: [] });
    expect(kept.id).not.toBe(deleted.id);
  });

  it('an observation put in the file with no log entry is named unlogged; the record verifies, its missing picture copy is named', async () => {
    await observe(services, 'track:1');
    // A genuine record of this mesh's device, made in a copy of the workspace and carried over without its entry.
    temp.db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(temp.dir.file('entente.db'), temp.dir.file('copy.db'));
    const copy = openDatabase(temp.dir.file('copy.db'));
    let carried: Record<string, unknown>;
    try {
      const { id } = await observe(createServices(copy, { passphrase: null }), 'track:9');
      carried = copy.prepare('SELECT * FROM observations WHERE id = ?').get(id) as Record<string, unknown>;
    } finally {
      copy.close();
    }
    editFile((raw) => raw.prepare(`INSERT INTO observations (${Object.keys(carried).join(', ')}) VALUES (${Object.keys(carried).map((k) => `@${k}`).join(', ')})`).run(carried));

    expect(services.audit.verify().failures).toEqual([
      { reason: 'unlogged-observation', message: `Observation ${carried.id as string} is stored, but no log entry records or admits it: it was put in the file outside Entente.` },
    ]);
    // The record is genuine; what gives the planting away in the store is that it came without the copy SQLite keeps for the picture (migration 18).
    expect(await services.observations.verifyAll()).toMatchObject({
      checked: 2,
      verified: 1,
      failures: [{ id: carried.id, reason: 'index-mismatch', message: expect.stringContaining('has no copy for the joint picture beside its record') }],
    });
  });
});
