/**
 * The preload: exposes exactly the contract on `window.entente`, one function per method
 * plus `on` for events. No ipcRenderer, no event objects and no Node reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannel, methodChannel } from '../core/api/channels.js';
import { isEventName, methodNames } from '../core/api/contract/index.js';

const api: Record<string, unknown> = {};
for (const method of methodNames) {
  api[method] = (args?: unknown) => ipcRenderer.invoke(methodChannel(method), args ?? {});
}
api.on = (event: unknown, listener: unknown) => {
  if (!isEventName(event) || typeof listener !== 'function') {
    throw new TypeError('entente.on needs a contract event name and a listener function.');
  }
  const forward = (_event: IpcRendererEvent, payload: unknown) => (listener as (payload: unknown) => void)(payload);
  ipcRenderer.on(eventChannel(event), forward);
  return () => void ipcRenderer.removeListener(eventChannel(event), forward);
};

contextBridge.exposeInMainWorld('entente', Object.freeze(api));
