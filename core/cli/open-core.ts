/**
 * Opening the workspace for the CLI, turning a store that cannot be opened into a refusal: in
 * this thread for one-shot commands (one command is one set of services: its passphrase prompt is
 * asked at most once), in a worker thread for `entente serve`, which keeps serving.
 */
import { existsSync } from 'node:fs';
import type { CoreConnection } from '../api/connection.js';
import { openCore, type Core } from '../api/open-core.js';
import { startCoreWorker } from '../api/worker/start-core-worker.js';
import type { PassphraseSource } from '../app/context/keyring.js';
import type { OpenOptions } from '../store/database.js';
import { StoreOpenError } from '../store/errors.js';
import { Refusal } from './failures.js';

export function openCoreForCli(home: string, passphrase?: PassphraseSource): Core {
  try {
    return openCore(home, { ...sqliteBinding(), passphrase });
  } catch (error) {
    throw openRefusal(home, error);
  }
}

/** `workerFile`: the built core-worker.cjs (beside the CLI's own folder in dist/). */
export async function startCoreWorkerForCli(home: string, workerFile: string): Promise<CoreConnection> {
  if (!existsSync(workerFile)) throw Refusal.one('console-not-built', 'The console is not built: run `npm run build` first.');
  try {
    return await startCoreWorker(home, { workerFile, ...sqliteBinding() });
  } catch (error) {
    throw openRefusal(home, error);
  }
}

function sqliteBinding(): OpenOptions {
  return process.env.ENTENTE_SQLITE_BINDING ? { nativeBinding: process.env.ENTENTE_SQLITE_BINDING } : {};
}

function openRefusal(home: string, error: unknown): Refusal {
  if (error instanceof StoreOpenError) return Refusal.one(error.reason, error.message);
  const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'home-not-writable' : 'home-unusable';
  return Refusal.one(reason, `The workspace at ${home} cannot be opened: ${(error as Error).message}.`);
}

/** Runs `work` on the core of `home`; `passphrase` (a prompt, usually) is asked only if a key must be opened. */
export async function withCore<T>(home: string, work: (core: Core) => Promise<T>, passphrase?: PassphraseSource): Promise<T> {
  const core = openCoreForCli(home, passphrase);
  try {
    return await work(core);
  } finally {
    core.close();
  }
}
