/** The change marks over a real store file: each moves when its part's rows change, and stays cheap. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test-support/temp-database.js';
import { countAllObservations, MARK_QUERIES, observationsBetween, readChangeMarks, readChangeStamp, readConsistently } from './change-marks.js';
import { type WriteDb } from './database.js';
import { migrations } from './migrations/index.js';

const temp = useTempDatabase('entente-change-marks-');
/** Another connection to the same file, as another process has. */
let other: Database.Database;
beforeEach(() => {
  other = new Database(temp.dir.file('entente.db'));
});
afterEach(() => other.close());

const hex = (n: number) => n.toString(16).padStart(64, '0');
const observe = (conn: Database.Database, n: number) =>
  conn.prepare("INSERT INTO observations VALUES (?, 'DEU', 's', 'track', '2026-11-23T08:00:00Z', ?, 0, 'uav-7', ?, '{}', '2026-11-23T08:00:00Z')").run(hex(n), n, hex(0));

describe('change marks', () => {
  it('read an empty store as nothing yet', () => {
    expect(readChangeMarks(temp.db)).toEqual({
      schemaVersion: migrations.at(-1)!.version,
      mesh: { code: null, principals: 0, revocations: 0, lastCertificate: 0 },
      observations: { lastRowid: 0, purges: 0 },
      audit: { entries: 0, lastCheckpoint: 0, lastCheckpointSize: null },
      federations: new Map(),
      crossing: { imports: '0:0:0', quarantineOpen: 0, lastIntegrityEvent: 0 },
      links: { mark: '0:0:', count: 0, convergences: 0 },
      picture: { digest: null, subjects: 0, queueOpen: 0 },
    });
  });

  it('move with each part’s rows, as another connection writes them', () => {
    other.exec(`
      INSERT INTO mesh VALUES (1, 'DEU', 'Germany', '${hex(1)}', '${hex(1)}', 'NATO', 0, 'now');
      INSERT INTO certificates VALUES ('${hex(2)}', 'DEU', 'device', 'uav-7', '01', 'a', 'b', 'pem', 'now');
      INSERT INTO certificates VALUES ('${hex(3)}', 'DEU', 'device', 'uav-8', '02', 'a', 'b', 'pem', 'now');
      INSERT INTO principals VALUES ('device', 'uav-7', '${hex(2)}', 'now', NULL), ('device', 'uav-8', '${hex(3)}', 'now', 'later');
      INSERT INTO audit_entries VALUES (0, 'DEU', '${hex(4)}', 'credential', NULL, NULL, 'now', 1, 0, '{}'), (1, 'DEU', '${hex(5)}', 'credential', NULL, NULL, 'now', 2, 0, '{}');
      INSERT INTO audit_checkpoints VALUES ('DEU', 2, '${hex(6)}', 'now', '${hex(7)}', '{}', x'00');
      INSERT INTO federation_versions VALUES ('deu-1', 1, '${hex(8)}', '{}', 'now'), ('deu-2', 1, '${hex(9)}', '{}', 'now');
      INSERT INTO federation_signatures VALUES ('deu-1', 1, 'k', 'ed25519', 's', 'now');
      INSERT INTO federation_exits VALUES ('deu-2', 'NLD', 'now', '{}');
      INSERT INTO bundle_imports (digest, partner, federation, version, agent, nonce, lines, observations, next_block, state, started_at)
        VALUES ('${hex(10)}', 'NLD', 'deu-1', 1, 'NLD:gw-1', 'n', 2050, 2048, 2, 'importing', 'now');
      INSERT INTO links (partner, federation, last_contact, last_outcome) VALUES ('NLD', 'deu-1', '2026-11-23T09:00:00.000Z', 'converged');
      INSERT INTO picture_sum VALUES (1, '${hex(11)}', 2);
      INSERT INTO queue_items VALUES ('${hex(12)}', 'divergence', 's', 'open', 0.5, '[]', '[]', 'genuine-disagreement', '[]', '{}', NULL, 'now', 'now'),
        ('${hex(13)}', 'divergence', 's', 'decided', 0.5, '[]', '[]', 'genuine-disagreement', '[]', '{}', NULL, 'now', 'now');
    `);
    observe(other, 1);
    observe(other, 2);
    expect(readChangeMarks(temp.db)).toEqual({
      schemaVersion: migrations.at(-1)!.version,
      mesh: { code: 'DEU', principals: 2, revocations: 1, lastCertificate: 2 },
      observations: { lastRowid: 2, purges: 1 },
      audit: { entries: 2, lastCheckpoint: 1, lastCheckpointSize: 2 },
      federations: new Map([
        ['deu-1', '1/1/0/0'],
        ['deu-2', '1/0/0/1'],
      ]),
      crossing: { imports: '1:2:0', quarantineOpen: 0, lastIntegrityEvent: 0 },
      links: { mark: '1:0:2026-11-23T09:00:00.000Z//converged', count: 1, convergences: 0 },
      picture: { digest: hex(11), subjects: 2, queueOpen: 1 },
    });
  });

  it('find the observations between two marks, newest first and bounded, and count them all', () => {
    for (let n = 1; n <= 12; n++) observe(other, n);
    expect(observationsBetween(temp.db, 4, 12, 3)).toEqual({ count: 8, newest: [hex(12), hex(11), hex(10)] });
    expect(observationsBetween(temp.db, 4, 6, 100)).toEqual({ count: 2, newest: [hex(6), hex(5)] });
    expect(observationsBetween(temp.db, 12, 12, 100)).toEqual({ count: 0, newest: [] });
    expect(countAllObservations(temp.db)).toBe(12);
  });

  it('stamp every commit: this connection’s through its own changes, another’s through the data version', () => {
    const first = readChangeStamp(temp.db);
    expect(readChangeStamp(temp.db)).toEqual(first);
    observe(temp.db, 1);
    const afterOwn = readChangeStamp(temp.db);
    expect(afterOwn.ownChanges).toBeGreaterThan(first.ownChanges);
    observe(other, 2);
    const afterOther = readChangeStamp(temp.db);
    expect(afterOther.dataVersion).not.toBe(afterOwn.dataVersion);
    expect(afterOther.ownChanges).toBe(afterOwn.ownChanges);
  });

  it('never scan the tables that grow with use: observations and the log are read through their rowids', () => {
    const big = ['observations', 'audit_entries', 'audit_checkpoints', 'certificates'];
    for (const [name, sql] of Object.entries(MARK_QUERIES)) {
      const plan = (temp.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1)) as { detail: string }[]).map((row) => row.detail);
      for (const table of big) expect(plan.filter((step) => new RegExp(`^SCAN ${table}\\b`).test(step)), `${name}: ${plan.join('; ')}`).toEqual([]);
    }
  });

  it('answer SQLITE_BUSY at once when the store is locked, instead of waiting out the busy timeout, and restore the timeout', { timeout: 30_000 }, () => {
    // An exclusive-mode connection in WAL keeps every other connection out until it closes.
    const locker = new Database(temp.dir.file('entente.db'));
    try {
      other.close();
      temp.db.close();
      locker.pragma('locking_mode = EXCLUSIVE');
      locker.exec('BEGIN IMMEDIATE; COMMIT;');
      const locked = openLocked();
      const started = Date.now();
      expect(() => readChangeMarks(locked)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_BUSY/) }));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(locked.pragma('busy_timeout', { simple: true })).toBe(20_000);
      locked.close();
    } finally {
      locker.close();
      other = new Database(temp.dir.file('entente.db'));
    }
  });

  it('read several marks as of one moment', () => {
    observe(other, 1);
    const seen = readConsistently(temp.db, () => {
      const before = readChangeMarks(temp.db).observations.lastRowid;
      observe(other, 2);
      return [before, readChangeMarks(temp.db).observations.lastRowid];
    });
    expect(seen).toEqual([1, 1]);
    expect(readChangeMarks(temp.db).observations.lastRowid).toBe(2);
  });
});

/** This connection, reopened on the locked file without migrating (the lock would refuse that). */
function openLocked(): WriteDb {
  const conn = new Database(temp.dir.file('entente.db'));
  // Long enough that waiting it out could never pass for answering at once, even on a loaded machine.
  conn.pragma('busy_timeout = 20000');
  // A raw connection, as a second process would hold it: the store's handle types don't apply to it.
  return conn as unknown as WriteDb;
}
