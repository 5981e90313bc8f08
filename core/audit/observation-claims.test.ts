/** Which log entries claim an observation is stored, and which purge one. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './entry.js';
import { addClaims, emptyClaims } from './observation-claims.js';

const id = (n: number) => n.toString(16).padStart(64, '0');
const entry = (seq: number, type: AuditEntry['type'], ids: string[], reasons: string[]) => ({ seq, type, what: { ids }, why: { reasons } }) as unknown as AuditEntry;

describe('observation claims', () => {
  it('a recording claims its first id (not its sources), an admitted crossing its id, a purge every id it names', () => {
    const claims = emptyClaims();
    addClaims(claims, entry(0, 'observation', [id(1)], ['recorded']));
    addClaims(claims, entry(1, 'observation', [id(2), id(1), id(9)], ['derived']));
    addClaims(claims, entry(2, 'crossing', [id(3)], ['admitted']));
    addClaims(claims, entry(3, 'crossing', [id(4)], ['in-scope', 'below-ceiling']));
    addClaims(claims, entry(4, 'rejection', [id(5)], ['above-ceiling']));
    addClaims(claims, entry(5, 'purge', [id(3), id(2)], ['federation-withdrawn']));
    addClaims(claims, entry(6, 'observation', [id(1)], ['recorded']));
    expect([...claims.stored]).toEqual([[id(1), 0], [id(2), 1], [id(3), 2]]);
    expect([...claims.purged].sort()).toEqual([id(2), id(3)]);
  });
});
