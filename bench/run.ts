/**
 * `npm run bench [-- --quick] [--only GROUP,…]`: prints one JSON array of {name, value, unit, ratio_to?}.
 * The first entries are this machine's ceilings; later figures are reported as ratios to
 * them. --quick shortens every measurement so the whole run takes well under a minute.
 * Groups: `verification` (the ceilings and stored verification), `audit` (the log), `pouchdb`
 * (the air-gap baseline; `--pouchdb-docs N` sets its document count, `--pouchdb-whole-file` adds
 * pouchdb-load's load), `crossing` (bundle export and import end to end against issue 13's
 * targets, bench/crossing-import.ts; `--crossing-memory-mib M` sets the size of the bundle whose import's peak memory
 * is measured, 1,024 by default and 64 with --quick), `negentropy` (set reconciliation against nostr-tools and over
 * the SQLite index, bench/negentropy.ts), `links` (live links over TLS against PouchDB's two-way sync,
 * bench/link-sync.ts; `--link-idle N` sets the idle sync's store size, `--link-idle-only` measures only that),
 * `reconcile` (the joint picture against store size and against Automerge's merge, bench/reconcile.ts),
 * `console` (the console's divergence queue and observations table at 100,000 rows each in Chromium, bench/console-queue.ts and
 * bench/console-observations.ts; `--queue-items N` and `--observation-rows N` set the counts, `--console-home DIR` seeds DIR once
 * and keeps it, to measure a change to the view again without seeding).
 * All run by default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLog, verifyLogSeconds, withLogFile } from './audit-log.js';
import { bundleFigures } from './crossing-bundle.js';
import { crossingFigures } from './crossing-import.js';
import { allCoresVerify, sha256Records, singleThreadVerify, sqliteInserts } from './ceilings.js';
import { linkSyncFigures } from './link-sync.js';
import { negentropyFigures } from './negentropy.js';
import { reconcileFigures } from './reconcile.js';
import { consoleObservationFigures } from './console-observations.js';
import { consoleQueueFigures } from './console-queue.js';
import { buildObservationStore } from './observation-store-fixture.js';
import { pouchdbMeasurements, runPouchdbBaseline } from './pouchdb-baseline.js';
import { loadRows, prepareVerification, verifyRate, verifyRateAllCores, verifyWholeStoreRate } from './stored-verification.js';
import { round, type Measurement } from './timing.js';

const quick = process.argv.includes('--quick');
const GROUPS = ['verification', 'audit', 'pouchdb', 'crossing', 'negentropy', 'links', 'reconcile', 'console'] as const;
const only = optionValue('--only')?.split(',');
const unknown = only?.filter((group) => !(GROUPS as readonly string[]).includes(group)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown group ${unknown.join(', ')}: the groups are ${GROUPS.join(', ')}\n`);
  process.exit(2);
}
const selected = (group: (typeof GROUPS)[number]) => !only || only.includes(group);
const seconds = quick ? 0.5 : 3;
const workerUrl = new URL('./verify-worker.mjs', import.meta.url);
/** Rounds in which a figure and the ceiling it is a ratio to are measured alternately. */
const ROUNDS = quick ? 2 : 4;

