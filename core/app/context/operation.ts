/**
 * The app's ground floor, handed to every service: the store handles, the trusted clock and the
 * passphrase for the services' lifetime, and per operation (one call of a service) the mesh
 * context read once, a keyring that decrypts each key once, and the log bound to the authority.
 */
import type { ReadDb, WriteDb } from '../../store/database.js';
import { createTrustedClock, type TrustedClock, type WallClock } from './clock.js';
import { createKeyring, passphraseFrom, type Decrypt, type Keyring, type Passphrase, type PassphraseSource } from './keyring.js';
import { authoritySigner, bindLog, type Log } from './log.js';
import { readMeshContext, requireMeshContext, type MeshContext } from './mesh-context.js';

/** What a reading operation holds: it cannot write, nor raise the time floor (that takes a WriteDb). */
export interface ReadOperation {
  readonly read: ReadDb;
  readonly clock: TrustedClock;
  /** This mesh, read the first time it is asked for; refused ('no-mesh') in a workspace without one. */
  mesh(): MeshContext;
  /** Whether the workspace has a mesh yet (a console opened on a fresh home shows empty lists). */
  hasMesh(): boolean;
}

/** What a writing operation holds besides. */
export interface Operation extends ReadOperation {
  readonly write: WriteDb;
  readonly keyring: Keyring;
  /** The log, bound to the mesh authority's key (decrypted the first time it is asked for). */
  log(): Promise<Log>;
}

export interface AppContext {
  readonly clock: TrustedClock;
  readonly passphrase: Passphrase;
  /** Starts one operation of a service that only reads. */
  reading(): ReadOperation;
  /**
   * Starts one operation of a service that writes. `passphrase`: given for this operation only
   * (the console asks the officer for it per signature), instead of the services' own.
   */
  writing(passphrase?: PassphraseSource): Operation;
}

export interface ContextOptions {
  /** The workspace passphrase, or a prompt for it (asked at most once, only for an encrypted key). */
  readonly passphrase?: PassphraseSource;
  /** The workstation clock; tests fake time here and nowhere else. */
  readonly clock?: WallClock;
  /** How far ahead of the last trusted time the clock may move without an operator's confirmation (default 7 days). */
  readonly maxClockJumpMs?: number;
  /** How stored keys are opened (a test counts decryptions around the real one). */
  readonly decrypt?: Decrypt;
}

export function createAppContext(db: WriteDb, options: ContextOptions = {}): AppContext {
  const read: ReadDb = db;
  const clock = createTrustedClock(read, options.clock, options.maxClockJumpMs);
  const passphrase = passphraseFrom(options.passphrase);
  const reading = (): ReadOperation => {
    let mesh: MeshContext | undefined;
    return {
      read,
      clock,
      mesh: () => (mesh ??= requireMeshContext(read)),
      hasMesh: () => mesh !== undefined || readMeshContext(read) !== undefined,
    };
  };
  return {
    clock,
    passphrase,
    reading,
    writing: (once) => {
      const base = reading();
      const keyring = createKeyring(read, once === undefined ? passphrase : passphraseFrom(once), options.decrypt);
      let log: Promise<Log> | undefined;
      return {
        ...base,
        write: db,
        keyring,
        log: () => (log ??= authoritySigner(base.mesh(), keyring).then((signer) => bindLog(db, base.mesh(), signer))),
      };
    },
  };
}
