/**
 * The core's worker thread (bundled to dist/core/core-worker.cjs): opens the workspace with
 * `openCore`, answers each call through the contract's own door (`dispatch`, which checks every
 * argument here, in the worker) and posts the core's events back to the shell's thread.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { fail } from '../envelope.js';
import { openCore, type Core } from '../open-core.js';
import { StoreOpenError } from '../../store/errors.js';
import type { CoreWorkerData, FromCoreWorker, OpenFailure, ToCoreWorker } from './messages.js';

if (!parentPort) throw new Error('core-worker runs in a worker thread started by startCoreWorker.');
serve(parentPort, workerData as CoreWorkerData);

function serve(port: MessagePort, { home, nativeBinding }: CoreWorkerData): void {
  const post = (message: FromCoreWorker) => port.postMessage(message);
  let core: Core;
  try {
    core = openCore(home, nativeBinding ? { nativeBinding } : {});
  } catch (error) {
    // Nothing listens on the port yet, so the thread ends once this is posted.
    post({ type: 'open-failed', failure: openFailure(error) });
    return;
  }
  core.events.subscribe((event, payload) => post({ type: 'event', event, payload }));
  // Calls whose handlers are still awaiting something: the store stays open until they answer.
  const inFlight = new Set<Promise<void>>();
  port.on('message', (message: ToCoreWorker) => {
    if (message.type === 'close') {
      void Promise.allSettled(inFlight).then(() => {
        core.close();
        // With the port closed nothing keeps the thread alive: it ends, and the shell sees it exit.
        port.close();
      });
      return;
    }
    const { seq } = message;
    const answering = core.call(message.method, message.args).then((envelope) => {
      try {
        post({ type: 'answer', seq, envelope });
      } catch {
        // Results are schema-checked plain data; this guards against a contract that one day is not.
        post({ type: 'answer', seq, envelope: fail('internal', 'The core answered with data that cannot reach the shell.') });
      }
    });
    inFlight.add(answering);
    void answering.finally(() => inFlight.delete(answering));
  });
  post({ type: 'ready' });
}

function openFailure(error: unknown): OpenFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof StoreOpenError) return { message, store: { path: error.path, reason: error.reason } };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}
