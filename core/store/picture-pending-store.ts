/**
 * The subjects whose picture rows lag the store until an import recomputes them (migration 20;
 * core/app/reconcile/deferred-picture.ts).
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

/** Names the subjects as waiting for their recomputation, in the caller's transaction; each once. */
export function markPicturePending(db: WriteDb, subjects: Iterable<string>): void {
  const insert = cachedStatement(db, 'INSERT INTO picture_pending (subject) VALUES (?) ON CONFLICT DO NOTHING');
  for (const subject of subjects) insert.run(subject);
}

/** Every subject waiting, sorted. */
export function picturePendingSubjects(db: ReadDb): string[] {
  return cachedStatement(db, 'SELECT subject FROM picture_pending ORDER BY subject').pluck().all() as string[];
}

export function countPicturePending(db: ReadDb): number {
  return cachedStatement(db, 'SELECT COUNT(*) FROM picture_pending').pluck().get() as number;
}

/** Nothing waits any more: every pending subject has just been recomputed. */
export function clearPicturePending(db: WriteDb): void {
  cachedStatement(db, 'DELETE FROM picture_pending').run();
}
