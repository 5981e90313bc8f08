/**
 * The core in a worker thread of this process, behind `CoreConnection`: the shell's thread only
 * posts calls and delivers answers and events, so a long call (a deep page, a verification of
 * the whole log) never stalls its event loop. A worker that dies answers every pending and later
 * call `unavailable`; nothing here hangs, throws or rejects once the workspace has opened.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { CoreConnection } from '../connection.js';
import { fail, type Envelope } from '../envelope.js';
import { CoreEvents } from '../events.js';
import { isEventName } from '../contract/index.js';
import type { OpenOptions } from '../../store/database.js';
import { StoreOpenError } from '../../store/errors.js';
import type { CoreWorkerData, FromCoreWorker, OpenFailure, ToCoreWorker } from './messages.js';

/** Where scripts/build.mjs puts the worker, relative to dist/ (CommonJS: Electron's main loads it from its archive too). */
export const CORE_WORKER_IN_DIST = join('core', 'core-worker.cjs');

export interface CoreWorkerOptions extends OpenOptions {
  /** The built worker (dist/core/core-worker.cjs): worker threads load JavaScript only. */
  readonly workerFile: string;
}

/** How long `close()` waits for the worker to close its store before ending the thread regardless. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Resolves once the worker has opened the workspace; rejects with the store's own error (a
 * `StoreOpenError` naming its reason, or the file system's error with its code) if it cannot.
 */
export function startCoreWorker(home: string, options: CoreWorkerOptions): Promise<CoreConnection> {
  if (!existsSync(options.workerFile)) {
    return Promise.reject(new Error(`The core's worker thread is not built (${options.workerFile} is missing): run \`npm run build\`.`));
  }
  const data: CoreWorkerData = options.nativeBinding ? { home, nativeBinding: options.nativeBinding } : { home };
  const worker = new Worker(options.workerFile, { workerData: data });
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const events = new CoreEvents();
  let nextSeq = 1;
  /** Why calls are refused now: the sentence every later call answers with; null while serving. */
  let stopped: string | null = null;
  let crash: Error | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  function stop(reason: string): void {
    stopped ??= reason;
    for (const answer of pending.values()) answer(fail('unavailable', stopped));
    pending.clear();
  }

  const connection: CoreConnection = {
    call(method, args) {
      if (stopped !== null) return Promise.resolve(fail('unavailable', stopped));
      const seq = nextSeq++;
      const answered = new Promise<Envelope<unknown>>((resolve) => pending.set(seq, resolve));
      try {
        worker.postMessage({ type: 'call', seq, method, args } satisfies ToCoreWorker);
      } catch {
        // Structured clone refused the argument (a function, a symbol): it is not plain data either.
        pending.delete(seq);
        return Promise.resolve(fail('invalid-arguments', `Arguments to ${describeName(method)} refused: they could not be read as plain data.`));
      }
      return answered;
    },
    subscribe: (listener) => events.subscribe(listener),
    async close() {
      if (stopped === null) {
        // Later calls are refused at once; the worker answers those already posted before it
        // closes the store, so none is cut short.
        stopped = 'The core is closed.';
        worker.postMessage({ type: 'close' } satisfies ToCoreWorker);
      }
      const grace = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(grace);
    },
  };

  return new Promise((resolve, reject) => {
    let opened = false;
    worker.on('message', (message: FromCoreWorker) => {
      switch (message.type) {
        case 'ready':
          opened = true;
          return resolve(connection);
        case 'open-failed':
          return reject(openError(message.failure));
        case 'answer': {
          const answer = pending.get(message.seq);
          pending.delete(message.seq);
          return answer?.(message.envelope);
        }
        case 'event':
          return deliver(events, message.event, message.payload);
      }
    });
    // Without these listeners a crash in the worker would be rethrown here, in the shell's thread.
    worker.on('error', (error) => (crash = error));
    // An answer that cannot be read would leave its call waiting forever: end the worker instead.
    worker.on('messageerror', (error) => {
      crash = error;
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      stop(crash ? `The core stopped unexpectedly: ${crash.message.replace(/\.$/, '')}.` : `The core stopped unexpectedly (its thread exited with code ${code}).`);
      if (!opened) reject(crash ?? new Error(`The core's worker thread exited (code ${code}) before the workspace opened.`));
    });
  });
}

/** Re-checked here too (events are untrusted-ish once they crossed); a bad one is warned about, never thrown. */
function deliver(events: CoreEvents, event: string, payload: unknown): void {
  try {
    if (!isEventName(event)) throw new Error(`"${event.slice(0, 64)}" is not an event of the contract`);
    events.publish(event, payload as never);
  } catch (error) {
    process.emitWarning(`An event from the core was dropped: ${error instanceof Error ? error.message : String(error)}`, 'EntenteEventWarning');
  }
}

function openError(failure: OpenFailure): Error {
  if (failure.store) return new StoreOpenError(failure.store.path, failure.store.reason, failure.message);
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}

function describeName(name: unknown): string {
  return typeof name === 'string' ? name.slice(0, 64) : typeof name;
}
