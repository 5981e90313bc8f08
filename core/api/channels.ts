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
/** The shell's other channel: save a prepared export (core/workspace/exports.ts) where the officer chooses (electron/export-ipc.ts). */
export const SAVE_EXPORT_CHANNEL = 'entente:shell:save-export';
/** The loopback host's path a prepared export is downloaded from: `/exports/<export id>/<kind>?name=<file name>`. */
export const EXPORTS_PATH = '/exports';

/** A file name safe to suggest for a download or a save dialog: letters, digits, . _ - only, at most 128. */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 128);
  return cleaned === '' ? fallback : cleaned;
}
