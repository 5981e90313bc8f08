/**
 * The store floor for the crossing bench (issue 13, "Speed"): the rows one import wrote, written
 * again into the same schema by prepared statements alone — no reading of the bundle, no check,
 * no canonical form, no log signature — in as many transactions as the import had blocks. What
 * the import costs beyond this is the pipeline's; this is what the schema itself allows.
 *
 * The rows are found by difference: every table of `imported` (a home after the import) less the
 * same table of `base` (its copy from before), read before the clock starts. Tables are written
 * in the order they were created, which is the order of their foreign keys.
 */
import { BLOCK_LINES } from '../core/boundary/bundle/format.js';
import { openDatabase } from '../core/store/database.js';
import { statementJournalsInMemory } from '../core/store/observation-store.js';

export interface StoreFloor {
  readonly rows: number;
  readonly transactions: number;
  readonly ms: number;
}

type Row = Record<string, unknown>;

export function storeFloor(basePath: string, importedPath: string, observations: number): StoreFloor {
  // The home's own connection (its pragmas: WAL, synchronous FULL, foreign keys), so each commit costs the same.
  const db = openDatabase(basePath);
  try {
    db.prepare('ATTACH DATABASE ? AS imported').run(importedPath);
    const tables = db
      .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
      .pluck()
      .all() as string[];
    // A table a trigger fills (migration 18's picture copy) is written by the inserts into its source table, as in the import.
    const triggerSql = db.prepare("SELECT sql FROM main.sqlite_master WHERE type = 'trigger'").pluck().all() as string[];
    const filledByTrigger = (table: string) => triggerSql.some((sql) => new RegExp(`INSERT\\s+(OR\\s+\\w+\\s+)?INTO\\s+"?${table}"?[\\s(]`, 'i').test(sql));
    const added = tables.filter((table) => !filledByTrigger(table)).map((table) => ({
      table,
      rows: db.prepare(`SELECT * FROM imported."${table}" EXCEPT SELECT * FROM main."${table}"`).all() as Row[],
    }));
    db.exec('DETACH DATABASE imported');
    // A row the import inserted and then updated (its bundle's import state) is written once, as it ended.
    for (const { table, rows } of added) {
      if (rows.length === 0) continue;
      const keys = db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`).pluck().all(table) as string[];
      if (keys.length > 0) {
        const drop = db.prepare(`DELETE FROM main."${table}" WHERE ${keys.map((k) => `"${k}" = ?`).join(' AND ')}`);
        for (const row of rows) drop.run(...keys.map((k) => row[k]));
      }
    }
    const statements = added.map(({ table, rows }) => {
      const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
      return { rows, insert: columns.length > 0 ? db.prepare(`INSERT INTO main."${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`) : undefined };
    });
    const transactions = Math.max(1, Math.ceil(observations / BLOCK_LINES));
    let rows = 0;
    // As the import keeps them (core/app/crossing/import.ts): its statement journals in memory.
    const restoreJournals = statementJournalsInMemory(db);
    const started = process.hrtime.bigint();
    for (let t = 0; t < transactions; t++) {
      db.transaction(() => {
        // Keys are checked at the commit, as the import's rows are all there by then.
        db.pragma('defer_foreign_keys = ON');
        for (const { rows: all, insert } of statements) {
          if (!insert) continue;
          // Rounded up, so a table of a few rows (a bundle's one set of crossing terms) is written first, before what names it.
          const from = Math.ceil((all.length * t) / transactions);
          const to = Math.ceil((all.length * (t + 1)) / transactions);
          for (let i = from; i < to; i++) insert.run(...Object.values(all[i]!));
          rows += to - from;
        }
      })();
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    restoreJournals();
    return { rows, transactions, ms };
  } finally {
    db.close();
  }
}
