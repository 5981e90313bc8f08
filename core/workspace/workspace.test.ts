/** A workspace home: created owner-only on first use, with an identity that survives reopening. */
import { mkdirSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { openWorkspace } from './workspace.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir()));
afterEach(() => dir.remove());

describe('openWorkspace', () => {
  it('creates the home with owner-only permissions and a SHA-256 identity', () => {
    const workspace = openWorkspace(dir.file('a/b/home'));
    const info = workspace.info();
    workspace.close();
    expect(statSync(dir.file('a/b/home')).mode & 0o777).toBe(0o700);
    expect(info.workspaceId).toMatch(/^[0-9a-f]{64}$/);
    expect(info.databasePath).toBe(dir.file('a/b/home/entente.db'));
  });

  it('keeps the store owner-only in a home that already existed with wider permissions', () => {
    mkdirSync(dir.file('shared'), { mode: 0o755 });
    const workspace = openWorkspace(dir.file('shared'));
    // Written once, so the WAL file exists too.
    workspace.info();
    for (const file of ['entente.db', 'entente.db-wal']) expect(statSync(dir.file(`shared/${file}`)).mode & 0o777, file).toBe(0o600);
    workspace.close();
  });

  it('keeps its identity and creation time across reopening', () => {
    const first = openWorkspace(dir.file('home'));
    const before = first.info();
    first.close();
    const second = openWorkspace(dir.file('home'));
    expect(second.info()).toEqual(before);
    second.close();
  });

  it('gives each new home its own identity', () => {
    const ids = ['one', 'two'].map((name) => {
      const workspace = openWorkspace(dir.file(name));
      const { workspaceId } = workspace.info();
      workspace.close();
      return workspaceId;
    });
    expect(ids[0]).not.toBe(ids[1]);
  });
});
