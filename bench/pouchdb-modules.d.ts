/**
 * The little of PouchDB 9 (`pouchdb-node`: the leveldb adapter and replication) and of its two
 * dump/load plugins that the air-gap baseline uses. The packages ship no types; these are written
 * from their documented APIs (pouchdb.com/api.html, the plugins' READMEs).
 */
declare module 'pouchdb-node' {
  import type { Readable, Writable } from 'node:stream';

  export interface PouchDoc {
    readonly _id: string;
    readonly _rev?: string;
    readonly [field: string]: unknown;
  }

  export interface BulkResult {
    readonly ok?: boolean;
    readonly id?: string;
    readonly error?: boolean | string;
    readonly reason?: string;
  }

  export interface PouchDatabase {
    bulkDocs(docs: readonly PouchDoc[]): Promise<BulkResult[]>;
    allDocs(options: { include_docs: true; limit?: number; startkey?: string; skip?: number }): Promise<{ total_rows: number; rows: { id: string; doc: PouchDoc }[] }>;
    info(): Promise<{ doc_count: number; update_seq: number | string; db_name: string }>;
    close(): Promise<void>;
    /** pouchdb-replication-stream: the database as NDJSON, through replication, to `stream`. */
    dump(stream: Writable, options?: { batch_size?: number }): Promise<{ ok: boolean }>;
    /** pouchdb-replication-stream: reads such a stream into the database (`bulkDocs` with `new_edits: false`). */
    load(stream: Readable): Promise<{ ok: boolean }>;
    /** pouchdb-load's `load`, registered under another name because the two plugins' clash. */
    loadIt(dump: string): Promise<void>;
  }

  export interface PouchStatic {
    new (name: string, options?: { adapter?: string }): PouchDatabase;
    plugin(plugin: object): PouchStatic;
    adapter(name: string, adapter: unknown): void;
    /** Two-way replication until both sides hold every document (pouchdb.com/api.html#sync); settles when it completes. */
    sync(source: PouchDatabase, target: PouchDatabase, options?: { batch_size?: number }): PromiseLike<{ push: { docs_written: number }; pull: { docs_written: number } }>;
    readonly version: string;
  }

  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-replication-stream' {
  export const plugin: object;
  export const adapters: { readonly writableStream: unknown };
}

declare module 'pouchdb-load' {
  export const load: (this: unknown, dump: string) => Promise<void>;
}
