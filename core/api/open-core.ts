/**
 * The core in this thread: opens the workspace and wires the contract's handlers and events to
 * it. Tests and the CLI hold one of these directly; the shells reach it through a
 * `CoreConnection` (see connection.ts), in a worker thread of their process.
 */
import { dispatch } from './dispatch.js';
import type { Envelope } from './envelope.js';
import { CoreEvents } from './events.js';
import { createCoreHandlers, type CoreHandlers } from './handlers.js';
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
