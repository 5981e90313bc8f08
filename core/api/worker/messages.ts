/**
 * The messages between a shell's thread and the core's worker thread (`core-worker.ts`), as one
 * typed union each way. Calls carry a sequence number; the worker answers each with its envelope.
 */
import type { Envelope } from '../envelope.js';
import type { StoreOpenError } from '../../store/errors.js';

/** What the worker is started with (`workerData`). */
export interface CoreWorkerData {
  readonly home: string;
  /** better-sqlite3 built for another runtime's ABI (Electron's), as `openCore` takes it. */
  readonly nativeBinding?: string;
}

export type ToCoreWorker =
  | { readonly type: 'call'; readonly seq: number; readonly method: unknown; readonly args: unknown }
  /** Close the store and end the thread; calls sent before it are answered first. */
  | { readonly type: 'close' };

export type FromCoreWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'open-failed'; readonly failure: OpenFailure }
  | { readonly type: 'answer'; readonly seq: number; readonly envelope: Envelope<unknown> }
  /** Checked against the contract in the worker before it was posted. */
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

/** Why the workspace did not open, in a form that crosses threads (an Error's class does not). */
export interface OpenFailure {
  readonly message: string;
  /** Set when the store refused the file (a foreign database, a newer schema…). */
  readonly store?: { readonly path: string; readonly reason: StoreOpenError['reason'] };
  /** A Node error code (EACCES…), when the file system refused. */
  readonly code?: string;
}
