/**
 * The core in a worker thread behind `CoreConnection`: it answers as the in-process core does,
 * refuses a foreign database with the store's own error, and a worker that dies answers every
 * pending and later call `unavailable` instead of hanging.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtCoreWorker } from '../../test-support/built-core-worker.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { StoreOpenError } from '../../store/errors.js';
import { DATABASE_FILE } from '../../workspace/home.js';
import { openCore } from '../open-core.js';
import { startCoreWorker } from './start-core-worker.js';

let workerFile: string;
let dir: TempDir;
beforeAll(async () => {
  workerFile = await builtCoreWorker();
}, 60_000);
afterEach(() => dir?.remove());

describe('the core in a worker thread', () => {
  it('answers calls with the envelopes the in-process core gives, refusals included', async () => {
    dir = makeTempDir();
    const connection = await startCoreWorker(dir.file('home'), { workerFile });
    const info = await connection.call('getWorkspaceInfo', {});
    expect(info).toMatchObject({ ok: true, value: { home: dir.file('home'), workspaceId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const inWorker = await Promise.all([
      connection.call('getAppInfo', undefined),
      connection.call('listObservations', { limit: 0 }),
      connection.call('noSuchMethod', {}),
      connection.call('listPrincipals', { role: 'device', extra: 1 }),
      // A workspace without a mesh refuses to show an observation.
      connection.call('getObservation', { id: 'a'.repeat(64) }),
    ]);
    await connection.close();

    const core = openCore(dir.file('home'));
    try {
      const inProcess = await Promise.all([
        core.call('getAppInfo', undefined),
        core.call('listObservations', { limit: 0 }),
        core.call('noSuchMethod', {}),
        core.call('listPrincipals', { role: 'device', extra: 1 }),
        core.call('getObservation', { id: 'a'.repeat(64) }),
      ]);
      expect(inWorker).toEqual(inProcess);
      expect(inWorker.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual(['ok', 'invalid-arguments', 'unknown-method', 'invalid-arguments', 'refused']);
      expect(await core.call('getWorkspaceInfo', {})).toEqual(info);
    } finally {
      core.close();
    }
  });

  it('refuses an argument structured clone cannot carry, as not plain data', async () => {
    dir = makeTempDir();
    const connection = await startCoreWorker(dir.file('home'), { workerFile });
    try {
      expect(await connection.call('listPrincipals', { role: () => 'device' })).toEqual({
        ok: false,
        error: { code: 'invalid-arguments', message: 'Arguments to listPrincipals refused: they could not be read as plain data.' },
      });
      expect((await connection.call('getAppInfo', {})).ok).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('rejects with the store\'s own one-line error when the home holds a foreign database', async () => {
    dir = makeTempDir();
    const path = join(dir.file('home'), DATABASE_FILE);
    openCore(dir.file('home')).close();
    const foreign = new Database(dir.file('other.db'));
    foreign.exec('CREATE TABLE contacts (name TEXT)');
    foreign.close();
    writeFileSync(path, readFileSync(dir.file('other.db')));
    for (const suffix of ['-wal', '-shm']) writeFileSync(`${path}${suffix}`, '');

    const refusal = await startCoreWorker(dirname(path), { workerFile }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StoreOpenError);
    expect(refusal).toMatchObject({ reason: 'foreign-database', path, message: expect.stringMatching(/another application/) });
    expect((refusal as Error).message).not.toContain('\n');
  });

  it('answers calls after close() unavailable, and close() twice is harmless', async () => {
    dir = makeTempDir();
    const connection = await startCoreWorker(dir.file('home'), { workerFile });
    const before = connection.call('getAppInfo', {});
    await connection.close();
    // Posted before close(): answered, not cut short.
    expect((await before).ok).toBe(true);
    expect(await connection.call('getAppInfo', {})).toEqual({ ok: false, error: { code: 'unavailable', message: 'The core is closed.' } });
    await connection.close();
    // The store was closed in the worker: another core opens it for writing at once.
    const core = openCore(dir.file('home'));
    core.close();
  });
});
