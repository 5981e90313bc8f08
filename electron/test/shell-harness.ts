/**
 * Starts the real Electron shell (electron/shell.ts) against the stand-in `electron` module,
 * on a temporary workspace and a temporary dist/ holding a minimal built renderer.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCoreWorker } from '../../core/test-support/built-core-worker.js';
import { startElectronShell } from '../shell.js';
import { app, recorded, resetStandIn } from './stand-in-electron.js';

export interface StartedShell {
  readonly home: string;
  readonly distDir: string;
  /** Quits the shell (waiting for the core's worker to close the store) and removes the temporary directories. */
  stop(): Promise<void>;
}

export async function startShellOnTempHome(options: { singleInstanceLock?: boolean } = {}): Promise<StartedShell> {
  resetStandIn();
  const root = mkdtempSync(join(tmpdir(), 'entente-shell-'));
  const home = join(root, 'home');
  const distDir = join(root, 'dist');
  mkdirSync(join(distDir, 'renderer'), { recursive: true });
  writeFileSync(join(distDir, 'renderer', 'index.html'), '<!doctype html><title>Entente</title>');
  writeFileSync(join(root, 'outside.txt'), 'not part of the console');

  const previousHome = process.env.ENTENTE_HOME;
  process.env.ENTENTE_HOME = home;
  recorded.singleInstanceLock = options.singleInstanceLock ?? true;
  const coreWorker = await builtCoreWorker();
  try {
    const started = startElectronShell({ distDir, coreWorker });
    app.becomeReady();
    await started;
  } finally {
    if (previousHome === undefined) delete process.env.ENTENTE_HOME;
    else process.env.ENTENTE_HOME = previousHome;
  }
  return {
    home,
    distDir,
    async stop() {
      let deferred = false;
      const quitAgain = app.untilQuit();
      app.emit('will-quit', { preventDefault: () => (deferred = true) });
      // The shell defers quitting while the core closes, then quits again.
      if (deferred) await quitAgain;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
