/**
 * Channel names for Electron IPC, derived from the contract so that no name is written
 * twice (the preload and the main process both call these).
 */
import type { EventName, MethodName } from './contract/index.js';

export const methodChannel = (method: MethodName): string => `entente:call:${method}`;
export const eventChannel = (event: EventName): string => `entente:event:${event}`;
