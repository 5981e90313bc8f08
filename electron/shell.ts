/**
 * The Electron shell: one instance per user, hardened sessions, the console scheme, the
 * core opened on the user's workspace in a worker thread of the main process (so a long call
 * never freezes the window), the contract bound to IPC, and the window. Everything heavy lives
 * in core/; this file only wires.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreConnection } from '../core/api/connection.js';
import { CORE_WORKER_IN_DIST, startCoreWorker } from '../core/api/worker/start-core-worker.js';
import { defaultHome } from '../core/workspace/home.js';
import { registerConsoleScheme, serveConsole } from './console-protocol.js';
import { bindContractToIpc, forwardEvents } from './contract-ipc.js';
import { hardenSessions, lockDownEveryWebContents } from './hardening.js';
import { bindStagingToIpc } from './staging-ipc.js';
import { bindExportsToIpc } from './export-ipc.js';
import { createConsoleWindow } from './window.js';

export interface ShellPaths {
  /** dist/ of the build: holds renderer/, electron/preload.cjs and core/core-worker.cjs. */
  readonly distDir: string;
  /** The core's worker thread, when not the one in distDir (tests build their own). */
  readonly coreWorker?: string;
}

/** Resolves once the window is up, or the shell has quit (another instance, a workspace that cannot open). */
export function startElectronShell({ distDir, coreWorker = join(distDir, CORE_WORKER_IN_DIST) }: ShellPaths): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // Another console already holds the workspace: one writer per store.
    app.quit();
    return Promise.resolve();
  }
  registerConsoleScheme();
  lockDownEveryWebContents();

  let core: CoreConnection | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event: { preventDefault(): void }) => {
    if (!core) return;
    // Quit again once the worker has closed the store, rather than cut it off mid-write.
    const closing = core;
    core = undefined;
    event.preventDefault();
    void closing.close().then(() => app.quit());
  });

  const home = workspaceHome();
  return app.whenReady().then(async () => {
    hardenSessions();
    serveConsole(join(distDir, 'renderer'));
    try {
      const binding = electronSqliteBinding();
      core = await startCoreWorker(home, { workerFile: coreWorker, ...(binding ? { nativeBinding: binding } : {}) });
    } catch (error) {
      dialog.showErrorBox('Entente cannot open the workspace', (error as Error).message);
      app.quit();
      return;
    }
    bindContractToIpc(core);
    bindStagingToIpc(home);
    bindExportsToIpc(home);
    window = createConsoleWindow(join(distDir, 'electron', 'preload.cjs'));
    forwardEvents(core, () => window?.webContents);
  });
}

/** `--home DIR` on the command line, else ENTENTE_HOME, else the user's data directory. */
function workspaceHome(): string {
  const index = process.argv.indexOf('--home');
  const fromArgs = index > 0 ? process.argv[index + 1] : undefined;
  return fromArgs ?? defaultHome();
}

/**
 * better-sqlite3 built for Electron's ABI, when `npm start` made one (in development the
 * installed binding is built for Node's). A packaged app has its own, rebuilt at package time.
 */
function electronSqliteBinding(): string | undefined {
  const candidate = process.env.ENTENTE_SQLITE_BINDING;
  return candidate && existsSync(candidate) ? candidate : undefined;
}
