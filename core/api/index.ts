/** The contract between the console and the core, and the helpers both shells bind it with. */
export * from './contract/index.js';
export * from './envelope.js';
export * from './channels.js';
export * from './events.js';
export { dispatch } from './dispatch.js';
export { createCoreHandlers, type CoreHandlers } from './handlers.js';
export type { EntenteBridge } from './bridge.js';
