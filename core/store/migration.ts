/**
 * What one schema migration is: its `PRAGMA user_version`, a name for messages, and the change.
 * A module of its own so the numbered migrations and the runner that applies them (migrate.ts)
 * both depend on it, and not on each other.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}
