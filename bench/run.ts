/**
 * `npm run bench [-- --quick]`: prints one JSON array of {name, value, unit, ratio_to?}.
 * The first entries are this machine's ceilings; later figures are reported as ratios to
 * them. --quick shortens every measurement so the whole run takes well under a minute.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLog, verifyLogSeconds, withLogFile } from './audit-log.js';
import { allCoresVerify, sha256Records, singleThreadVerify, sqliteInserts } from './ceilings.js';
import { buildObservationStore } from './observation-store-fixture.js';
import { loadRows, verifyRate, verifyRateAllCores } from './stored-verification.js';
import { round, type Measurement } from './timing.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 0.5 : 3;
const workerUrl = new URL('./verify-worker.mjs', import.meta.url);

const results: Measurement[] = [];
for (const algorithm of ['ed25519', 'p256'] as const) {
  results.push(singleThreadVerify(algorithm, seconds));
  results.push(await allCoresVerify(algorithm, seconds, workerUrl));
}
results.push(sha256Records(seconds));
results.push(sqliteInserts(quick ? 100_000 : 500_000));

// Issue 3: full verification of stored observations, as ratios to the ceilings above.
const work = mkdtempSync(join(tmpdir(), 'entente-bench-observations-'));
try {
  const count = quick ? 2_000 : 10_000;
  const signed = join(work, 'signed.db');
  await buildObservationStore(signed, count, 'signature');
  const oneThread = await verifyRate(signed, loadRows(signed), seconds);
  results.push(...withRatio('observations.verify.stored.1-thread', oneThread, 'verifications/s', results[0]!));
  const allCores = await verifyRateAllCores(signed, seconds, new URL('./stored-verification-worker.mjs', import.meta.url));
  results.push(...withRatio(`observations.verify.stored.${allCores.threads}-threads`, allCores.rate, 'verifications/s', results[1]!));

  const batched = join(work, 'batched.db');
  await buildObservationStore(batched, quick ? 5_000 : 20_000, 'batch');
  const batchRate = await verifyRate(batched, loadRows(batched), seconds);
  results.push({ name: 'observations.verify.stored.batch-1000.1-thread', value: round(batchRate), unit: 'verifications/s' });
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Issue 4: the reconciliation log — append rate with a checkpoint every 1,000 entries, as a
// ratio to the plain insert ceiling, and the time to verify a million-entry log from scratch.
await withLogFile(async (path) => {
  const entries = quick ? 20_000 : 1_000_000;
  const appendRate = await appendLog(path, entries);
  const sqliteCeiling = results.find((r) => r.name.startsWith('ceiling.sqlite.insert'))!;
  results.push(...withRatio('audit.append.checkpoint-every-1000', appendRate, 'entries/s', sqliteCeiling));
  results.push({ name: `audit.verify.full.${entries}-entries`, value: round(verifyLogSeconds(path)), unit: 's' });
});

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

/** A figure twice: as measured, and as a ratio to the ceiling measured in the same run. */
function withRatio(name: string, value: number, unit: string, ceiling: Measurement): Measurement[] {
  return [
    { name, value: round(value), unit },
    { name: `${name}.ratio`, value: Math.round((value / ceiling.value) * 1000) / 1000, unit: 'ratio', ratio_to: ceiling.name },
  ];
}
