/**
 * Saving a prepared export in the Electron shell (core/workspace/exports.ts): the renderer names
 * the export by its id and kind only; main checks the sender frame and the arguments, asks the
 * officer where to save with the system's save dialog, and copies the file there. The renderer
 * never names a path, and never learns the one chosen beyond its file name.
 */
import { copyFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { safeFileName, SAVE_EXPORT_CHANNEL } from '../core/api/channels.js';
import { fail, ok, type Envelope } from '../core/api/envelope.js';
import { EXPORT_ID_PATTERN, EXPORT_KINDS, exportFile, isExportKind } from '../core/workspace/exports.js';
import { isConsoleTopFrame } from './console-protocol.js';

export function bindExportsToIpc(home: string): () => void {
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event: IpcMainInvokeEvent, ...rest: unknown[]): Promise<Envelope<{ saved: boolean; name: string | null }>> => {
    if (!isConsoleTopFrame(event.senderFrame)) return fail('refused', 'Refused: the call did not come from the Entente console.');
    const [id, kind, name] = rest;
    if (rest.length !== 3 || typeof id !== 'string' || !EXPORT_ID_PATTERN.test(id) || !isExportKind(kind) || typeof name !== 'string' || name.length > 256) {
      return fail('invalid-arguments', 'Saving takes an export id, a kind and a suggested file name.');
    }
    const file = exportFile(home, id, kind);
    if (!file) return fail('not-found', 'No such export: prepare it again from the console.');
    const window = BrowserWindow.fromWebContents(event.sender);
    const suggested = safeFileName(name, `entente-export${EXPORT_KINDS[kind].extension}`);
    const options = { defaultPath: suggested, filters: [{ name: kind === 'html' ? 'HTML report' : 'JSON', extensions: [kind === 'html' ? 'html' : 'json'] }] };
    const chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (chosen.canceled || !chosen.filePath) return ok({ saved: false, name: null });
    try {
      await copyFile(file.path, chosen.filePath);
    } catch (error) {
      return fail('internal', `The export could not be saved there (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    return ok({ saved: true, name: basename(chosen.filePath) });
  });
  return () => ipcMain.removeHandler(SAVE_EXPORT_CHANNEL);
}
