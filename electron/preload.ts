/**
 * The preload: exposes exactly the contract on `window.entente`, one function per method
 * plus `on` for events, `stageBundle` for a dropped file and `saveExport` for a prepared export. No ipcRenderer, no event objects and no Node reach the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { eventChannel, methodChannel, SAVE_EXPORT_CHANNEL, STAGE_BUNDLE_CHANNEL } from '../core/api/channels.js';
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

// A dropped file is named to main by its path, which only the preload can learn; main reads it.
api.stageBundle = async (file: unknown, onProgress?: unknown) => {
  const path = file instanceof File ? webUtils.getPathForFile(file) : '';
  const answer = (await ipcRenderer.invoke(STAGE_BUNDLE_CHANNEL, path)) as { ok: boolean; value?: { bytes: number } };
  if (answer.ok && typeof onProgress === 'function') (onProgress as (sent: number, total: number) => void)(answer.value!.bytes, answer.value!.bytes);
  return answer;
};

// A prepared export is named by its id and kind; main asks where to save it.
api.saveExport = (id: unknown, kind: unknown, name: unknown) => ipcRenderer.invoke(SAVE_EXPORT_CHANNEL, id, kind, name);

contextBridge.exposeInMainWorld('entente', Object.freeze(api));
