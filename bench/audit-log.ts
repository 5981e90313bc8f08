/**
 * The reconciliation log (issue 4): appending with a signed checkpoint every 1,000 entries, as
 * the recorder does it (entries and checkpoint in one transaction, index rows included), and
 * full verification of a large log, recomputing every entry and checkpoint from the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorityActor } from '../core/app/context/log.js';
import { createServices } from '../core/app/services.js';
import type { AuditActor, AuditDraft } from '../core/audit/entry.js';
import { openDatabase } from '../core/store/database.js';

const CHECKPOINT_EVERY = 1_000;
const CHECKPOINTS_PER_COMMIT = 10;

function draftsFor(who: AuditActor, start: number, count: number): AuditDraft[] {
  // Shaped like a crossing entry: an observation id, a subject, a federation, a policy and reasons.
  return Array.from({ length: count }, (_, i) => ({
    type: 'crossing' as const,
    who,
    what: {
      ids: [(start + i).toString(16).padStart(64, '0')],
      subject: `track:${(start + i) % 5000}`,
      federation: 'fed-baltic-shield',
      policy: { id: 'NATO', version: '2026.1' },
    },
    why: { reasons: ['in-scope', 'below-ceiling'] },
  }));
}

/** Builds a log of `entries` entries; returns the append rate in entries per second. */
export async function appendLog(path: string, entries: number): Promise<number> {
  const db = openDatabase(path);
  try {
    const services = createServices(db);
    await services.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
    const operation = services.context.writing();
    const log = await operation.log();
    const who = authorityActor(operation.mesh().mesh);
    const start = process.hrtime.bigint();
    // A busy boundary agent commits several checkpoints' worth at once (each append is a savepoint
    // inside the transaction): the log still never holds an entry without its checkpoint.
    const appendBatch = db.transaction((from: number, to: number) => {
      for (let done = from; done < to; done += CHECKPOINT_EVERY) log.append(draftsFor(who, done, Math.min(CHECKPOINT_EVERY, to - done)), new Date());
    });
    for (let done = 1; done < entries; done += CHECKPOINTS_PER_COMMIT * CHECKPOINT_EVERY) {
      appendBatch(done, Math.min(entries, done + CHECKPOINTS_PER_COMMIT * CHECKPOINT_EVERY));
    }
    return (entries - 1) / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    db.close();
  }
}

/** Seconds to verify the whole log at `path`; throws if it does not verify. */
export function verifyLogSeconds(path: string): number {
  const db = openDatabase(path);
  try {
    const start = process.hrtime.bigint();
    const report = createServices(db).audit.verify();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (report.failures.length > 0) throw new Error(`the bench log did not verify: ${report.failures[0]!.message}`);
    return seconds;
  } finally {
    db.close();
  }
}

export function withLogFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-log-'));
  return work(join(dir, 'entente.db')).finally(() => rmSync(dir, { recursive: true, force: true }));
}
