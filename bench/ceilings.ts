/**
 * This machine's raw ceilings, measured in the same run as every other figure so that
 * later issues can report ratios rather than absolute numbers that depend on the machine.
 */
import Database from 'better-sqlite3';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestFor, RECORD_BYTES, verifyFixture, type Algorithm } from './signing-fixtures.js';
import { opsPerSecond, round, type Measurement } from './timing.js';
import { measureOnWorkers } from './workers.js';

export function singleThreadVerify(algorithm: Algorithm, seconds: number): Measurement {
  const fixture = verifyFixture(algorithm);
  const key = createPublicKey(fixture.publicKeyPem);
  const digest = digestFor(algorithm);
  const rate = opsPerSecond(seconds, 200, () => {
    if (!verify(digest, fixture.message, key, fixture.signature)) throw new Error('benchmark signature did not verify');
  });
  return { name: `ceiling.${algorithm}.verify.1-thread`, value: round(rate), unit: 'verifications/s' };
}

export async function allCoresVerify(algorithm: Algorithm, seconds: number, workerUrl: URL): Promise<Measurement> {
  const fixture = verifyFixture(algorithm);
  const threads = availableParallelism();
  const rates = await measureOnWorkers(workerUrl, threads, () => ({ algorithm, fixture, seconds }));
  return { name: `ceiling.${algorithm}.verify.${threads}-threads`, value: round(rates.reduce((a, b) => a + b, 0)), unit: 'verifications/s' };
}

export function sha256Records(seconds: number): Measurement {
  const record = randomBytes(RECORD_BYTES);
  const rate = opsPerSecond(seconds, 1000, () => createHash('sha256').update(record).digest());
  return { name: 'ceiling.sha256.300-byte-records', value: round(rate), unit: 'hashes/s' };
}

/** Inserts of 300-byte rows in one transaction, on a real file in WAL mode with synchronous=FULL. */
export function sqliteInserts(rows: number): Measurement {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-'));
  try {
    const db = new Database(join(dir, 'bench.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    const bodies = Array.from({ length: 1024 }, () => randomBytes(RECORD_BYTES));
    const start = process.hrtime.bigint();
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(bodies[i & 1023]);
    })();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    db.close();
    return { name: 'ceiling.sqlite.insert.300-byte-rows.1-transaction', value: round(rows / seconds), unit: 'rows/s' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
