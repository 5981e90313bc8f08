/** Crossing rows in a real store file: their terms kept once, and never a row naming terms that were rolled back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCrossing, readCrossing, type CrossingRow } from './crossing-store.js';
import { openDatabase, type WriteDb } from './database.js';

let dir: string;
let db: WriteDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-crossing-store-'));
  db = openDatabase(join(dir, 'entente.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const hex = (n: number) => n.toString(16).padStart(64, '0');
function row(n: number, caveats = '["EXERCISE ONLY"]'): CrossingRow {
  return {
    observationId: hex(n),
    federation: 'f1',
    version: 1,
    origin: 'DEU',
    partner: 'DEU',
    agent: 'DEU:gw-1',
    agentCertificate: hex(1000),
    bundle: hex(2000),
    line: n + 1,
    releaseAuthority: 'DEU national release authority',
    alternativeLabel: '{"kind":"alternative"}',
    translations: '[]',
    attestations: '[]',
    caveats,
    onwardRelease: 'permitted',
    outcome: 'admitted',
    admittedAt: '2026-11-23T08:00:00.000Z',
  };
}
const termsRows = () => db.prepare('SELECT COUNT(*) FROM crossing_terms').pluck().get() as number;

describe('crossing rows', () => {
  it("write their terms once per transaction that keeps a set of them, and each row reads back with its own", () => {
    db.transaction(() => {
      const written = new Set<string>();
      for (const n of [1, 2, 3]) insertCrossing(db, row(n), written);
      insertCrossing(db, row(4, '[]'), written);
      expect(written.size).toBe(2);
    })();
    expect(termsRows()).toBe(2);
    expect([1, 2, 3, 4].map((n) => readCrossing(db, hex(n))?.caveats)).toEqual(['["EXERCISE ONLY"]', '["EXERCISE ONLY"]', '["EXERCISE ONLY"]', '[]']);
  });

  it('write terms again after the transaction that first wrote them was rolled back, and a set kept past that rollback is refused, not believed', () => {
    const rolledBack = new Set<string>();
    expect(() =>
      db.transaction(() => {
        insertCrossing(db, row(1, '["NEW"]'), rolledBack);
        throw new Error('the block fails');
      })(),
    ).toThrow('the block fails');
    expect(termsRows()).toBe(0);
    // A fresh transaction with a fresh set writes them again.
    db.transaction(() => insertCrossing(db, row(2, '["NEW"]'), new Set()))();
    expect(readCrossing(db, hex(2))?.caveats).toBe('["NEW"]');
    // Misused, a set from the rolled-back transaction skips the terms row: the foreign key refuses the crossing row.
    db.prepare('DELETE FROM crossings').run();
    db.prepare('DELETE FROM crossing_terms').run();
    expect(() => db.transaction(() => insertCrossing(db, row(3, '["NEW"]'), rolledBack))()).toThrow(/FOREIGN KEY/);
    expect(readCrossing(db, hex(3))).toBeUndefined();
  });
});
