/**
 * Binding the contract to Electron IPC: one `ipcMain.handle` per contract method, on the
 * channel derived from its name. The sender frame is checked first; then the core's own
 * dispatcher validates the argument (in the core's worker thread). Every answer is an envelope; nothing thrown reaches
 * the renderer.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventChannel, fail, methodChannel, methodNames, type EventName } from '../core/api/index.js';
import type { CoreConnection } from '../core/api/connection.js';
import { isConsoleTopFrame } from './console-protocol.js';

export function bindContractToIpc(core: CoreConnection): () => void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event: IpcMainInvokeEvent, ...rest: unknown[]) => {
      if (!isConsoleTopFrame(event.senderFrame)) {
        return fail('refused', 'Refused: the call did not come from the Entente console.');
      }
      if (rest.length > 1) return fail('invalid-arguments', `${method} takes one argument object, not ${rest.length}.`);
      return core.call(method, rest[0]);
    });
  }
  return () => methodNames.forEach((method) => ipcMain.removeHandler(methodChannel(method)));
}

/** Forwards the core's events to the console window; payloads were checked when published. */
export function forwardEvents(core: CoreConnection, target: () => WebContents | undefined): () => void {
  return core.subscribe((event: EventName, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
  });
}
