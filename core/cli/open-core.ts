/** Opening the workspace for one CLI command, turning a store that cannot be opened into a refusal. */
import { openCore, type Core } from '../api/open-core.js';
import { StoreOpenError } from '../store/errors.js';
import { Refusal } from './failures.js';

export function openCoreForCli(home: string): Core {
  try {
    return openCore(home, process.env.ENTENTE_SQLITE_BINDING ? { nativeBinding: process.env.ENTENTE_SQLITE_BINDING } : {});
  } catch (error) {
    if (error instanceof StoreOpenError) throw Refusal.one(error.reason, error.message);
    const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'home-not-writable' : 'home-unusable';
    throw Refusal.one(reason, `The workspace at ${home} cannot be opened: ${(error as Error).message}.`);
  }
}

export async function withCore<T>(home: string, work: (core: Core) => Promise<T>): Promise<T> {
  const core = openCoreForCli(home);
  try {
    return await work(core);
  } finally {
    core.close();
  }
}
