/**
 * The core in this thread: opens the workspace, builds the app's services over it, and wires the
 * contract's handlers and events to them, with the change watcher publishing what any process
 * changes in the store. Tests and the CLI hold one of these directly; the shells reach it
 * through a `CoreConnection` (see connection.ts), in a worker thread of their process.
 */
import { createChangeWatcher, type Change } from '../app/changes/index.js';
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
  const events = new CoreEvents();
  const handlers = createCoreHandlers(workspace, services, (event, payload) => events.publish(event, payload));
  const watcher = createChangeWatcher(workspace, (change) => publishChange(events, change));
  watcher.start();
  return {
    workspace,
    handlers,
    services,
    events,
    call: (method, args) => dispatch(handlers, method, args),
    close: () => {
      // Stopped first: no poll may read a closed store.
      watcher.stop();
      workspace.close();
    },
  };
}

/** One case per event, so the compiler checks each change's payload against its event's. */
function publishChange(events: CoreEvents, change: Change): void {
  switch (change.event) {
    case 'meshChanged':
      return events.publish(change.event, change.payload);
    case 'observationsAdmitted':
      return events.publish(change.event, change.payload);
    case 'auditAppended':
      return events.publish(change.event, change.payload);
    case 'federationsChanged':
      return events.publish(change.event, change.payload);
    case 'workspaceChanged':
      return events.publish(change.event, change.payload);
    case 'crossingChanged':
      return events.publish(change.event, change.payload);
    case 'linksChanged':
    case 'pictureChanged':
      return events.publish(change.event, change.payload);
    default:
      return change satisfies never;
  }
}
