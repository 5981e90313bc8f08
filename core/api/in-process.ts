/**
 * The core in this thread behind `CoreConnection`: for tests and one-shot tools that want the
 * shells' interface without a worker. A long call here blocks the caller's event loop, which is
 * why the shells use `startCoreWorker` instead.
 */
import type { CoreConnection } from './connection.js';
import { fail } from './envelope.js';
import type { Core } from './open-core.js';

export function connectInProcess(core: Core): CoreConnection {
  let closed = false;
  return {
    call: (method, args) => (closed ? Promise.resolve(fail('unavailable', 'The core is closed.')) : core.call(method, args)),
    subscribe: (listener) => core.events.subscribe(listener),
    close: () => {
      if (!closed) core.close();
      closed = true;
      return Promise.resolve();
    },
  };
}
