/**
 * A stand-in for the `electron` module, for tests of electron/ where Electron's runtime cannot
 * be installed. It implements just the API surface the shell uses, and records what the shell
 * asked for (window preferences, IPC handlers, session handlers, exposed globals) so tests can
 * assert on it. vitest.config.ts aliases `electron` to this file.
 *
 * IPC is wired for real within the stand-in: `ipcRenderer.invoke` reaches the handler that
 * `ipcMain.handle` registered, from a sender frame the test chooses.
 */
import { EventEmitter } from 'node:events';
import type { WebPreferences } from 'electron';

export interface StandInFrame {
  readonly url: string;
  readonly parent: StandInFrame | null;
}

export const CONSOLE_TOP_FRAME: StandInFrame = { url: 'entente://console/index.html', parent: null };

type IpcHandler = (event: { senderFrame: StandInFrame | null; sender: StandInWebContents }, ...args: unknown[]) => unknown;
type RendererListener = (event: { sender: unknown }, ...args: unknown[]) => void;

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type BeforeRequestListener = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

class StandInSession {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | undefined;
  beforeRequest: BeforeRequestListener | undefined;
  readonly webRequest = {
    onBeforeRequest: (listener: BeforeRequestListener) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
}

class Recorder {
  singleInstanceLock = true;
  quitCalls = 0;
  windows: StandInBrowserWindow[] = [];
  ipcHandlers = new Map<string, IpcHandler>();
  rendererListeners = new Map<string, Set<RendererListener>>();
  exposed = new Map<string, unknown>();
  privilegedSchemes: unknown[] = [];
  protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  errorBoxes: { title: string; content: string }[] = [];
  /** Where the save dialog answers the officer chose (null: the dialog was closed), and what each was asked with. */
  saveAs: string | null = null;
  saveDialogs: { defaultPath?: string }[] = [];
  /** The frame `ipcRenderer.invoke` claims to come from. */
  invokingFrame: StandInFrame | null = CONSOLE_TOP_FRAME;
  session = new StandInSession();
}

export let recorded = new Recorder();

/** Forget everything recorded and every listener; call before each test. */
export function resetStandIn(): void {
  recorded = new Recorder();
  app.removeAllListeners();
  readyResolvers.length = 0;
  quitWaiters.length = 0;
  ready = false;
}

let ready = false;
const readyResolvers: (() => void)[] = [];
const quitWaiters: (() => void)[] = [];

class StandInApp extends EventEmitter {
  requestSingleInstanceLock(): boolean {
    return recorded.singleInstanceLock;
  }
  quit(): void {
    recorded.quitCalls += 1;
    quitWaiters.splice(0).forEach((resolve) => resolve());
  }
  /** Test control: resolves at the next `app.quit()`. */
  untilQuit(): Promise<void> {
    return new Promise((resolve) => quitWaiters.push(resolve));
  }
  whenReady(): Promise<void> {
    if (ready) return Promise.resolve();
    return new Promise((resolve) => readyResolvers.push(resolve));
  }
  isReady(): boolean {
    return ready;
  }
  /** Test control: what Electron does once it has initialised. */
  becomeReady(): void {
    ready = true;
    readyResolvers.splice(0).forEach((resolve) => resolve());
  }
}

export const app = new StandInApp();

export class StandInWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  send(channel: string, ...payload: unknown[]): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class StandInBrowserWindow extends EventEmitter {
  readonly webContents = new StandInWebContents();
  loadedUrls: string[] = [];
  shown = false;
  focused = false;
  constructor(readonly options: { webPreferences?: WebPreferences } & Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return false;
  }
  static fromWebContents(): StandInBrowserWindow | undefined {
    return recorded.windows[0];
  }
  restore(): void {}
}

export { StandInBrowserWindow as BrowserWindow };

export const ipcMain = {
  handle(channel: string, handler: IpcHandler): void {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    recorded.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    recorded.ipcHandlers.delete(channel);
  },
};

/** Test control: what Electron does when a renderer frame invokes `channel`. */
export async function invokeFromFrame(frame: StandInFrame | null, channel: string, ...args: unknown[]): Promise<unknown> {
  const handler = recorded.ipcHandlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  // Electron structured-clones arguments across processes; so does the stand-in.
  return handler({ senderFrame: frame, sender: new StandInWebContents() }, ...structuredClone(args));
}

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return invokeFromFrame(recorded.invokingFrame, channel, ...args);
  },
  on(channel: string, listener: RendererListener): void {
    const listeners = recorded.rendererListeners.get(channel) ?? new Set();
    listeners.add(listener);
    recorded.rendererListeners.set(channel, listeners);
  },
  removeListener(channel: string, listener: RendererListener): void {
    recorded.rendererListeners.get(channel)?.delete(listener);
  },
};

/** Test control: the main process sends `channel` to the renderer. */
export function sendToRenderer(channel: string, ...payload: unknown[]): void {
  for (const listener of recorded.rendererListeners.get(channel) ?? []) listener({ sender: 'ipc-renderer-internal' }, ...payload);
}

/** The stand-in's dropped files carry their path, as Electron's own File objects do internally. */
export const webUtils = {
  getPathForFile: (file: { path?: string }) => file.path ?? '',
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    if (recorded.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property '${key}'`);
    recorded.exposed.set(key, api);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
    recorded.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  get defaultSession(): StandInSession {
    return recorded.session;
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push({ title, content });
  },
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    recorded.saveDialogs.push(args.at(-1) as { defaultPath?: string });
    return Promise.resolve(recorded.saveAs === null ? { canceled: true } : { canceled: false, filePath: recorded.saveAs });
  },
};

export default { app, BrowserWindow: StandInBrowserWindow, ipcMain, ipcRenderer, contextBridge, protocol, session, dialog, webUtils };
