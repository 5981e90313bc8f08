/**
 * The PouchDB baseline measures a real, complete dump and load: every document arrives in both
 * freshly loaded leveldb databases with its content and revision, the dump file is the
 * replication stream's NDJSON, and nothing is left in the temporary directory.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import PouchDB, { type PouchDoc } from 'pouchdb-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observationId } from '../core/observation/index.js';
import { countLabel, pouchdbMeasurements, runPouchdbBaseline, type BaselineDatabases } from './pouchdb-baseline.js';

// The child is bundled as `npm run build` bundles it, packages left external; it is written
// under the repository's .tmp/ so that it resolves them from node_modules.
const root = new URL('../', import.meta.url).pathname;
mkdirSync(join(root, '.tmp'), { recursive: true });
const buildDir = mkdtempSync(join(root, '.tmp', 'pouchdb-child-'));
const childFile = join(buildDir, 'pouchdb-child.mjs');
beforeAll(async () => {
  const entry = new URL('./pouchdb-child.ts', import.meta.url).pathname;
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: childFile, logLevel: 'warning' });
});
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

async function everyDocument(path: string): Promise<PouchDoc[]> {
  const db = new PouchDB(path);
  try {
    return (await db.allDocs({ include_docs: true })).rows.map((row) => row.doc);
  } finally {
    await db.close();
  }
}

const withoutRev = ({ _rev, ...rest }: PouchDoc) => {
  void _rev;
  return rest;
};

describe('the PouchDB air-gap baseline', () => {
  it('dumps 200 signed observations and loads every one back, unchanged, with both loaders', async () => {
    const tempBefore = readdirSync(tmpdir()).filter((name) => name.startsWith('entente-bench-pouchdb-'));
    let seen: BaselineDatabases | undefined;
    const contents: Record<'source' | 'loaded' | 'loadedWholeFile', PouchDoc[]> = { source: [], loaded: [], loadedWholeFile: [] };
    const baseline = await runPouchdbBaseline({
      docs: 200,
      childUrl: pathToFileURL(childFile),
      wholeFile: true,
      inspect: async (databases) => {
        seen = databases;
        contents.source = await everyDocument(databases.source);
        contents.loaded = await everyDocument(databases.loaded);
        contents.loadedWholeFile = await everyDocument(databases.loadedWholeFile!);
      },
    });

    // The documents are signed governed observations, each under its own id.
    const documents = seen!.documents;
    expect(documents).toHaveLength(200);
    for (const { _id, ...observation } of documents) {
      expect(_id).toBe(observationId(observation as never));
      expect(observation).toMatchObject({ v: 1, mesh: 'DEU', lineage: { integrity: { type: 'signature', alg: 'Ed25519' } } });
    }

    const byId = (docs: PouchDoc[]) => new Map(docs.map((doc) => [doc._id, doc]));
    const source = byId(contents.source);
    expect(source.size).toBe(200);
    for (const doc of documents) expect(withoutRev(source.get(doc._id)!)).toEqual(doc);
    // Both loads carry every document with the source's content and revision.
    for (const loaded of [contents.loaded, contents.loadedWholeFile]) {
      expect(loaded).toHaveLength(200);
      for (const doc of loaded) expect(doc).toEqual(source.get(doc._id));
    }

    expect(baseline.docs).toBe(200);
    for (const step of [baseline.dump, baseline.load, baseline.loadWholeFile!]) {
      expect(step.docs).toBe(200);
      expect(step.ms).toBeGreaterThan(0);
      // A Node process holds tens of megabytes before it reads anything.
      expect(step.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
    }
    // The dump holds every record (each some 800 bytes of JSON) and both loads read that file.
    expect(baseline.dump.bytes).toBeGreaterThan(200 * 500);
    expect(baseline.load.bytes).toBe(baseline.dump.bytes);

    // Nothing is left behind.
    expect(existsSync(seen!.source)).toBe(false);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('entente-bench-pouchdb-'))).toEqual(tempBefore);
  }, 30_000);

  it('reports the named entries, with rates that follow from the times', () => {
    const step = { ok: true as const, docs: 10_000, bytes: 11_000_000, peakRssBytes: 150_000_000 };
    const entries = pouchdbMeasurements({
      docs: 10_000,
      dump: { ...step, ms: 4_000 },
      load: { ...step, ms: 1_000 },
      loadWholeFile: { ...step, ms: 2_000 },
    });
    const value = (name: string) => entries.find((e) => e.name === name)?.value;
    expect(value('pouchdb.dump.10k')).toBe(4_000);
    expect(value('pouchdb.dump.10k.rate')).toBe(2_500);
    expect(value('pouchdb.dump.10k.bytes')).toBe(11_000_000);
    expect(value('pouchdb.load.10k')).toBe(1_000);
    expect(value('pouchdb.load.10k.rate')).toBe(10_000);
    expect(value('pouchdb.load.10k.peak-rss')).toBe(150_000_000);
    expect(value('pouchdb.dump+load.10k')).toBe(5_000);
    expect(value('pouchdb.dump+load.10k.rate')).toBe(2_000);
    expect(value('pouchdb.load-whole-file.10k')).toBe(2_000);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    // Without the whole-file load its entries are absent, not zero.
    const streamed = pouchdbMeasurements({ docs: 10_000, dump: { ...step, ms: 4_000 }, load: { ...step, ms: 1_000 } });
    expect(streamed.map((e) => e.name).filter((name) => name.includes('whole-file'))).toEqual([]);
    expect(streamed).toHaveLength(entries.length - 3);
  });

  it('stops a step that runs past its time, and removes its temporary directory', async () => {
    const tempBefore = readdirSync(tmpdir()).filter((name) => name.startsWith('entente-bench-pouchdb-'));
    await expect(runPouchdbBaseline({ docs: 200, childUrl: pathToFileURL(childFile), stepTimeoutMs: 1 })).rejects.toThrow(
      /the PouchDB dump step ran past 1 ms and was stopped/,
    );
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('entente-bench-pouchdb-'))).toEqual(tempBefore);
  }, 20_000);

  it('names counts the way the issue does', () => {
    expect([100_000, 10_000, 200, 1_500].map(countLabel)).toEqual(['100k', '10k', '200', '1500']);
  });
});
