/**
 * Browser side of the loopback host: defines `window.entente` over the WebSocket with the
 * same shape the Electron preload exposes, so the console cannot tell which shell it runs
 * under. Bundled on its own (scripts/build.mjs) and served at /entente-bridge.js.
 */
import type { EntenteBridge, StagedFile } from '../../api/bridge.js';
import { EXPORTS_PATH, safeFileName, STAGING_PATH } from '../../api/channels.js';
import { eventNames, isEventName, methodNames } from '../../api/contract/index.js';
import type { Envelope } from '../../api/envelope.js';

type Pending = (result: Envelope<unknown>) => void;

const UNAVAILABLE: Envelope<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'The Entente loopback host is not reachable; is `entente serve` still running?' },
};

function createBridge(): EntenteBridge {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>(eventNames.map((name) => [name, new Set()]));
  let nextId = 1;
  const socket = new WebSocket(`ws://${location.host}/api`);
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true });
    socket.addEventListener('close', () => resolve(false), { once: true });
  });

  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    if (typeof message.data !== 'string') return;
    // The host writes every frame with JSON.stringify, which cannot repeat a key (docs/security/).
    const frame = JSON.parse(message.data) as { id?: number; result?: Envelope<unknown>; event?: string; payload?: unknown };
    if (typeof frame.id === 'number' && frame.result) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (isEventName(frame.event)) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const answer of pending.values()) answer(UNAVAILABLE);
    pending.clear();
  });

  async function call(method: string, args: unknown): Promise<Envelope<unknown>> {
    if (!(await opened) || socket.readyState !== WebSocket.OPEN) return UNAVAILABLE;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, args: args ?? {} }));
    });
  }

  const bridge: Record<string, unknown> = {};
  for (const method of methodNames) bridge[method] = (args?: unknown) => call(method, args);
  bridge.stageBundle = stageBundle;
  bridge.saveExport = saveExport;
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event);
    if (!set || typeof listener !== 'function') throw new TypeError(`"${String(event)}" is not an Entente event.`);
    set.add(listener);
    return () => set.delete(listener);
  };
  return Object.freeze(bridge) as EntenteBridge;
}

/**
 * Hands a dropped file's bytes to the host, which writes them into the workspace's staging/
 * (POST /staging, the session cookie and this page's Origin checked). XMLHttpRequest rather
 * than fetch: only it reports an upload's progress.
 */
function stageBundle(file: unknown, onProgress?: (sent: number, total: number) => void): Promise<Envelope<StagedFile>> {
  if (!(file instanceof Blob)) return Promise.resolve({ ok: false, error: { code: 'invalid-arguments', message: 'Staging takes the one file that was dropped.' } });
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', STAGING_PATH);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    if (typeof onProgress === 'function') request.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.total || file.size));
    request.addEventListener('load', () => {
      let body: { staged?: string; bytes?: number; reason?: string; message?: string } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        body = { message: request.responseText.trim() };
      }
      if (request.status === 200 && typeof body.staged === 'string' && typeof body.bytes === 'number') resolve({ ok: true, value: { staged: body.staged, bytes: body.bytes } });
      else resolve({ ok: false, error: { code: 'refused', ...(body.reason ? { reason: body.reason } : {}), message: body.message ?? `The host refused the file (HTTP ${request.status}).` } });
    });
    request.addEventListener('error', () => resolve(UNAVAILABLE));
    request.send(file);
  });
}

/**
 * Downloads a prepared export from the host (GET /exports/<id>/<kind>, behind the session cookie
 * like every request): the browser saves it as an attachment; the page never holds its bytes.
 */
function saveExport(id: unknown, kind: unknown, name: unknown): Promise<Envelope<{ saved: boolean; name: string | null }>> {
  if (typeof id !== 'string' || !/^[0-9a-f]{32}$/.test(id) || (kind !== 'bundle' && kind !== 'html' && kind !== 'json') || typeof name !== 'string') {
    return Promise.resolve({ ok: false, error: { code: 'invalid-arguments', message: 'Saving takes an export id, a kind and a suggested file name.' } });
  }
  const safe = safeFileName(name, `entente-export-${id}`);
  const link = document.createElement('a');
  link.href = `${EXPORTS_PATH}/${id}/${kind}?name=${encodeURIComponent(safe)}`;
  link.download = safe;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  return Promise.resolve({ ok: true, value: { saved: true, name: safe } });
}

Object.defineProperty(window, 'entente', { value: createBridge(), writable: false, configurable: false });
