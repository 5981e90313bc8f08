/**
 * Staging a dropped bundle in the Electron shell: the preload turns the dropped `File` into its
 * path (Electron's `webUtils.getPathForFile`, the only way a sandboxed page names a file) and
 * main reads it, after checking the sender frame and the path — an absolute path to a regular
 * file within the size bound — and copies it into the workspace's staging/. The renderer never
 * opens a file; a path it invents that is not a regular file is refused.
 */
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { STAGE_BUNDLE_CHANNEL } from '../core/api/channels.js';
import { fail, ok, type Envelope } from '../core/api/envelope.js';
import { MAX_STAGED_BUNDLE_BYTES, StagingRefused, stageBundle } from '../core/workspace/staging.js';
import { isConsoleTopFrame } from './console-protocol.js';

const MAX_PATH_CHARS = 4096;

export function bindStagingToIpc(home: string, maxBytes = MAX_STAGED_BUNDLE_BYTES): () => void {
  ipcMain.handle(STAGE_BUNDLE_CHANNEL, async (event: IpcMainInvokeEvent, ...rest: unknown[]): Promise<Envelope<{ staged: string; bytes: number }>> => {
    if (!isConsoleTopFrame(event.senderFrame)) return fail('refused', 'Refused: the call did not come from the Entente console.');
    const [path] = rest;
    if (rest.length !== 1 || typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_CHARS || path.includes('\0') || !isAbsolute(path)) {
      return fail('invalid-arguments', 'Staging takes one dropped file, named by its absolute path.');
    }
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return fail('invalid-arguments', 'Only a regular file can be dropped as a bundle.');
      size = stat.size;
    } catch {
      return fail('not-found', 'The dropped file cannot be read.');
    }
    if (size > maxBytes) return refused('too-large', `The file is larger than ${maxBytes.toLocaleString('en')} bytes, the most a dropped bundle may be.`);
    try {
      return ok(await stageBundle(home, createReadStream(path), maxBytes));
    } catch (error) {
      if (error instanceof StagingRefused) return refused(error.reason, error.message);
      return fail('internal', 'The dropped file could not be staged.');
    }
  });
  return () => ipcMain.removeHandler(STAGE_BUNDLE_CHANNEL);
}

const refused = (reason: string, message: string): Envelope<never> => ({ ok: false, error: { code: 'refused', reason, message } });
