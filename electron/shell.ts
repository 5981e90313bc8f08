/**
 * The Electron shell: one instance per user, hardened sessions, the console scheme, the
 * core opened on the user's workspace in the main process, the contract bound to IPC, and
 * the window. Everything heavy lives in core/; this file only wires.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCore, type Core } from '../core/api/open-core.js';
import { defaultHome } from '../core/workspace/home.js';
import { registerConsoleScheme, serveConsole } from './console-protocol.js';
import { bindContractToIpc, forwardEvents } from './contract-ipc.js';
import { hardenSessions, lockDownEveryWebContents } from './hardening.js';
import { createConsoleWindow } from './window.js';

export interface ShellPaths {
  /** dist/ of the build: holds renderer/ and electron/preload.cjs. */
  readonly distDir: string;
}

export function startElectronShell({ distDir }: ShellPaths): void {
  if (!app.requestSingleInstanceLock()) {
    // Another console already holds the workspace: one writer per store.
    app.quit();
    return;
  }
  registerConsoleScheme();
  lockDownEveryWebContents();

  let core: Core | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());

  void app.whenReady().then(() => {
    hardenSessions();
    serveConsole(join(distDir, 'renderer'));
    try {
      core = openCore(workspaceHome(), { nativeBinding: electronSqliteBinding() });
    } catch (error) {
      dialog.showErrorBox('Entente cannot open the workspace', (error as Error).message);
      app.quit();
      return;
    }
    bindContractToIpc(core);
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
