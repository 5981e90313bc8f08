/**
 * The change watcher over a real store file, written by another connection as another process
 * writes it: one change per part that moved, saying what changed; nothing when nothing did; a
 * locked or broken store skips polls without throwing; stopping leaves no timer.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { openWorkspace, type Workspace } from '../../workspace/workspace.js';
import { createChangeWatcher, type ChangeWatcher, type Timers } from './change-watcher.js';
import type { Change } from './changes.js';
import type { ReadDb } from '../../store/database.js';
import { migrations } from '../../store/migrations/index.js';

let dir: TempDir;
let workspace: Workspace;
let other: Database.Database;
let published: Change[];
let failures: unknown[];
let watcher: ChangeWatcher;

/** Timers that never fire on their own: the test polls, and sees what start and stop did. */
function manualTimers(): Timers & { readonly running: Set<unknown> } {
  const running = new Set<unknown>();
  return {
    running,
    setInterval: () => {
      const handle = Symbol('interval');
      running.add(handle);
      return handle;
    },
    clearInterval: (handle) => running.delete(handle),
  };
}

beforeEach(() => {
  dir = makeTempDir('entente-changes-');
  workspace = openWorkspace(dir.file('home'));
  other = new Database(workspace.info().databasePath);
  published = [];
  failures = [];
  watcher = createChangeWatcher(workspace, (change) => published.push(change), { timers: manualTimers(), onFailure: (error) => failures.push(error) });
  watcher.start();
});
afterEach(() => {
  watcher.stop();
  other.close();
  workspace.close();
  dir.remove();
});

const hex = (n: number) => n.toString(16).padStart(64, '0');
const observe = (conn: Database.Database, from: number, to = from) => {
  const insert = conn.prepare("INSERT INTO observations VALUES (?, 'DEU', 's', 'track', '2026-11-23T08:00:00Z', ?, 0, 'uav-7', ?, '{}', '2026-11-23T08:00:00Z')");
  conn.transaction(() => {
    for (let n = from; n <= to; n++) insert.run(hex(n), n, hex(0));
  })();
};

