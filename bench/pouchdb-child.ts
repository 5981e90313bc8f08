/**
 * One step of the PouchDB air-gap baseline, in a process of its own so that its peak resident
 * memory is the step's alone (the kernel's high-water mark for this process, getrusage(2)
 * ru_maxrss) and not the parent's, which holds the generated documents.
 *
 * Started with one JSON argument, a `PouchStep`; reports one `PouchStepReport` over the IPC
 * channel and exits.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import PouchDB from 'pouchdb-node';
import * as pouchdbLoad from 'pouchdb-load';
import * as replicationStream from 'pouchdb-replication-stream';

export type PouchStep =
  /** pouchdb-replication-stream's `db.dump(stream)` of the leveldb database at `db` into `file`. */
  | { readonly kind: 'dump'; readonly db: string; readonly file: string }
  /** pouchdb-replication-stream's `db.load(stream)` of `file`, read as a stream, into a fresh database. */
  | { readonly kind: 'load-stream'; readonly db: string; readonly file: string }
  /** pouchdb-load's `load(text)`: the whole file read as one string, then one `bulkDocs`. */
  | { readonly kind: 'load-whole-file'; readonly db: string; readonly file: string };

export type PouchStepReport =
  | { readonly ok: true; readonly ms: number; readonly docs: number; readonly bytes: number; readonly peakRssBytes: number }
  | { readonly ok: false; readonly message: string };

// pouchdb-replication-stream's output adapter predates PouchDB 7's `_remote` flag, so PouchDB 9's
// replication warns once per batch that it fell back on `db.type()`: thousands of identical lines
// on stderr. Only that line is kept off; every other warning still shows.
const DEPRECATED_TYPE = 'db.type() is deprecated';
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (!(typeof args[0] === 'string' && args[0].startsWith(DEPRECATED_TYPE))) warn(...args);
};

async function run(step: PouchStep): Promise<PouchStepReport> {
  if (step.kind === 'load-whole-file') {
    // The two plugins both name their method `load`; pouchdb-replication-stream's README says to
    // register pouchdb-load under another name. This process registers only the one it uses.
    PouchDB.plugin({ loadIt: pouchdbLoad.load });
  } else {
    PouchDB.plugin(replicationStream.plugin);
    PouchDB.adapter('writableStream', replicationStream.adapters.writableStream);
  }
  const db = new PouchDB(step.db);
  try {
    // Opening the leveldb store is not part of what is timed.
    const before = await db.info();
    const start = process.hrtime.bigint();
    if (step.kind === 'dump') {
      const out = createWriteStream(step.file);
      const finished = once(out, 'finish');
      await db.dump(out);
      // The plugin ends the stream; the step is over once the file holds every byte.
      await finished;
    } else if (step.kind === 'load-stream') {
      await db.load(createReadStream(step.file));
    } else {
      await db.loadIt(readFileSync(step.file, 'utf8'));
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const docs = step.kind === 'dump' ? before.doc_count : (await db.info()).doc_count;
    // Node reports maxRSS in kilobytes.
    return { ok: true, ms, docs, bytes: statSync(step.file).size, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  } finally {
    await db.close();
  }
}

const send = (report: PouchStepReport) => new Promise<void>((resolve) => process.send!(report, () => resolve()));
try {
  await send(await run(JSON.parse(process.argv[2]!) as PouchStep));
} catch (error) {
  await send({ ok: false, message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
