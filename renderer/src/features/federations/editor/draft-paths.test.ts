/** The editor's path helpers: each field reads and writes the member its issue names. */
import { describe, expect, it } from 'vitest';
import { getAt, issuesAt, listFrom, setAt } from './draft-paths.js';

describe('draft paths', () => {
  it('reads and writes by dotted path, copying only along it', () => {
    const draft = { purpose: '', scope: [{ classes: ['track'], ceiling: { classification: 'SECRET' } }, { classes: [] }], other: { kept: true } };
    expect(getAt(draft, 'scope.0.ceiling.classification')).toBe('SECRET');
    expect(getAt(draft, 'scope.5.classes')).toBeUndefined();
    const next = setAt(draft, 'scope.0.classes', ['track', 'incident']);
    expect(next.scope[0]!.classes).toEqual(['track', 'incident']);
    expect(Array.isArray(next.scope)).toBe(true);
    expect(draft.scope[0]!.classes).toEqual(['track']);
    expect(next.other).toBe(draft.other);
    expect(next.scope[1]).toBe(draft.scope[1]);
  });

  it('finds the issues of a field and reads lists', () => {
    const issues = [{ path: 'scope.0.classes.1' }, { path: 'scope.10' }, { path: 'purpose' }];
    expect(issuesAt(issues, 'scope.0.classes')).toEqual([{ path: 'scope.0.classes.1' }]);
    expect(issuesAt(issues, 'scope.1')).toEqual([]);
    expect(listFrom(' track, incident ,, ')).toEqual(['track', 'incident']);
  });
});
