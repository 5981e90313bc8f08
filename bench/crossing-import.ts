/**
 * Issue 13's crossing targets (Speed), measured side by side in one run on real homes
 * (bench/crossing-fixture.ts: DEU and NLD federated, a cross-certified agent each):
 *
 * - a bundle of N observations each with its own signature, exported by DEU and admitted end to
 *   end by NLD (services.crossing.importBundle: both passes, every check, the store, the log,
 *   the receipt), as a ratio to the all-cores Ed25519 verify ceiling, measured in rounds
 *   alternating with it (target ≥ 0.75);
 * - the same for batch-attested records (core/observation/batch.ts; target ≥ 50,000/s), beside
 *   the store floor: the rows that import wrote, written again into the same schema by prepared
 *   statements alone (bench/store-floor.ts), so the distance to what the schema allows is known;
 * - the signature import's time against PouchDB's streaming load of the same signed records
 *   (bench/pouchdb-baseline.ts, in this run; target ≤ 0.5);
 * - peak resident memory of a process importing a 1 GiB bundle (64 MiB with --quick; target
 *   ≤ 256 MB), and the log's share of admission time (target ≤ 0.1).
 *
 * Every import runs in a child process (bench/crossing-import-child.ts) on a fresh copy of
 * NLD's home, so that each starts from the same state and its memory is its own.
 */
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GovernedObservation } from '../core/observation/index.js';
import { allCoresVerify } from './ceilings.js';
import { copyHome, federatedPair, storeObservations, type BenchHome } from './crossing-fixture.js';
import type { CrossingImportReport, CrossingImportTask } from './crossing-import-child.js';
import { countLabel, runPouchdbBaseline } from './pouchdb-baseline.js';
import { round, type Measurement } from './timing.js';

const MIB = 1024 * 1024;
/** The old-space limit of the process whose peak memory is measured (see step 4). */
const HEAP_MIB = 128;

export interface CrossingBenchOptions {
  /** Observations in each of the two 100k bundles (10,000 with --quick). */
  readonly observations: number;
  /** Size of the bundle whose import's peak memory is measured. */
  readonly memoryBundleBytes: number;
  /** Rounds of (ceiling, import) measured alternately; each keeps its best. */
  readonly rounds: number;
  /** Seconds of each ceiling measurement. */
  readonly ceilingSeconds: number;
  readonly verifyWorkerUrl: URL;
  readonly importChildUrl: URL;
  readonly pouchdbChildUrl: URL;
}

type ImportFigures = Extract<CrossingImportReport, { ok: true }>;

