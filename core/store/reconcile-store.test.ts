/**
 * The reconciliation store's reads as SQLite plans them (docs/decisions/0007, "Keeping the
 * picture"): a subject's decisions come through migration 19's partial index, so recomputing a
 * subject in a store of a million does not walk its whole history to find usually none.
 */
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test-support/temp-database.js';
import { SUBJECT_DECISIONS_SQL, subjectDecisionRows } from './reconcile-store.js';

const store = useTempDatabase();

describe('reconcile store', () => {
  it("reads a subject's decisions through migration 19's partial index, not through the subject's whole history", () => {
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${SUBJECT_DECISIONS_SQL}`).all('track:1') as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('USING INDEX picture_decisions (subject=?)');
    expect(subjectDecisionRows(store.db, 'track:1')).toEqual([]);
  });
});
