/**
 * Verifying stored observations as `entente verify` does — strict JSON read, schema, canonical
 * bytes, chain with revocation, signature — on one thread and on every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { storedVerifier } from '../core/app/observation-service.js';
import { openDatabase } from '../core/store/database.js';
import { opsPerSecond } from './timing.js';

export interface StoredRow {
  readonly id: string;
  readonly record: string;
  readonly storedAt: string;
}

export function loadRows(path: string, shard = 0, shards = 1): StoredRow[] {
  const db = openDatabase(path);
  try {
    return db
      .prepare('SELECT id, record, stored_at AS storedAt FROM observations WHERE rowid % ? = ? ORDER BY rowid')
      .all(shards, shard) as StoredRow[];
  } finally {
    db.close();
  }
}

/** Verifications per second over the rows, on this thread. */
export async function verifyRate(path: string, rows: readonly StoredRow[], seconds: number): Promise<number> {
  const db = openDatabase(path);
  try {
    const verify = await storedVerifier(db);
    let next = 0;
    return opsPerSecond(seconds, 100, () => {
      const row = rows[next++ % rows.length]!;
      const result = verify(row.id, row.record, row.storedAt);
      if (!result.ok) throw new Error(`bench observation ${row.id} did not verify: ${result.reason}`);
    });
  } finally {
    db.close();
  }
}

export async function verifyRateAllCores(path: string, seconds: number, workerUrl: URL): Promise<{ threads: number; rate: number }> {
  const threads = availableParallelism();
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      (_, shard) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: { path, seconds, shard, shards: threads } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`bench worker exited with ${code}`)));
        }),
    ),
  );
  return { threads, rate: rates.reduce((a, b) => a + b, 0) };
}
