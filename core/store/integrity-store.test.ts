/**
 * The integrity tables on a real store: a lineage walk over a 100,000-deep derivation chain runs
 * in a loop (no recursion to blow the stack), stops by name past its bound, and is not fooled
 * into looping by an edge planted in the file; taints keep their first cause; tombstones and
 * integrity events cannot be changed or removed.
 */
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test-support/temp-database.js';
import { descendantsOf, insertIntegrityEvent, insertTaints, insertTombstones, isPurged, readTaint } from './integrity-store.js';

const temp = useTempDatabase('entente-integrity-store-');

const idOf = (n: number) => n.toString(16).padStart(64, '0');

/** A chain 0 ← 1 ← 2 ← … ← n-1 (each derived from the one before), as bare rows: the walk reads edges only. */
function chain(n: number): void {
  const row = temp.db.prepare(
    `INSERT INTO observations (id, mesh, subject, class, observed_at, hlc_l, hlc_c, device, device_certificate, record, stored_at)
     VALUES (?, 'DEU', 's', 'track', '2026-12-01T00:00:00.000Z', ?, 0, 'd', ?, '{}', '2026-12-01T00:00:00.000Z')`,
  );
  const edge = temp.db.prepare('INSERT INTO observation_sources (observation_id, source_id) VALUES (?, ?)');
  temp.db.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      row.run(idOf(i), i, 'c'.repeat(64));
      if (i > 0) edge.run(idOf(i), idOf(i - 1));
    }
  })();
}

describe('the lineage walk', () => {
  it('follows a 100,000-deep chain to its end without recursion', () => {
    chain(100_000);
    const started = Date.now();
    const found = descendantsOf(temp.db, [idOf(0)])!;
    expect(found.size).toBe(99_999);
    expect(found.get(idOf(99_999))).toEqual({ root: idOf(0), parent: idOf(99_998) });
    expect(found.has(idOf(0))).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(descendantsOf(temp.db, [idOf(50_000)])!.size).toBe(49_999);
  });

  it('stops past its bound, and an edge planted to make a loop is walked once', () => {
    chain(10);
    expect(descendantsOf(temp.db, [idOf(0)], 5)).toBeNull();
    temp.db.prepare('INSERT INTO observation_sources (observation_id, source_id) VALUES (?, ?)').run(idOf(0), idOf(9));
    expect(descendantsOf(temp.db, [idOf(3)])!.size).toBe(9);
  });
});

describe('taints, tombstones and events', () => {
  it('keep what was first recorded, and cannot be changed or removed', () => {
    const taint = { observationId: idOf(1), since: '2026-12-01T00:00:00.000Z', markedAt: '2026-12-01T01:00:00.000Z', evidence: '{}' };
    expect(insertTaints(temp.db, [{ ...taint, cause: 'compromised-credential' }])).toEqual([idOf(1)]);
    expect(insertTaints(temp.db, [{ ...taint, cause: 'tainted-source' }])).toEqual([]);
    expect(readTaint(temp.db, idOf(1))!.cause).toBe('compromised-credential');
    expect(() => insertTaints(temp.db, [{ ...taint, observationId: idOf(2), cause: 'made-up' as 'tainted-source' }])).toThrow(/CHECK/);
    expect(() => temp.db.prepare('UPDATE taints SET cause = ?').run('tainted-source')).toThrow(/immutable/);
    expect(() => temp.db.prepare('DELETE FROM taints').run()).toThrow(/append-only/);

    insertTombstones(temp.db, [idOf(3)], 'exercise-1', '2026-12-01T02:00:00.000Z');
    insertTombstones(temp.db, [idOf(3)], 'exercise-2', '2026-12-01T03:00:00.000Z');
    expect(isPurged(temp.db, idOf(3))).toBe(true);
    expect(isPurged(temp.db, idOf(4))).toBe(false);
    expect(() => temp.db.prepare('UPDATE tombstones SET federation = ?').run('x')).toThrow(/immutable/);

    insertIntegrityEvent(temp.db, { id: idOf(5), kind: 'taint', partner: 'NLD', federation: null, at: '2026-12-01T00:00:00.000Z', evidence: '{}', message: 'm', logSeq: 0 });
    expect(() => temp.db.prepare('DELETE FROM integrity_events').run()).toThrow(/append-only/);
    expect(() => temp.db.prepare('UPDATE integrity_events SET message = ?').run('quietly changed')).toThrow(/immutable/);
  });
});
