/**
 * The air-gap baseline (issue 13, Speed): what air-gapped users of PouchDB do today to carry a
 * database across — `pouchdb-replication-stream`'s `db.dump(stream)` to a file, and its
 * `db.load(stream)` of that file into a fresh database, on the leveldb adapter, with no
 * verification at all. Our verified bundle import is held to half its time.
 *
 * The documents are the bench's own governed observations (real Ed25519-signed records, the
 * ones the verification benches store), each under `_id` = its observation id, so both sides
 * carry the same bytes. Each step runs in a child process (bench/pouchdb-child.ts), which times
 * itself and reports its own peak resident memory. On request, pouchdb-load's `load` (the whole
 * dump read as one string, then one `bulkDocs`) is measured too, into another fresh database: at
 * 100,000 documents it takes minutes and gigabytes, so the faster streaming load is the baseline.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PouchDB, { type PouchDoc } from 'pouchdb-node';
import { observationId, type GovernedObservation } from '../core/observation/index.js';
import { openDatabase } from '../core/store/database.js';
import { mintObservations } from './observation-store-fixture.js';
import type { PouchStep, PouchStepReport } from './pouchdb-child.js';
import { round, type Measurement } from './timing.js';

/** Documents per `bulkDocs` while the source database is filled (not timed). */
const FILL_BATCH = 1_000;

export type StepFigures = Extract<PouchStepReport, { ok: true }>;

export interface PouchBaseline {
  readonly docs: number;
  readonly dump: StepFigures;
  /** pouchdb-replication-stream's `load(stream)`: the baseline's load. */
  readonly load: StepFigures;
  /** pouchdb-load's `load(text)`, when it was asked for. */
  readonly loadWholeFile?: StepFigures;
}

/** Where the databases are while the baseline runs, for a caller that checks what arrived. */
export interface BaselineDatabases {
  readonly documents: readonly PouchDoc[];
  readonly source: string;
  readonly loaded: string;
  /** Only when `wholeFile` was asked for. */
  readonly loadedWholeFile?: string;
}

export interface BaselineOptions {
  readonly docs: number;
  /** The built child (dist/bench/pouchdb-child.mjs): child processes load JavaScript only. */
  readonly childUrl: URL;
  /** Also measure pouchdb-load's whole-file load. */
  readonly wholeFile?: boolean;
  /** A step still running after this long is killed and the baseline fails (default 30 minutes). */
  readonly stepTimeoutMs?: number;
  /** The signed observations to carry (default: `docs` minted here), so another bench compares the same documents. */
  readonly records?: readonly GovernedObservation[];
  /** Called after the loads, before the temporary directory is removed. */
  readonly inspect?: (databases: BaselineDatabases) => Promise<void>;
}

export async function runPouchdbBaseline(options: BaselineOptions): Promise<PouchBaseline> {
  const work = mkdtempSync(join(tmpdir(), 'entente-bench-pouchdb-'));
  try {
    const documents = options.records
      ? options.records.map((record): PouchDoc => ({ _id: observationId(record), ...record }))
      : await observationDocuments(join(work, 'mint.db'), options.docs);
    const databases: BaselineDatabases = {
      documents,
      source: join(work, 'source'),
      loaded: join(work, 'loaded'),
      ...(options.wholeFile ? { loadedWholeFile: join(work, 'loaded-whole-file') } : {}),
    };
    await fill(databases.source, documents);
    const file = join(work, 'dump.ndjson');
    const run = (task: PouchStep) => step(options.childUrl, task, options.docs, options.stepTimeoutMs ?? 30 * 60_000);
    const dump = await run({ kind: 'dump', db: databases.source, file });
    const load = await run({ kind: 'load-stream', db: databases.loaded, file });
    const loadWholeFile = databases.loadedWholeFile ? await run({ kind: 'load-whole-file', db: databases.loadedWholeFile, file }) : undefined;
    await options.inspect?.(databases);
    return { docs: options.docs, dump, load, ...(loadWholeFile ? { loadWholeFile } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The bench's entries: `pouchdb.dump.100k`, `pouchdb.load.100k`, `pouchdb.dump+load.100k`, each with its rate. */
export function pouchdbMeasurements(baseline: PouchBaseline): Measurement[] {
  const n = countLabel(baseline.docs);
  const rate = (ms: number) => round(baseline.docs / (ms / 1000));
  const timed = (name: string, ms: number): Measurement[] => [
    { name, value: round(ms), unit: 'ms' },
    { name: `${name}.rate`, value: rate(ms), unit: 'docs/s' },
  ];
  const { dump, load, loadWholeFile } = baseline;
  return [
    ...timed(`pouchdb.dump.${n}`, dump.ms),
    { name: `pouchdb.dump.${n}.bytes`, value: dump.bytes, unit: 'bytes' },
    { name: `pouchdb.dump.${n}.peak-rss`, value: dump.peakRssBytes, unit: 'bytes' },
    ...timed(`pouchdb.load.${n}`, load.ms),
    { name: `pouchdb.load.${n}.bytes`, value: load.bytes, unit: 'bytes' },
    { name: `pouchdb.load.${n}.peak-rss`, value: load.peakRssBytes, unit: 'bytes' },
    ...timed(`pouchdb.dump+load.${n}`, dump.ms + load.ms),
    ...(loadWholeFile
      ? [...timed(`pouchdb.load-whole-file.${n}`, loadWholeFile.ms), { name: `pouchdb.load-whole-file.${n}.peak-rss`, value: loadWholeFile.peakRssBytes, unit: 'bytes' }]
      : []),
  ];
}

/** 100000 → "100k", 10000 → "10k", 200 → "200": the suffix of the entries' names. */
export function countLabel(docs: number): string {
  return docs % 1000 === 0 ? `${docs / 1000}k` : String(docs);
}

/** The governed observations as PouchDB documents: the signed record itself, under its id. */
async function observationDocuments(path: string, count: number): Promise<PouchDoc[]> {
  const db = openDatabase(path);
  try {
    const records = await mintObservations(db, count, 'signature');
    return records.map((record) => ({ _id: observationId(record), ...record }));
  } finally {
    db.close();
  }
}

async function fill(path: string, documents: readonly PouchDoc[]): Promise<void> {
  const db = new PouchDB(path);
  try {
    for (let i = 0; i < documents.length; i += FILL_BATCH) {
      const results = await db.bulkDocs(documents.slice(i, i + FILL_BATCH));
      const failed = results.find((result) => result.error);
      if (failed) throw new Error(`the PouchDB baseline could not store ${failed.id}: ${failed.reason ?? String(failed.error)}`);
    }
  } finally {
    await db.close();
  }
}

/** Runs one step in its own process; refuses a result that did not carry every document. */
async function step(childUrl: URL, task: PouchStep, docs: number, timeoutMs: number): Promise<StepFigures> {
  const child = fork(fileURLToPath(childUrl), [JSON.stringify(task)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const report = await new Promise<PouchStepReport>((resolve, reject) => {
    let received: PouchStepReport | undefined;
    child.once('message', (message) => (received = message as PouchStepReport));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (received) resolve(received);
      else if (timedOut) reject(new Error(`the PouchDB ${task.kind} step ran past ${timeoutMs} ms and was stopped`));
      else reject(new Error(`the PouchDB ${task.kind} step exited with ${signal ?? code} and no report`));
    });
  }).finally(() => clearTimeout(timer));
  if (!report.ok) throw new Error(`the PouchDB ${task.kind} step failed: ${report.message}`);
  if (report.docs !== docs) throw new Error(`the PouchDB ${task.kind} step carried ${report.docs} of ${docs} documents`);
  return report;
}
