/**
 * The reconciliation log on a real store: every operation recorded with a signed checkpoint,
 * and each tampering of the file that issue 4 lists found and named by verification.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../audit/checkpoint.js';
import { canonicalize } from '../../canonical/jcs.js';
import { countAuditEntries, latestCheckpoint } from '../../store/audit-store.js';
import type { WriteDb } from '../../store/database.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { authorityActor } from '../context/log.js';
import { createServices, type Services } from '../services.js';

const PASS = 'correct horse battery staple';
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' });

const openHome = useTestHomes('entente-audit-');
let db: WriteDb;
let services: Services;
beforeEach(async () => {
  const home = await openHome('DEU', { passphrase: PASS, devices: [{ id: 'uav-7', algorithm: 'Ed25519' }] });
  services = home;
  db = home.db;
});

const record = (subject: string) =>
  services.observations.observe({ device: 'uav-7', class: 'track', subject, labelText: label, payloadText: '{"lat":52}', derivedFrom: [], derivation: null });

/** Five decisions appended in one go (five entries, one checkpoint). */
async function decisions(n = 5): Promise<void> {
  const { mesh } = services.mesh.require();
  const drafts = Array.from({ length: n }, (_, i) => ({
    type: 'decision' as const,
    who: authorityActor(mesh),
    what: { ids: [], subject: `track:${i}` },
    why: { reasons: ['kept-local'], text: `decision ${i}` },
  }));
  await services.audit.append(drafts);
}

/** What an attacker holding the file could do: drop the store's guards and edit rows. */
function tamper(sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER IF EXISTS audit_entries_are_immutable; DROP TRIGGER IF EXISTS audit_entries_are_append_only;');
  db.exec('DROP TRIGGER IF EXISTS audit_checkpoints_are_immutable; DROP TRIGGER IF EXISTS audit_checkpoints_are_append_only;');
  db.prepare(sql).run(...params);
}

const reasons = () => services.audit.verify().failures.map((f) => f.reason);