export async function crossingFigures(options: CrossingBenchOptions): Promise<Measurement[]> {
  const work = mkdtempSync(join(tmpdir(), 'entente-bench-crossing-'));
  const homes = await federatedPair(join(work, 'deu.db'), join(work, 'nld.db'));
  const results: Measurement[] = [];
  try {
    const n = options.observations;
    const label = countLabel(n);
    let imports = 0;
    const importInto = async (bundle: string, workers = true, heapMiB?: number, keep?: string): Promise<ImportFigures> => {
      const home = keep ?? join(work, `nld-${imports++}.db`);
      copyHome(homes.nld, home);
      try {
        return await importInChild(options.importChildUrl, { home, bundle, workers }, heapMiB);
      } finally {
        if (!keep) for (const suffix of ['', '-wal', '-shm']) rmSync(`${home}${suffix}`, { force: true });
      }
    };

    // 1. Per-observation signatures: the records the PouchDB baseline carries too.
    const signedRecords: GovernedObservation[] = [];
    await storeObservations(homes.deu, n, 'signature', (records) => signedRecords.push(...records));
    const signatureBundle = join(work, 'signature.bundle');
    const exportMs = await exportTo(homes.deu, signatureBundle, n);
    results.push({ name: `crossing.export.${label}.signature`, value: round(exportMs), unit: 'ms' }, { name: `crossing.export.${label}.signature.rate`, value: round(n / (exportMs / 1000)), unit: 'observations/s' });

    let ceiling: Measurement | undefined;
    let signature: ImportFigures | undefined;
    for (let r = 0; r < options.rounds; r++) {
      const measured = await allCoresVerify('ed25519', options.ceilingSeconds, options.verifyWorkerUrl);
      if (!ceiling || measured.value > ceiling.value) ceiling = measured;
      const figures = checked(await importInto(signatureBundle), n, 'signature');
      if (!signature || figures.ms < signature.ms) signature = figures;
    }
    const signatureRate = n / (signature!.ms / 1000);
    // The same import with every signature checked in the importing thread, for comparison.
    const inThread = checked(await importInto(signatureBundle, false), n, 'signature');
    results.push(ceiling!);
    results.push({ name: `crossing.import.${label}.signature.in-thread.rate`, value: round(n / (inThread.ms / 1000)), unit: 'observations/s' });
    results.push(
      { name: `crossing.import.${label}.signature`, value: round(signature!.ms), unit: 'ms' },
      { name: `crossing.import.${label}.signature.rate`, value: round(signatureRate), unit: 'observations/s' },
      ratio(`crossing.import.${label}.signature.rate.ratio`, signatureRate / ceiling!.value, ceiling!.name),
      ratio(`crossing.import.${label}.signature.log-share`, signature!.logMs / signature!.ms, `crossing.import.${label}.signature`),
    );

    // 2. Batch-attested records (one signature per 1,000).
    await storeObservations(homes.deu, n, 'batch');
    const batchBundle = join(work, 'batch.bundle');
    await exportTo(homes.deu, batchBundle, n);
    let batch: ImportFigures | undefined;
    let floor: ImportFigures | undefined;
    const imported = join(work, 'nld-imported.db');
    for (let r = 0; r < options.rounds; r++) {
      // The last round keeps its home: the store floor writes its rows again.
      const figures = checked(await importInto(batchBundle, true, undefined, r === options.rounds - 1 ? imported : undefined), n, 'batch');
      if (!batch || figures.ms < batch.ms) batch = figures;
    }
    // The store floor: the same rows by prepared statements alone, into the same schema, in as many transactions (bench/store-floor.ts), alternating rounds too.
    for (let r = 0; r < options.rounds; r++) {
      const home = join(work, `nld-floor-${r}.db`);
      copyHome(homes.nld, home);
      try {
        const figures = await importInChild(options.importChildUrl, { home, bundle: batchBundle, workers: false, floor: { imported, observations: n } });
        if (!floor || figures.ms < floor.ms) floor = figures;
      } finally {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${home}${suffix}`, { force: true });
      }
    }
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${imported}${suffix}`, { force: true });
    const batchRate = n / (batch!.ms / 1000);
    const floorRate = n / (floor!.ms / 1000);
    results.push(
      { name: `crossing.import.${label}.batch`, value: round(batch!.ms), unit: 'ms' },
      { name: `crossing.import.${label}.batch.rate`, value: round(batchRate), unit: 'observations/s' },
      ratio(`crossing.import.${label}.batch.rate.ratio-to-target`, batchRate / 50_000, 'issue 13: 50,000 observations/s'),
      ratio(`crossing.import.${label}.batch.log-share`, batch!.logMs / batch!.ms, `crossing.import.${label}.batch`),
      { name: `crossing.store-floor.${label}.batch`, value: round(floor!.ms), unit: 'ms' },
      { name: `crossing.store-floor.${label}.batch.rate`, value: round(floorRate), unit: 'observations/s' },
      ratio(`crossing.store-floor.${label}.batch.rate.ratio-to-target`, floorRate / 50_000, 'issue 13: 50,000 observations/s'),
      ratio(`crossing.import.${label}.batch.rate.ratio-to-store-floor`, batchRate / floorRate, `crossing.store-floor.${label}.batch.rate`),
    );

    // 3. PouchDB's streaming load of the same signed records, in this run.
    const pouch = await runPouchdbBaseline({ docs: n, records: signedRecords, childUrl: options.pouchdbChildUrl });
    signedRecords.length = 0;
    results.push(
      { name: `crossing.pouchdb-load.${label}`, value: round(pouch.load.ms), unit: 'ms' },
      ratio(`crossing.import.${label}.signature.vs-pouchdb-load`, signature!.ms / pouch.load.ms, `crossing.pouchdb-load.${label}`),
      ratio(`crossing.import.${label}.batch.vs-pouchdb-load`, batch!.ms / pouch.load.ms, `crossing.pouchdb-load.${label}`),
    );

    // 4. Peak memory importing a large bundle (batch-attested, the cheaper to make at this size).
    const perObservation = statSync(batchBundle).size / n;
    const large = Math.ceil(options.memoryBundleBytes / perObservation);
    await storeObservations(homes.deu, large, 'batch');
    const largeBundle = join(work, 'large.bundle');
    await exportTo(homes.deu, largeBundle, large);
    const bytes = statSync(largeBundle).size;
    const mib = `${Math.round(bytes / MIB)}MiB`;
    // V8 grows its heap lazily, far past what an import keeps alive (a few tens of MB): with its
    // default limit a process's RSS says more about when the collector ran than about the import.
    // The importing process is capped at HEAP_MIB of old space, as `entente bundle import` may be.
    const big = checked(await importInto(largeBundle, true, HEAP_MIB), large, 'large batch');
    results.push(
      { name: `crossing.import.${mib}.bytes`, value: bytes, unit: 'bytes' },
      { name: `crossing.import.${mib}.observations`, value: large, unit: 'observations' },
      { name: `crossing.import.${mib}.rate`, value: round(large / (big.ms / 1000)), unit: 'observations/s' },
      { name: `crossing.import.${mib}.peak-rss.heap-${HEAP_MIB}MiB`, value: big.peakRssBytes, unit: 'bytes' },
      ratio(`crossing.import.${mib}.peak-rss.heap-${HEAP_MIB}MiB.ratio-to-target`, big.peakRssBytes / (256 * MIB), 'issue 13: 256 MiB'),
    );
    return results;
  } finally {
    homes.deu.close();
    homes.nld.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function ratio(name: string, value: number, to: string): Measurement {
  return { name, value: Math.round(value * 1000) / 1000, unit: 'ratio', ratio_to: to };
}

/** DEU's export to NLD of everything stored since its last export; the time it took, in ms. */
async function exportTo(deu: BenchHome, file: string, expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  const sink = createWriteStream(file);
  const since = lastCursor.get(deu) ?? 0;
  const report = await deu.services.crossing.exportBundle({ to: 'NLD', since }, sink);
  sink.end();
  await once(sink, 'finish');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (report.observations !== expected) throw new Error(`the bench export carried ${report.observations} observations, not ${expected}`);
  lastCursor.set(deu, report.cursor.to);
  return ms;
}
const lastCursor = new WeakMap<BenchHome, number>();

function checked(figures: ImportFigures, expected: number, what: string): ImportFigures {
  if (figures.counts.admitted !== expected) throw new Error(`the ${what} bundle's import admitted ${figures.counts.admitted} of ${expected}: ${JSON.stringify(figures.counts)}`);
  return figures;
}

function importInChild(childUrl: URL, task: CrossingImportTask, heapMiB?: number): Promise<ImportFigures> {
  const execArgv = heapMiB === undefined ? [] : [`--max-old-space-size=${heapMiB}`];
  const child = fork(fileURLToPath(childUrl), [JSON.stringify(task)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  return new Promise<CrossingImportReport>((resolve, reject) => {
    let received: CrossingImportReport | undefined;
    child.once('message', (message) => (received = message as CrossingImportReport));
    child.once('error', reject);
    child.once('exit', (code, signal) => (received ? resolve(received) : reject(new Error(`the crossing import exited with ${signal ?? code} and no report`))));
  }).then((report) => {
    if (!report.ok) throw new Error(`the crossing import failed: ${report.message}`);
    return report;
  });
}
