/**
 * `npm run bench [-- --quick]`: prints one JSON array of {name, value, unit, ratio_to?}.
 * The first entries are this machine's ceilings; later figures are reported as ratios to
 * them. --quick shortens every measurement so the whole run takes well under a minute.
 */
import { allCoresVerify, sha256Records, singleThreadVerify, sqliteInserts } from './ceilings.js';
import type { Measurement } from './timing.js';

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

process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
