/**
 * Opening the workspace for one CLI command, turning a store that cannot be opened into a
 * refusal. One command is one set of services: its passphrase prompt is asked at most once.
 */
import { openCore, type Core } from '../api/open-core.js';
import type { PassphraseSource } from '../app/context/keyring.js';
import { StoreOpenError } from '../store/errors.js';
import { Refusal } from './failures.js';

export function openCoreForCli(home: string, passphrase?: PassphraseSource): Core {
  try {
    return openCore(home, { ...(process.env.ENTENTE_SQLITE_BINDING ? { nativeBinding: process.env.ENTENTE_SQLITE_BINDING } : {}), passphrase });
  } catch (error) {
    if (error instanceof StoreOpenError) throw Refusal.one(error.reason, error.message);
    const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'home-not-writable' : 'home-unusable';
    throw Refusal.one(reason, `The workspace at ${home} cannot be opened: ${(error as Error).message}.`);
  }
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
