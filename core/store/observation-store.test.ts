/** Observations in a real store file: appended once, immutable, found by subject, class and mesh. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type WriteDb } from './database.js';
import { appendObservations, countObservations, listObservations, readObservation, statementJournalsInMemory, type ObservationRow } from './observation-store.js';

let dir: string;
let db: WriteDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-obs-store-'));
  db = openDatabase(join(dir, 'entente.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const hex = (n: number) => n.toString(16).padStart(64, '0');
function row(n: number, overrides: Partial<ObservationRow> = {}): ObservationRow {
  return {
    id: hex(n),
    mesh: 'DEU',
    subject: `track:${n % 3}`,
    class: n % 2 === 0 ? 'track' : 'assessment',
    observedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    hlcL: 1_700_000_000_000 + n * 1000,
    hlcC: 0,
    device: 'uav-7',
    deviceCertificate: hex(999),
    record: JSON.stringify({ n }),
    storedAt: new Date().toISOString(),
    sources: [],
    ...overrides,
  };
}

describe('observation store', () => {
  it('appends a batch in one transaction and ignores a record it already holds', () => {
    expect(appendObservations(db, [row(1), row(2), row(3)])).toBe(3);
    expect(appendObservations(db, [row(2), row(4)])).toBe(1);
    expect(countObservations(db)).toBe(4);
  });

  it('writes nothing of a batch that fails part-way', () => {
    const bad = { ...row(6), id: 'not-a-sha256' };
    expect(() => appendObservations(db, [row(5), bad])).toThrow();
    expect(countObservations(db)).toBe(0);
  });

  it('keeps sources, including ones it does not hold', () => {
    appendObservations(db, [row(1), row(2, { sources: [hex(1), hex(77)] })]);
    expect(readObservation(db, hex(2))?.sources).toEqual([hex(1), hex(77)]);
  });

  it('refuses to change or delete a stored observation', () => {
    appendObservations(db, [row(1)]);
    expect(() => db.prepare("UPDATE observations SET subject = 'other'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM observations').run()).toThrow(/append-only/);
    expect(readObservation(db, hex(1))?.subject).toBe('track:1');
  });

  it('lists newest first, filtered by subject, class and mesh', () => {
    appendObservations(db, [1, 2, 3, 4, 5, 6].map((n) => row(n)));
    expect(listObservations(db, { limit: 10 }).map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1].map(hex));
    expect(listObservations(db, { subject: 'track:0', limit: 10 }).map((r) => r.id)).toEqual([hex(6), hex(3)]);
    expect(listObservations(db, { class: 'track', limit: 2, offset: 1 }).map((r) => r.id)).toEqual([hex(4), hex(2)]);
    expect(listObservations(db, { mesh: 'NLD', limit: 10 })).toEqual([]);
    expect(countObservations(db, { subject: 'track:0' })).toBe(2);
  });

  it('finds subjects by prefix and a time window, and orders by the column asked', () => {
    appendObservations(db, [1, 2, 3, 4, 5, 6].map((n) => row(n, { subject: n === 6 ? 'track_%' : `track:${n}${n}` })));
    const ids = (filter: Parameters<typeof listObservations>[1]) => listObservations(db, filter).map((r) => Number.parseInt(r.id, 16));
    expect(ids({ subjectPrefix: 'track:', limit: 10 })).toEqual([5, 4, 3, 2, 1]);
    expect(ids({ subjectPrefix: 'track:3', limit: 10 })).toEqual([3]);
    // LIKE's wildcards are plain characters in a prefix.
    expect(ids({ subjectPrefix: 'track_', limit: 10 })).toEqual([6]);
    expect(countObservations(db, { subjectPrefix: '%' })).toBe(0);
    const at = (n: number) => new Date(1_700_000_000_000 + n * 1000).toISOString();
    expect(ids({ observedFrom: at(2), observedBefore: at(5), limit: 10 })).toEqual([4, 3, 2]);
    expect(ids({ sort: 'subject', limit: 10 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids({ sort: 'subject', descending: true, limit: 2 })).toEqual([6, 5]);
    expect(ids({ sort: 'observed', limit: 3 })).toEqual([1, 2, 3]);
    expect(ids({ sort: 'class', limit: 10 })).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('keeps statement journals in memory until told to restore the setting it found, and a rolled-back block leaves nothing', () => {
    const tempStore = () => db.pragma('temp_store', { simple: true });
    expect(tempStore()).toBe(0);
    const restore = statementJournalsInMemory(db);
    expect(tempStore()).toBe(2);
    // Nested: the inner call finds MEMORY and leaves it to the outer one.
    statementJournalsInMemory(db)();
    expect(tempStore()).toBe(2);
    appendObservations(db, [row(1), row(2)]);
    // A block whose second insert fails is taken back whole, its journals in memory or not.
    expect(() => db.transaction(() => appendObservations(db, [row(3), row(4, { id: 'short' })]))()).toThrow(/CHECK/);
    expect(countObservations(db)).toBe(2);
    restore();
    expect(tempStore()).toBe(0);
  });
});
