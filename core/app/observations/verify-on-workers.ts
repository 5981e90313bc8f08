/**
 * `entente verify` on every core. The stored observations are cut into contiguous ranges of
 * rowids (so the records of one batch stay together and share their hashing), and each range is
 * verified in a worker thread by the same code the single-thread path runs (verifyStored), over
 * its own connection to the store. The report is the one verifyAll gives: same counts, same failures in
 * the same order.
 *
 * Worker threads load JavaScript files only: the worker is the built `verify-worker.mjs`
 * (scripts/build.mjs puts it beside the CLI), so running from TypeScript sources uses one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { observationRowids, type RowRange } from '../../store/observation-store.js';
import type { ReadOperation } from '../context/operation.js';
import { loadChainVerifier } from '../credentials/credentials-service.js';
import { orphanEdgeFailures, strayClaimFailures, untrustedCrlFailures, verifyAll, type VerifyAllReport } from './observation-service.js';

export interface VerifyWorkerTask {
  readonly path: string;
  readonly range: RowRange;
}

/**
 * Below about this many observations, starting workers (each loads the code and opens the store:
 * a few tenths of a second) costs more than the second core saves.
 */
export const WORTH_WORKERS_FROM = 10_000;

/** How many threads `entente verify` uses when not told: every core, for a store large enough. */
export function defaultVerifyThreads(op: ReadOperation): number {
  const rowids = observationRowids(op.read);
  return rowids !== null && rowids.last - rowids.first + 1 >= WORTH_WORKERS_FROM ? availableParallelism() : 1;
}

export async function verifyAllOnWorkers(op: ReadOperation, workerUrl: URL, threads = availableParallelism()): Promise<VerifyAllReport> {
  const rowids = observationRowids(op.read);
  if (threads < 2 || rowids === null) return verifyAll(op);
  const chains = loadChainVerifier(op);
  const parts = await Promise.all(rangesOf(rowids, threads).map((range) => runWorker(workerUrl, { path: op.read.name, range })));
  return {
    checked: parts.reduce((sum, part) => sum + part.checked, 0),
    verified: parts.reduce((sum, part) => sum + part.verified, 0),
    failures: [...untrustedCrlFailures(chains), ...parts.flatMap((part) => part.failures), ...orphanEdgeFailures(op), ...strayClaimFailures(op)],
  };
}

/** `count` contiguous ranges covering first..last, in order (rowids may have gaps; that is fine). */
export function rangesOf({ first, last }: RowRange, count: number): RowRange[] {
  const span = last - first + 1;
  return Array.from({ length: count }, (_, i) => ({
    first: first + Math.floor((span * i) / count),
    last: first + Math.floor((span * (i + 1)) / count) - 1,
  })).filter((range) => range.last >= range.first);
}

function runWorker(url: URL, task: VerifyWorkerTask): Promise<VerifyAllReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: task });
    let report: VerifyAllReport | undefined;
    worker.once('message', (message: VerifyAllReport) => (report = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`The verification worker stopped (exit code ${code}) before reporting.`))));
  });
}
