/**
 * Verifying stored observations as `entente verify` does — strict JSON read, schema, canonical
 * bytes, chain with revocation, signature — on one thread and on every core.
 */
import { availableParallelism } from 'node:os';
import { createAppContext } from '../core/app/context/operation.js';
import { storedVerifier } from '../core/app/observations/observation-service.js';
import { createServices } from '../core/app/services.js';
import { openDatabase } from '../core/store/database.js';
import { iterateObservationRecords, type ObservationRow } from '../core/store/observation-store.js';
import { opsPerSecond } from './timing.js';
import { measureOnWorkers } from './workers.js';

export type StoredRow = ObservationRow;

/** The stored rows whole (as `entente verify` reads them), every `shards`-th from `shard`. */
export function loadRows(path: string, shard = 0, shards = 1): StoredRow[] {
  const db = openDatabase(path);
  try {
    return [...iterateObservationRecords(db)].filter((_, i) => i % shards === shard);
  } finally {
    db.close();
  }
}

export interface PreparedVerification {
  /** Verifications per second over the rows, on this thread, for about `seconds`. */
  rate(seconds: number): number;
  close(): void;
}

/** Opens the store and builds the verifier `entente verify` uses, ready to measure. */
export async function prepareVerification(path: string, rows: readonly StoredRow[]): Promise<PreparedVerification> {
  const db = openDatabase(path);
  const verify = await storedVerifier(createAppContext(db).reading());
  let next = 0;
  return {
    rate: (seconds) =>
      opsPerSecond(seconds, 100, () => {
        const row = rows[next++ % rows.length]!;
        const result = verify(row);
        if (!result.ok) throw new Error(`bench observation ${row.id} did not verify: ${result.reason}`);
      }),
    close: () => db.close(),
  };
}

export async function verifyRate(path: string, rows: readonly StoredRow[], seconds: number): Promise<number> {
  const prepared = await prepareVerification(path, rows);
  try {
    return prepared.rate(seconds);
  } finally {
    prepared.close();
  }
}

export async function verifyRateAllCores(path: string, seconds: number, workerUrl: URL): Promise<{ threads: number; rate: number }> {
  const threads = availableParallelism();
  const rates = await measureOnWorkers(workerUrl, threads, (shard) => ({ path, seconds, shard, shards: threads }));
  return { threads, rate: rates.reduce((a, b) => a + b, 0) };
}

/** Observations per second of one `entente verify` pass on every core (verifyAllOnWorkers). */
export async function verifyWholeStoreRate(path: string, workerUrl: URL): Promise<number> {
  const db = openDatabase(path);
  try {
    const start = process.hrtime.bigint();
    const report = await createServices(db).observations.verifyAllOnWorkers(workerUrl);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (report.failures.length > 0) throw new Error(`the bench store did not verify: ${report.failures[0]!.message}`);
    return report.checked / seconds;
  } finally {
    db.close();
  }
}