describe('the change watcher', () => {
  it('publishes nothing while nothing changes', () => {
    for (let i = 0; i < 3; i++) watcher.poll();
    expect(published).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('says how many observations another process stored, the total, and the newest hundred ids, newest first', () => {
    observe(other, 1, 3);
    watcher.poll();
    expect(published).toEqual([{ event: 'observationsAdmitted', payload: { admitted: 3, total: 3, newest: [hex(3), hex(2), hex(1)] } }]);
    observe(other, 4, 153);
    watcher.poll();
    const second = published[1]!;
    expect(second.event).toBe('observationsAdmitted');
    expect(second.payload).toMatchObject({ admitted: 150, total: 153 });
    expect((second.payload as { newest: string[] }).newest).toEqual(Array.from({ length: 100 }, (_, i) => hex(153 - i)));
  });

  it('hears this connection’s own writes too', () => {
    observe(workspace.db, 1);
    watcher.poll();
    expect(published).toEqual([{ event: 'observationsAdmitted', payload: { admitted: 1, total: 1, newest: [hex(1)] } }]);
  });

  it('counts the total again after an exit purged observations', () => {
    observe(other, 1, 4);
    watcher.poll();
    other.exec(`INSERT INTO purge_authorizations VALUES ('${hex(2)}'), ('${hex(3)}');
      DELETE FROM observations WHERE id IN ('${hex(2)}', '${hex(3)}'); DELETE FROM purge_authorizations;
      INSERT INTO federation_versions VALUES ('deu-1', 1, '${hex(9)}', '{}', 'now');
      INSERT INTO federation_exits VALUES ('deu-1', 'NLD', 'now', '{}');`);
    watcher.poll();
    expect(published.slice(1)).toEqual([
      { event: 'observationsAdmitted', payload: { admitted: 0, total: 2, newest: [] } },
      { event: 'federationsChanged', payload: { federations: ['deu-1'] } },
    ]);
  });

  it('says the mesh’s code and counts when it is initialised, and when a principal is enrolled or revoked', () => {
    other.exec(`INSERT INTO mesh VALUES (1, 'DEU', 'Germany', '${hex(1)}', '${hex(1)}', 'NATO', 0, 'now')`);
    watcher.poll();
    other.exec(`INSERT INTO certificates VALUES ('${hex(2)}', 'DEU', 'device', 'uav-7', '01', 'a', 'b', 'pem', 'now');
      INSERT INTO principals VALUES ('device', 'uav-7', '${hex(2)}', 'now', NULL);`);
    watcher.poll();
    other.exec("UPDATE principals SET revoked_at = 'later' WHERE id = 'uav-7'");
    watcher.poll();
    expect(published).toEqual([
      { event: 'meshChanged', payload: { mesh: 'DEU', principals: 0, revocations: 0 } },
      { event: 'meshChanged', payload: { mesh: 'DEU', principals: 1, revocations: 0 } },
      { event: 'meshChanged', payload: { mesh: 'DEU', principals: 1, revocations: 1 } },
    ]);
  });

  it('says how far the log grew and the size of its last checkpoint', () => {
    const entry = (seq: number) => `(${seq}, 'DEU', '${hex(seq + 10)}', 'credential', NULL, NULL, 'now', ${seq}, 0, '{}')`;
    other.exec(`INSERT INTO audit_entries VALUES ${entry(0)}, ${entry(1)}, ${entry(2)}`);
    watcher.poll();
    other.exec(`INSERT INTO audit_checkpoints VALUES ('DEU', 3, '${hex(6)}', 'now', '${hex(7)}', '{}', x'00')`);
    watcher.poll();
    expect(published).toEqual([
      { event: 'auditAppended', payload: { entries: 3, appended: 3, lastCheckpointSize: null } },
      { event: 'auditAppended', payload: { entries: 3, appended: 0, lastCheckpointSize: 3 } },
    ]);
  });

  it('follows a bundle import another process runs, block by block, and the quarantine it fills', () => {
    const counts = { admitted: 0, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 };
    other.exec(`INSERT INTO bundle_imports (digest, partner, federation, version, agent, nonce, lines, observations, next_block, state, started_at)
      VALUES ('${hex(1)}', 'NLD', 'deu-1', 1, 'NLD:gw-1', 'n', 2050, 2048, 0, 'importing', 'now')`);
    watcher.poll();
    other.exec(`UPDATE bundle_imports SET next_block = 1, admitted = 1023, quarantined = 1 WHERE digest = '${hex(1)}';
      INSERT INTO quarantine (observation_id, bundle, line, partner, federation, version, origin, subject, class, record, certificate_pem, reason, missing, crossing, held_at)
        VALUES ('${hex(2)}', '${hex(1)}', 7, 'NLD', 'deu-1', 1, 'NLD', 's', 'track', '{}', 'pem', 'translation-loss', '[]', '{}', 'now');`);
    watcher.poll();
    other.exec(`UPDATE bundle_imports SET next_block = 2, admitted = 2047, state = 'done' WHERE digest = '${hex(1)}'`);
    watcher.poll();
    // Nothing moved: nothing is said.
    watcher.poll();
    const progress = (blocksDone: number, state: string, moved: Partial<typeof counts>, quarantineOpen: number) => ({
      event: 'crossingChanged',
      payload: { imports: [{ bundle: hex(1), partner: 'NLD', federation: 'deu-1', state, blocksDone, lines: 2050, observations: 2048, counts: { ...counts, ...moved } }], quarantineOpen, integrityEvents: 0 },
    });
    expect(published).toEqual([progress(0, 'importing', {}, 0), progress(1, 'importing', { admitted: 1023, quarantined: 1 }, 1), progress(2, 'done', { admitted: 2047, quarantined: 1 }, 1)]);
  });

  it('names only the federations that gained a version, signature, withdrawal or exit', () => {
    other.exec(`INSERT INTO federation_versions VALUES ('deu-1', 1, '${hex(1)}', '{}', 'now'), ('deu-2', 1, '${hex(2)}', '{}', 'now')`);
    watcher.poll();
    other.exec("INSERT INTO federation_signatures VALUES ('deu-2', 1, 'k', 'ed25519', 's', 'now')");
    watcher.poll();
    other.exec("INSERT INTO federation_withdrawals VALUES ('deu-1', 'NLD', 'ended', 'now', '{}')");
    watcher.poll();
    expect(published).toEqual([
      { event: 'federationsChanged', payload: { federations: ['deu-1', 'deu-2'] } },
      { event: 'federationsChanged', payload: { federations: ['deu-2'] } },
      { event: 'federationsChanged', payload: { federations: ['deu-1'] } },
    ]);
  });

  it('gives the workspace info when the schema version moved', () => {
    // One past the newest migration: the schema another process moved it to.
    other.pragma(`user_version = ${migrations.length + 1}`);
    watcher.poll();
    expect(published).toEqual([{ event: 'workspaceChanged', payload: { ...workspace.info(), schemaVersion: migrations.length + 1 } }]);
  });

  it('keeps watching when a listener refuses a change, and reports it', () => {
    watcher.stop();
    const refusal = new Error('payload refused');
    watcher = createChangeWatcher(workspace, () => { throw refusal; }, { timers: manualTimers(), onFailure: (error) => failures.push(error) });
    watcher.start();
    observe(other, 1);
    expect(() => watcher.poll()).not.toThrow();
    observe(other, 2);
    watcher.poll();
    expect(failures).toEqual([refusal, refusal]);
  });

  it('starts one timer however often it is started, and stop clears it', () => {
    const timers = manualTimers();
    const own = createChangeWatcher(workspace, () => undefined, { timers });
    own.start();
    own.start();
    expect(timers.running.size).toBe(1);
    own.stop();
    expect(timers.running.size).toBe(0);
    own.stop();
  });

  it('with real timers, publishes by itself within the interval and nothing once stopped', async () => {
    watcher.stop();
    const own = createChangeWatcher(workspace, (change) => published.push(change), { intervalMs: 50 });
    own.start();
    observe(other, 1);
    await until(() => published.length > 0, 2000);
    own.stop();
    observe(other, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(published).toEqual([{ event: 'observationsAdmitted', payload: { admitted: 1, total: 1, newest: [hex(1)] } }]);
  });
});

describe('the change watcher over a store it cannot read', () => {
  it('skips polls while another process holds the store locked, silently, and catches up once it lets go', () => {
    const path = dir.file('locked.db');
    openDatabase(path).close();
    const locker = new Database(path);
    locker.pragma('locking_mode = EXCLUSIVE');
    locker.exec('BEGIN IMMEDIATE; COMMIT;');
    const conn = new Database(path);
    const seen: Change[] = [];
    const problems: unknown[] = [];
    const locked = createChangeWatcher({ db: conn as unknown as ReadDb, info: () => workspace.info() }, (change) => seen.push(change), { timers: manualTimers(), onFailure: (error) => problems.push(error) });
    try {
      expect(() => locked.start()).not.toThrow();
      for (let i = 0; i < 3; i++) expect(() => locked.poll()).not.toThrow();
      // Written under the lock: the watcher has no reading to compare with yet, so this is its baseline.
      observe(locker, 1);
      locker.close();
      locked.poll();
      expect(seen).toEqual([]);
      const writer = new Database(path);
      observe(writer, 2);
      writer.close();
      locked.poll();
      expect(seen).toEqual([{ event: 'observationsAdmitted', payload: { admitted: 1, total: 2, newest: [hex(2)] } }]);
      expect(problems).toEqual([]);
    } finally {
      locked.stop();
      conn.close();
    }
  });

  it('reports a store whose mark queries fail once, not every poll, and keeps polling', () => {
    const conn = new Database(dir.file('empty.db'));
    const problems: unknown[] = [];
    const seen: Change[] = [];
    const broken = createChangeWatcher({ db: conn as unknown as ReadDb, info: () => workspace.info() }, (change) => seen.push(change), { timers: manualTimers(), onFailure: (error) => problems.push(error) });
    try {
      broken.start();
      for (let i = 0; i < 3; i++) expect(() => broken.poll()).not.toThrow();
      expect(problems).toHaveLength(1);
      expect(String(problems[0])).toMatch(/no such table/);
      // Once the store can be read, the watcher takes its baseline and hears the next change.
      openDatabase(dir.file('empty.db')).close();
      broken.poll();
      const writer = new Database(dir.file('empty.db'));
      observe(writer, 7);
      writer.close();
      broken.poll();
      expect(seen).toEqual([{ event: 'observationsAdmitted', payload: { admitted: 1, total: 1, newest: [hex(7)] } }]);
      expect(problems).toHaveLength(1);
    } finally {
      broken.stop();
      conn.close();
    }
  });
});

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