describe('the reconciliation log', () => {
  it('records mesh creation, enrolment, observations and revocation, each with a signed checkpoint, and verifies', async () => {
    const { id } = await record('track:1');
    await services.credentials.revoke({ role: 'device', id: 'uav-7' });
    const report = services.audit.verify();
    expect(report.failures).toEqual([]);
    expect(report.entries).toBe(4);
    expect(report.head).toMatchObject({ log: 'DEU', size: 4 });
    const types = db.prepare('SELECT type, subject FROM audit_entries ORDER BY seq').all();
    expect(types).toEqual([
      { type: 'credential', subject: null },
      { type: 'credential', subject: null },
      { type: 'observation', subject: 'track:1' },
      { type: 'credential', subject: null },
    ]);
    expect(db.prepare('SELECT seq FROM audit_entry_refs WHERE ref = ?').all(id)).toEqual([{ seq: 2 }]);
  });

  it('signs a checkpoint on demand, and a later one agrees with the earlier', async () => {
    const first = await createServices(db, { passphrase: PASS, clock: () => new Date(Date.now() + 1000) }).audit.checkpoint();
    expect(first.body.size).toBe(2);
    await decisions();
    expect(services.audit.verify()).toMatchObject({ entries: 7, checkpoints: 4, failures: [] });
  });

  it('names an entry edited in the file', async () => {
    await decisions();
    tamper("UPDATE audit_entries SET entry = replace(entry, 'decision 2', 'decision X') WHERE seq = 4");
    expect(reasons()).toEqual(['entry-changed', 'root-mismatch']);
  });

  it('names an entry edited together with its stored id', async () => {
    await decisions();
    const { entry } = db.prepare('SELECT entry FROM audit_entries WHERE seq = 4').get() as { entry: string };
    const forged = entry.replace('decision 2', 'decision X');
    tamper('UPDATE audit_entries SET entry = ?, id = ? WHERE seq = 4', forged, createHash('sha256').update(Buffer.concat([Buffer.of(0), Buffer.from(forged)])).digest('hex'));
    expect(reasons()).toEqual(['root-mismatch']);
  });

  it('names an entry deleted from the middle, and one deleted from the end', async () => {
    await decisions();
    tamper('DELETE FROM audit_entries WHERE seq = 3');
    expect(reasons()).toContain('missing-entry');
    tamper('DELETE FROM audit_entries WHERE seq = 6');
    expect(reasons()).toContain('entries-missing');
  });

  it('names two entries swapped', async () => {
    await decisions();
    const rows = db.prepare('SELECT seq, id, entry FROM audit_entries WHERE seq IN (3, 4) ORDER BY seq').all() as { seq: number; id: string; entry: string }[];
    tamper('UPDATE audit_entries SET entry = ?, id = ? WHERE seq = 3', rows[1]!.entry, rows[1]!.id);
    tamper('UPDATE audit_entries SET entry = ?, id = ? WHERE seq = 4', rows[0]!.entry, rows[0]!.id);
    expect(reasons()).toEqual(['entry-out-of-place', 'entry-out-of-place', 'root-mismatch']);
  });

  it('names an entry appended behind its back, and then refuses to append more', async () => {
    await decisions();
    const last = db.prepare('SELECT * FROM audit_entries WHERE seq = 6').get() as Record<string, unknown>;
    const text = String(last.entry).replace('"seq":6', '"seq":7');
    tamper('INSERT INTO audit_entries (log, seq, id, type, subject, federation, wall, hlc_l, hlc_c, entry) VALUES (?, 7, ?, ?, ?, NULL, ?, ?, ?, ?)', 'DEU', 'f'.repeat(64), 'decision', last.subject, last.wall, last.hlc_l, last.hlc_c, text);
    expect(reasons()).toEqual(['entry-changed', 'unsigned-entries']);
    await expect(record('track:9')).rejects.toMatchObject({ reason: 'log-damaged' });
    expect(countAuditEntries(db, 'DEU')).toBe(8);
  });

  it('names an index edited to hide an entry from the timeline or misfile it', async () => {
    await decisions();
    // Filed under another subject: filtering the timeline by track:2 would no longer show it.
    tamper("UPDATE audit_entries SET subject = 'track:9' WHERE seq = 4");
    const failures = services.audit.verify().failures;
    expect(failures.map((f) => [f.reason, f.seq])).toEqual([['index-mismatch', 4]]);
    expect(failures[0]!.message).toBe('Entry 4 is filed in the store under subject "track:9", but says "track:2": the index was edited, which hides or misplaces the entry in the timeline.');
    tamper("UPDATE audit_entries SET subject = 'track:2', type = 'purge' WHERE seq = 4");
    expect(services.audit.verify().failures.map((f) => f.message)).toEqual([expect.stringContaining('under type "purge", but says "decision"')]);
  });

  it('names a provenance index that lost an entry, or gained one', async () => {
    const observed = await record('track:1');
    const seq = db.prepare('SELECT seq FROM audit_entry_refs WHERE ref = ?').pluck().get(observed.id) as number;
    db.prepare('DELETE FROM audit_entry_refs WHERE ref = ?').run(observed.id);
    expect(services.audit.verify().failures).toEqual([{ reason: 'index-mismatch', seq, message: `Entry ${seq} names ${observed.id.slice(0, 16)}…, but the store's provenance index does not find it by that id: the index was edited.` }]);
    db.prepare('INSERT INTO audit_entry_refs (ref, seq) VALUES (?, ?)').run(observed.id, seq);
    db.prepare('INSERT INTO audit_entry_refs (ref, seq) VALUES (?, 0)').run('e'.repeat(64));
    expect(services.audit.verify().failures.map((f) => [f.reason, f.seq, f.message.slice(0, 48)])).toEqual([['index-mismatch', 0, "The store's provenance index files entry 0 under"]]);
  });

  it('names a checkpoint signed by another key', async () => {
    await decisions();
    const { mesh } = services.mesh.require();
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = signCheckpoint({ v: 1, log: 'DEU', size: 7, root: latestCheckpoint(db, 'DEU')!.root, time: new Date().toISOString(), signer: mesh.issuerSha256 }, stranger);
    tamper("INSERT INTO audit_checkpoints VALUES ('DEU', 7, ?, ?, ?, ?, x'')", forged.body.root, forged.body.time, forged.id, canonicalize(forged.envelope));
    expect(reasons()).toEqual(['bad-checkpoint-signature']);
  });

  it('names a forked checkpoint: two roots signed for one size', async () => {
    await decisions();
    const { mesh } = services.mesh.require();
    const { signer } = await services.context.writing().log();
    const fork = signCheckpoint({ v: 1, log: 'DEU', size: 7, root: 'ab'.repeat(32), time: new Date().toISOString(), signer: mesh.issuerSha256 }, signer.key);
    tamper("INSERT INTO audit_checkpoints VALUES ('DEU', 7, ?, ?, ?, ?, x'')", fork.body.root, fork.body.time, fork.id, canonicalize(fork.envelope));
    expect(reasons()).toEqual(['forked-checkpoint', 'root-mismatch']);
    // A later checkpoint that agrees with the first root still stands beside the fork: named too.
    const genuine = db.prepare("SELECT root FROM audit_checkpoints WHERE size = 7 AND root != ?").pluck().get(fork.body.root) as string;
    const again = signCheckpoint({ v: 1, log: 'DEU', size: 7, root: genuine, time: new Date(Date.now() + 1000).toISOString(), signer: mesh.issuerSha256 }, signer.key);
    tamper("INSERT INTO audit_checkpoints VALUES ('DEU', 7, ?, ?, ?, ?, x'')", again.body.root, again.body.time, again.id, canonicalize(again.envelope));
    expect(reasons()).toEqual(['forked-checkpoint', 'forked-checkpoint', 'root-mismatch']);
  });

  it('buffers a busy writer’s entries and checkpoints every N of them, and at flush', async () => {
    const { mesh } = services.mesh.require();
    const recorder = await services.audit.recorder(3);
    const draft = (i: number) => ({ type: 'crossing' as const, who: authorityActor(mesh), what: { ids: [], subject: `track:${i}` }, why: { reasons: ['admitted'] } });
    for (let i = 0; i < 7; i++) recorder.record(draft(i));
    expect(recorder.pending).toBe(1);
    expect(latestCheckpoint(db, 'DEU')!.size).toBe(2 + 6);
    expect(recorder.flush()!.body.size).toBe(9);
    expect(recorder.flush()).toBeNull();
    expect(services.audit.verify()).toMatchObject({ entries: 9, failures: [] });
    await expect(services.audit.recorder(0)).rejects.toThrow(RangeError);
  });
});
