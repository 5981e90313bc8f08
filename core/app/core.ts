/**
 * The composition root of the core: opens the workspace and wires the contract's handlers
 * and events to it. Each shell (Electron main, loopback host, tests) creates one of these
 * and binds `call` and `events` to its transport.
 */
import { dispatch } from '../api/dispatch.js';
import type { Envelope } from '../api/envelope.js';
import { CoreEvents } from '../api/events.js';
import { createCoreHandlers, type CoreHandlers } from '../api/handlers.js';
import type { OpenOptions } from '../store/database.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';

export interface Core {
  readonly workspace: Workspace;
  readonly handlers: CoreHandlers;
  readonly events: CoreEvents;
  /** Validates and runs one contract call from an untrusted caller; never throws. */
  call(method: unknown, args: unknown): Promise<Envelope<unknown>>;
  close(): void;
}

export function openCore(home: string, options: OpenOptions = {}): Core {
  const workspace = openWorkspace(home, options);
  const handlers = createCoreHandlers(workspace);
  const events = new CoreEvents();
  return {
    workspace,
    handlers,
    events,
    call: (method, args) => dispatch(handlers, method, args),
    close: () => workspace.close(),
  };
}
