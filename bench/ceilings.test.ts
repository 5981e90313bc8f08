/** The ceilings measure what they name: real verifications, hashes and inserts, reported in the bench's shape. */
import { build } from 'esbuild';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCoresVerify, sha256Records, singleThreadVerify, sqliteInserts } from './ceilings.js';
import { verifyFixture } from './signing-fixtures.js';

// Worker threads load JavaScript only: bundle the worker as `npm run build` does.
const workDir = mkdtempSync(join(tmpdir(), 'entente-bench-worker-'));
const workerFile = join(workDir, 'verify-worker.mjs');
beforeAll(async () => {
  const entry = new URL('./verify-worker.ts', import.meta.url).pathname;
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: workerFile, logLevel: 'warning' });
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('bench ceilings', () => {
  it.each(['ed25519', 'p256'] as const)('%s fixtures carry a signature that verifies, and not over other bytes', (algorithm) => {
    const fixture = verifyFixture(algorithm);
    const key = createPublicKey(fixture.publicKeyPem);
    const digest = algorithm === 'ed25519' ? null : 'sha256';
    expect(verify(digest, fixture.message, key, fixture.signature)).toBe(true);
    const other = Buffer.from(fixture.message);
    other[0] = other[0]! ^ 0xff;
    expect(verify(digest, other, key, fixture.signature)).toBe(false);
  });

  it('report positive rates with the names and units later issues take ratios to', async () => {
    const figures = [
      singleThreadVerify('ed25519', 0.05),
      singleThreadVerify('p256', 0.05),
      sha256Records(0.05),
      sqliteInserts(2_000),
    ];
    expect(figures.map((f) => f.name)).toEqual([
      'ceiling.ed25519.verify.1-thread',
      'ceiling.p256.verify.1-thread',
      'ceiling.sha256.300-byte-records',
      'ceiling.sqlite.insert.300-byte-rows.1-transaction',
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures.map((f) => f.unit)).toEqual(['verifications/s', 'verifications/s', 'hashes/s', 'rows/s']);
  });

  it('measures all cores with one worker thread each', async () => {
    const figure = await allCoresVerify('ed25519', 0.05, pathToFileURL(workerFile));
    expect(figure.name).toBe(`ceiling.ed25519.verify.${availableParallelism()}-threads`);
    expect(figure.value).toBeGreaterThan(0);
  });
});
