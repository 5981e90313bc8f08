/**
 * One bundle import for the crossing bench, in a process of its own so that its peak resident
 * memory (getrusage(2) ru_maxrss) is the import's alone, as bench/pouchdb-child.ts measures
 * PouchDB's load: opens the home at `home`, imports `bundle` through services.crossing.importBundle
 * (pass 1, pass 2, admission, receipt), and reports the time, the time spent appending to the
 * reconciliation log, the counts and the peak RSS over the IPC channel.
 *
 * Started with one JSON argument, a `CrossingImportTask`.
 */
import { createReadStream } from 'node:fs';
import type { ImportCounts } from '../core/store/crossing-store.js';
import { openBenchHome } from './crossing-fixture.js';
import { storeFloor } from './store-floor.js';

export interface CrossingImportTask {
  readonly home: string;
  readonly bundle: string;
  /** Check device signatures on worker threads (core/app/crossing/signature-pool.ts). */
  readonly workers: boolean;
  /**
   * Instead of importing: write the rows the import into `floor.imported` wrote, into `home` (its
   * copy from before), by prepared statements alone (bench/store-floor.ts).
   */
  readonly floor?: { readonly imported: string; readonly observations: number };
}

export type CrossingImportReport =
  | { readonly ok: true; readonly ms: number; readonly logMs: number; readonly counts: ImportCounts; readonly peakRssBytes: number }
  | { readonly ok: false; readonly message: string };

async function run(task: CrossingImportTask): Promise<CrossingImportReport> {
  if (task.floor) {
    const floor = storeFloor(task.home, task.floor.imported, task.floor.observations);
    const counts = { admitted: task.floor.observations, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 };
    return { ok: true, ms: floor.ms, logMs: 0, counts, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
  const home = openBenchHome(task.home);
  try {
    let logMs = 0;
    const started = process.hrtime.bigint();
    const report = await home.services.crossing.importBundle(
      { name: task.bundle, open: () => createReadStream(task.bundle, { highWaterMark: 1024 * 1024 }) },
      // The signature worker the CLI ships beside itself (dist/cli/), on every core.
      { onLogAppend: (ms) => (logMs += ms), ...(task.workers ? { signatureWorkers: { url: new URL('../cli/crossing-signature-worker.mjs', import.meta.url) } } : {}) },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ok: true, ms, logMs, counts: report.counts, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  } finally {
    home.close();
  }
}

const send = (report: CrossingImportReport) => new Promise<void>((resolve) => process.send!(report, () => resolve()));
try {
  await send(await run(JSON.parse(process.argv[2]!) as CrossingImportTask));
} catch (error) {
  await send({ ok: false, message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
  process.exitCode = 1;
}
