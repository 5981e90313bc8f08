/**
 * Read and write handles are different types: a WriteDb serves wherever a ReadDb is asked for,
 * never the reverse. The `@ts-expect-error` lines are the test — tsc (tests are in tsconfig.json)
 * fails if a store function that writes ever accepts a ReadDb.
 */
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test-support/temp-database.js';
import { hasActivationEntry } from './audit-store.js';
import type { ReadDb, WriteDb } from './database.js';
import { raiseTimeFloor, readTimeFloor } from './federation-store.js';
import { insertMesh } from './mesh-store.js';

const temp = useTempDatabase('entente-handles-');

/** What a view is given: the same connection, typed so that it can only read. */
const readerOf = (write: WriteDb): ReadDb => write;

describe('store handles', () => {
  it('lets a reader read what a writer wrote', () => {
    raiseTimeFloor(temp.db, '2026-12-01T00:00:00.000Z');
    expect(readTimeFloor(readerOf(temp.db))).toBe('2026-12-01T00:00:00.000Z');
    expect(hasActivationEntry(readerOf(temp.db), 'deu-00000000', 1)).toBe(false);
  });

  it('refuses, at compile time, a reader where a store function writes', () => {
    const reader = readerOf(temp.db);
    const attempts = [
      // @ts-expect-error a ReadDb cannot raise the trusted-time floor
      () => raiseTimeFloor(reader, '2030-01-01T00:00:00.000Z'),
      // @ts-expect-error a ReadDb cannot write the mesh row
      () => insertMesh(reader, { code: 'DEU', displayName: 'x', anchorSha256: 'a', issuerSha256: 'b', labelPolicy: '{}', keysEncrypted: false, createdAt: '' }),
    ];
    // Never run: the point is that they do not compile. The floor stays unset.
    expect(attempts).toHaveLength(2);
    expect(readTimeFloor(reader)).toBeUndefined();
  });

  it('does not take a raw better-sqlite3 connection as either handle', async () => {
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(':memory:');
    // @ts-expect-error only openDatabase makes a handle (it migrates and sets the pragmas first)
    const untyped: ReadDb = raw;
    expect(untyped).toBe(raw);
    raw.close();
  });
});
