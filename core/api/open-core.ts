/**
 * The core in this thread: opens the workspace, builds the app's services over it, and wires the
 * contract's handlers and events to them. Tests and the CLI hold one of these directly; the shells reach it through a
 * `CoreConnection` (see connection.ts), in a worker thread of their process.
 */
import { dispatch } from './dispatch.js';
import type { Envelope } from './envelope.js';
import { CoreEvents } from './events.js';
import { createCoreHandlers, type CoreHandlers } from './handlers.js';
import { createServices, type Services, type ServicesOptions } from '../app/services.js';
import type { OpenOptions } from '../store/database.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';

export interface Core {
  readonly workspace: Workspace;
  readonly handlers: CoreHandlers;
  /** The app's services over this workspace (the CLI calls them directly). */
  readonly services: Services;
  readonly events: CoreEvents;
  /** Validates and runs one contract call from an untrusted caller; never throws. */
  call(method: unknown, args: unknown): Promise<Envelope<unknown>>;
  close(): void;
}

/** Where the store is, and the services' passphrase (a value or a prompt) and clock. */
export type CoreOptions = OpenOptions & ServicesOptions;

export function openCore(home: string, options: CoreOptions = {}): Core {
  const workspace = openWorkspace(home, options);
  const services = createServices(workspace, options);
  const handlers = createCoreHandlers(workspace, services);
  const events = new CoreEvents();
  return {
    workspace,
    handlers,
    services,
    events,
    call: (method, args) => dispatch(handlers, method, args),
    close: () => workspace.close(),
  };
}
