/**
 * Real homes for the app's tests: each a fresh SQLite store in a temporary folder, with its mesh
 * initialised and its devices enrolled through the services, on a workstation clock the test can
 * set. `useTestHomes` registers the clean-up with vitest, so a test file calls it once at the top.
 */
import { afterEach, beforeEach } from 'vitest';
import type { KeyAlgorithm } from '../credentials/index.js';
import { openCore, type Core } from '../api/open-core.js';
import { createServices, type Services } from '../app/services.js';
import { openDatabase, type WriteDb } from '../store/database.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export type TestHome = Services & {
  readonly db: WriteDb;
  readonly code: string;
  /** Sets the workstation clock the services read (null: the real clock). */
  setClock(at: Date | null): void;
};

export interface TestHomeOptions {
  /** Keys encrypted under this passphrase; none (the default) leaves them unencrypted, as --insecure-keys does. */
  readonly passphrase?: string;
  /** Devices to enrol after the mesh (default: one Ed25519 device, sensor-1). */
  readonly devices?: readonly { readonly id: string; readonly algorithm: KeyAlgorithm }[];
}

/** A function that opens a home per mesh code, every one closed and removed after each test. */
export function useTestHomes(prefix: string): (code: string, options?: TestHomeOptions) => Promise<TestHome> {
  let dir: TempDir | undefined;
  const open: WriteDb[] = [];
  beforeEach(() => {
    dir = makeTempDir(prefix);
  });
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    dir?.remove();
  });
  return async (code, options = {}) => {
    const db = openDatabase(dir!.file(`${code}.db`));
    open.push(db);
    const clock = settableClock();
    const services = createServices(db, { clock: clock.now, passphrase: options.passphrase ?? null });
    await initialise(services, code, options);
    return { ...services, db, code, setClock: clock.set };
  };
}

/**
 * As useTestHomes, but each home a real workspace folder opened as the contract's core
 * (api/open-core.ts), so a test calls its handlers as the console does: `core(code)`.
 */
export function useCoreHomes(prefix: string): { open: (code: string, options?: TestHomeOptions) => Promise<TestHome>; core: (code: string) => Core } {
  let dir: TempDir | undefined;
  const cores = new Map<string, Core>();
  beforeEach(() => {
    dir = makeTempDir(prefix);
  });
  afterEach(() => {
    for (const core of cores.values()) core.close();
    cores.clear();
    dir?.remove();
  });
  return {
    open: async (code, options = {}) => {
      const clock = settableClock();
      const core = openCore(dir!.file(code.toLowerCase()), { clock: clock.now, passphrase: options.passphrase ?? null });
      cores.set(code, core);
      await initialise(core.services, code, options);
      return { ...core.services, db: core.workspace.db, code, setClock: clock.set };
    },
    core: (code) => cores.get(code)!,
  };
}

/** The workstation clock a home's services read: the real one until a test sets it. */
function settableClock(): { now: () => Date; set: (at: Date | null) => void } {
  let at: Date | null = null;
  return { now: () => at ?? new Date(), set: (next) => (at = next) };
}

async function initialise(services: Services, code: string, options: TestHomeOptions): Promise<void> {
  await services.mesh.init({ mesh: code, algorithm: 'Ed25519', encryptKeys: options.passphrase !== undefined });
  for (const device of options.devices ?? [{ id: 'sensor-1', algorithm: 'Ed25519' }]) {
    await services.credentials.enrol({ role: 'device', id: device.id, algorithm: device.algorithm });
  }
}

/** The reason a piece of work was refused with, `accepted` when it was not, or what it threw otherwise. */
export async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return (error as { reason?: string }).reason ?? `threw ${(error as Error).message}`;
  }
}
