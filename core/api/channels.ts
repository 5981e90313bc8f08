/**
 * Channel names for Electron IPC, derived from the contract so that no name is written
 * twice (the preload and the main process both call these).
 */
import type { EventName, MethodName } from './contract/index.js';

export const methodChannel = (method: MethodName): string => `entente:call:${method}`;
export const eventChannel = (event: EventName): string => `entente:event:${event}`;
/** The shell's own channel (not a contract method): a dropped bundle's path, for main to stage (electron/staging-ipc.ts). */
export const STAGE_BUNDLE_CHANNEL = 'entente:shell:stage-bundle';
/** The loopback host's path that takes a dropped bundle's bytes (core/serve/loopback-host.ts, its browser bridge). */
export const STAGING_PATH = '/staging';
