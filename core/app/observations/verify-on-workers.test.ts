/**
 * `entente verify` on worker threads gives the report the single-thread pass gives: the same
 * counts and the same failures in the same order, for signed and batch-attested stores with
 * tampered rows spread over every range.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildObservationStore } from '../../../bench/observation-store-fixture.js';
import { openDatabase } from '../../store/database.js';
import { createServices } from '../services.js';
import { rangesOf } from './verify-on-workers.js';

// Worker threads load JavaScript only: bundle the worker as `npm run build` does, inside the
// project so that better-sqlite3 (external, native) resolves from node_modules.
const cache = join(process.cwd(), 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const buildDir = mkdtempSync(join(cache, 'entente-verify-worker-'));
const workerUrl = pathToFileURL(join(buildDir, 'verify-worker.mjs'));
const stores = mkdtempSync(join(tmpdir(), 'entente-verify-workers-'));

beforeAll(async () => {
  await build({ entryPoints: ['core/app/observations/verify-worker.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: workerUrl.pathname, logLevel: 'warning' });
}, 60_000);
afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(stores, { recursive: true, force: true });
});

/** Edits stored rows behind the store's back, as someone with the file could. */
function tamper(path: string, edits: readonly [rowid: number, sql: string][]): void {
  const db = openDatabase(path);
  try {
    db.exec('DROP TRIGGER IF EXISTS observations_are_immutable');
    for (const [rowid, set] of edits) db.prepare(`UPDATE observations SET ${set} WHERE rowid = ?`).run(rowid);
  } finally {
    db.close();
  }
}

describe('verifyAllOnWorkers', () => {
  it.each(['signature', 'batch'] as const)('reports what one thread reports, for a %s-attested store with tampered rows', async (attestation) => {
    const path = join(stores, `${attestation}.db`);
    await buildObservationStore(path, 2_500, attestation);
    tamper(path, [
      [3, `record = replace(record, '"alt":1200', '"alt":1201')`],
      [900, `record = replace(record, '"SECRET"', '"UNCLASSIFIED"')`],
      [1_251, `record = substr(record, 2)`],
      [1_252, `id = '${'0'.repeat(64)}'`],
      [2_500, `record = replace(record, '"track"', '"incident"')`],
    ]);
    const db = openDatabase(path);
    try {
      // Too small for workers to pay for themselves unless asked for.
      const { observations } = createServices(db);
      expect(observations.defaultVerifyThreads()).toBe(1);
      const single = await observations.verifyAll();
      expect(single.checked).toBe(2_500);
      expect(single.failures.map((f) => f.reason)).toEqual(
        attestation === 'signature'
          ? ['bad-signature', 'bad-signature', 'malformed-record', 'id-mismatch', 'bad-signature']
          : ['bad-inclusion-proof', 'bad-inclusion-proof', 'malformed-record', 'id-mismatch', 'bad-inclusion-proof'],
      );
      for (const threads of [2, 3]) expect(await observations.verifyAllOnWorkers(workerUrl, threads)).toEqual(single);
      // The workers really ran: without the worker file the pass fails instead of quietly using one thread.
      await expect(observations.verifyAllOnWorkers(new URL('missing-worker.mjs', workerUrl), 2)).rejects.toThrow();
    } finally {
      db.close();
    }
  }, 120_000);

  it('cuts the rowids into contiguous ranges that cover each row once', () => {
    expect(rangesOf({ first: 1, last: 10 }, 3)).toEqual([
      { first: 1, last: 3 },
      { first: 4, last: 6 },
      { first: 7, last: 10 },
    ]);
    expect(rangesOf({ first: 5, last: 6 }, 4)).toEqual([
      { first: 5, last: 5 },
      { first: 6, last: 6 },
    ]);
  });
});
