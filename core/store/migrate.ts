/**
 * Schema migrations by `PRAGMA user_version`: one numbered file per migration in
 * `migrations/`, applied in order, each in its own transaction together with the version
 * bump, so a crash leaves the store at one version or the next, never between.
 */
import type Database from 'better-sqlite3';
import { StoreOpenError } from './errors.js';
import { migrations } from './migrations/index.js';

export type { Migration } from './migration.js';

export const LATEST_SCHEMA_VERSION = migrations.at(-1)!.version;

export function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new StoreOpenError(path, 'newer-schema', `${path} has schema version ${current}, newer than this Entente understands (${LATEST_SCHEMA_VERSION}); upgrade Entente.`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
