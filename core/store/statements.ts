/**
 * Prepared statements kept per connection, for the store functions called once per item on a
 * hot path (a bundle's import asks a handful of them for every observation): preparing is most
 * of such a call's cost. Only for statements run with `get`, `run` or `all`, never `iterate`: a
 * cached statement is shared, and one still iterating would be busy for its next caller.
 */
import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