const results: Measurement[] = [];
if (selected('verification')) {
  const work = mkdtempSync(join(tmpdir(), 'entente-bench-observations-'));
  try {
    // Issue 3's figures are ratios to the Ed25519 ceilings, and this machine's speed drifts by a
    // tenth or more over seconds: so the two are measured in alternating rounds and each keeps its
    // best round, rather than one at the start and one a minute later.
    const signed = join(work, 'signed.db');
    await buildObservationStore(signed, quick ? 2_000 : 10_000, 'signature');
    const storedWorker = new URL('./stored-verification-worker.mjs', import.meta.url);
    const stored = await prepareVerification(signed, loadRows(signed));
    const best = { ceiling: 0, ceilingAll: 0, stored: 0, storedAll: 0, threads: 0 };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        best.ceiling = Math.max(best.ceiling, singleThreadVerify('ed25519', seconds / ROUNDS).value);
        best.stored = Math.max(best.stored, stored.rate(seconds / ROUNDS));
        best.ceilingAll = Math.max(best.ceilingAll, (await allCoresVerify('ed25519', seconds / ROUNDS, workerUrl)).value);
        const allCores = await verifyRateAllCores(signed, seconds / ROUNDS, storedWorker);
        best.storedAll = Math.max(best.storedAll, allCores.rate);
        best.threads = allCores.threads;
      }
    } finally {
      stored.close();
    }
    const ceiling = { name: 'ceiling.ed25519.verify.1-thread', value: round(best.ceiling), unit: 'verifications/s' };
    const ceilingAll = { name: `ceiling.ed25519.verify.${best.threads}-threads`, value: round(best.ceilingAll), unit: 'verifications/s' };
    results.push(ceiling, ceilingAll, singleThreadVerify('p256', seconds), await allCoresVerify('p256', seconds, workerUrl));
    results.push(sha256Records(seconds));
    results.push(sqliteInserts(quick ? 100_000 : 500_000));
    results.push(...withRatio('observations.verify.stored.1-thread', best.stored, 'verifications/s', ceiling));
    results.push(...withRatio(`observations.verify.stored.${best.threads}-threads`, best.storedAll, 'verifications/s', ceilingAll));
    // What `entente verify` itself does with every core: one pass over the store, workers started included.
    const product = await verifyWholeStoreRate(signed, new URL('../cli/verify-worker.mjs', import.meta.url));
    results.push(...withRatio(`observations.verify-command.${best.threads}-threads`, product, 'verifications/s', ceilingAll));

    const batched = join(work, 'batched.db');
    await buildObservationStore(batched, quick ? 5_000 : 20_000, 'batch');
    const batchRate = await verifyRate(batched, loadRows(batched), seconds);
    results.push({ name: 'observations.verify.stored.batch-1000.1-thread', value: round(batchRate), unit: 'verifications/s' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Issue 4: the reconciliation log — append rate with a checkpoint every 1,000 entries, as a
// ratio to the plain insert ceiling, and the time to verify a million-entry log from scratch.
if (selected('audit')) {
  await withLogFile(async (path) => {
    const entries = quick ? 20_000 : 1_000_000;
    const appendRate = await appendLog(path, entries);
    let sqliteCeiling = results.find((r) => r.name.startsWith('ceiling.sqlite.insert'));
    if (!sqliteCeiling) results.push((sqliteCeiling = sqliteInserts(quick ? 100_000 : 500_000)));
    results.push(...withRatio('audit.append.checkpoint-every-1000', appendRate, 'entries/s', sqliteCeiling));
    results.push({ name: `audit.verify.full.${entries}-entries`, value: round(verifyLogSeconds(path)), unit: 's' });
  });
}

// Issue 13: what air-gapped users of PouchDB do today — dump to a file, load it elsewhere, no
// verification — for the same signed observations our bundles carry (bench/pouchdb-baseline.ts).
if (selected('pouchdb')) {
  const docs = Number(optionValue('--pouchdb-docs') ?? (quick ? 10_000 : 100_000));
  if (!Number.isSafeInteger(docs) || docs < 1) {
    process.stderr.write('bench: --pouchdb-docs takes a whole number of documents, 1 or more\n');
    process.exit(2);
  }
  // pouchdb-load's whole-file load takes minutes and gigabytes at 100,000 documents: only on request.
  const wholeFile = process.argv.includes('--pouchdb-whole-file');
  const baseline = await runPouchdbBaseline({ docs, wholeFile, childUrl: new URL('./pouchdb-child.mjs', import.meta.url) });
  results.push(...pouchdbMeasurements(baseline));
}

// Issue 13: the crossing bundle's two passes over a 100,000-observation bundle (10,000 with --quick).
if (selected('crossing')) results.push(...(await bundleFigures(quick ? 10_000 : 100_000, quick ? 2 : 3)));

// Issue 13, Speed: bundles admitted end to end between real homes, against the targets.
if (selected('crossing')) {
  const memoryMib = Number(optionValue('--crossing-memory-mib') ?? (quick ? 64 : 1024));
  if (!(memoryMib > 0)) throw new Error('--crossing-memory-mib takes a positive number of MiB.');
  results.push(
    ...(await crossingFigures({
      observations: quick ? 10_000 : 100_000,
      memoryBundleBytes: memoryMib * 1024 * 1024,
      rounds: quick ? 1 : 2,
      ceilingSeconds: seconds,
      verifyWorkerUrl: workerUrl,
      importChildUrl: new URL('./crossing-import-child.mjs', import.meta.url),
      pouchdbChildUrl: new URL('./pouchdb-child.mjs', import.meta.url),
    })),
  );
}

// Issue 14, Speed: negentropy's bytes and round trips against nostr-tools, and an idle sync over the index.
if (selected('negentropy')) results.push(...negentropyFigures({ quick }));

// Issue 14, Speed: live links end to end over TLS on 127.0.0.1, against PouchDB's two-way sync in the same run.
if (selected('links')) {
  const idle = optionValue('--link-idle');
  const idleObservations = idle === undefined ? undefined : Number(idle);
  if (idleObservations !== undefined && (!Number.isSafeInteger(idleObservations) || idleObservations < 1)) {
    process.stderr.write('bench: --link-idle takes a whole number of observations, 1 or more\n');
    process.exit(2);
  }
  results.push(...(await linkSyncFigures({ quick, idleOnly: process.argv.includes('--link-idle-only'), ...(idleObservations ? { idleObservations } : {}) })));
}

// Issue 15, Speed: the picture kept on insert against store size, and the conflict-aware merge against Automerge.
if (selected('reconcile')) results.push(...(await reconcileFigures({ quick, signatureWorkerUrl: new URL('../cli/crossing-signature-worker.mjs', import.meta.url) })));
if (selected('console')) {
  const items = optionValue('--queue-items');
  const rows = optionValue('--observation-rows');
  const kept = optionValue('--console-home');
  results.push(...(await consoleQueueFigures({ quick, ...(items === undefined ? {} : { items: Number(items) }), ...(kept ? { home: join(kept, 'queue') } : {}) })));
  results.push(...(await consoleObservationFigures({ quick, ...(rows === undefined ? {} : { observations: Number(rows) }), ...(kept ? { home: join(kept, 'observations') } : {}) })));
}

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

/** A figure twice: as measured, and as a ratio to the ceiling measured in the same run. */
function withRatio(name: string, value: number, unit: string, ceiling: Measurement): Measurement[] {
  return [
    { name, value: round(value), unit },
    { name: `${name}.ratio`, value: Math.round((value / ceiling.value) * 1000) / 1000, unit: 'ratio', ratio_to: ceiling.name },
  ];
}

/** The value after `--flag` (`--flag VALUE` or `--flag=VALUE`), if the flag was given. */
function optionValue(flag: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (at < 0) return undefined;
  return args[at]!.includes('=') ? args[at]!.slice(flag.length + 1) : args[at + 1];
}
