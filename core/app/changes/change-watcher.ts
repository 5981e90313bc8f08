/**
 * The change watcher: polls the store's change marks a few times a second and publishes one
 * change per part that moved, whichever process wrote it (this core, the CLI, a boundary agent
 * on the same home). A tick that finds the store busy is skipped; nothing escapes the timer.
 */
import { countAllObservations, observationsBetween, readChangeMarks, readChangeStamp, readConsistently, type ChangeMarks, type ChangeStamp } from '../../store/change-marks.js';
import { countOpenQuarantine, listBundleImports } from '../../store/crossing-store.js';
import { countIntegrityEvents } from '../../store/integrity-store.js';
import type { ReadDb } from '../../store/database.js';
import type { WorkspaceInfo } from '../../workspace/workspace.js';
import { changesBetween, CROSSING_IMPORTS, NEWEST_IDS, type Admitted, type Change, type CrossingProgress } from './changes.js';

export interface ChangeWatcher {
  /** Reads the marks to compare against, then polls every interval until stopped. */
  start(): void;
  /** Clears the timer; no change is published after it returns. */
  stop(): void;
  /** One poll now (what the timer runs); never throws. */
  poll(): void;
}

export interface Timers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ChangeWatcherOptions {
  /** Between polls; a console shows another process's change within about this long. */
  readonly intervalMs?: number;
  readonly timers?: Timers;
  /** Reads the marks (the store's by default; a test may make it fail). */
  readonly readMarks?: (db: ReadDb) => ChangeMarks;
  /**
   * Told of a poll that failed other than on a busy store (once until a poll succeeds again),
   * and of a change the publisher refused.
   */
  readonly onFailure?: (error: unknown) => void;
}

export interface Watched {
  readonly db: ReadDb;
  info(): WorkspaceInfo;
}

export const DEFAULT_INTERVAL_MS = 400;

const nodeTimers: Timers = {
  // unref: a watcher alone must not keep the CLI or a test process alive.
  setInterval: (run, ms) => setInterval(run, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

const warn = (error: unknown) => process.emitWarning(`Watching the store for changes: ${error instanceof Error ? error.message : String(error)}`, 'EntenteChangeWarning');

export function createChangeWatcher(workspace: Watched, publish: (change: Change) => void, options: ChangeWatcherOptions = {}): ChangeWatcher {
  const { db } = workspace;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const timers = options.timers ?? nodeTimers;
  const readMarks = options.readMarks ?? readChangeMarks;
  const onFailure = options.onFailure ?? warn;
  let handle: unknown = null;
  let seen: { stamp: ChangeStamp; marks: ChangeMarks } | null = null;
  // Counted once when first needed, then kept up to date from what each poll finds.
  let total: number | null = null;
  let reported = false;

  const admittedBetween = (before: ChangeMarks, after: ChangeMarks): Admitted => {
    const from = before.observations.lastRowid;
    const to = after.observations.lastRowid;
    const found = to > from ? observationsBetween(db, from, to, NEWEST_IDS) : { count: 0, newest: [] };
    const now = total === null || after.observations.purges !== before.observations.purges ? countAllObservations(db) : total + found.count;
    return { admitted: found.count, total: now, newest: found.newest };
  };

  const poll = (): void => {
    // A transaction left open on this connection would make these reads part of it: look next time.
    if (!db.open || db.inTransaction) return;
    try {
      const stamp = readChangeStamp(db);
      if (seen && stamp.dataVersion === seen.stamp.dataVersion && stamp.ownChanges === seen.stamp.ownChanges) return;
      const before = seen?.marks;
      // The marks and the observations they point at are read as of one moment.
      const { marks, changes } = readConsistently(db, () => {
        const marks = readMarks(db);
        const changes = before ? changesBetween({ before, after: marks, admitted: () => admittedBetween(before, marks), crossing: () => crossingProgress(db), workspaceInfo: () => workspace.info() }) : [];
        return { marks, changes };
      });
      // Kept only once everything was read: a poll that fails part-way is repeated whole.
      seen = { stamp, marks };
      for (const change of changes) if (change.event === 'observationsAdmitted') total = change.payload.total;
      reported = false;
      for (const change of changes) deliver(change);
    } catch (error) {
      if (isBusy(error) || reported) return;
      reported = true;
      onFailure(error);
    }
  };

  const deliver = (change: Change): void => {
    try {
      publish(change);
    } catch (error) {
      // A payload the contract refuses is a bug to hear about, not a reason to stop watching.
      onFailure(error);
    }
  };

  return {
    start() {
      if (handle !== null) return;
      poll();
      handle = timers.setInterval(poll, intervalMs);
    },
    stop() {
      if (handle === null) return;
      timers.clearInterval(handle);
      handle = null;
    },
    poll,
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The newest imports with their progress, the open quarantine and the integrity events recorded. */
function crossingProgress(db: ReadDb): CrossingProgress {
  return {
    imports: listBundleImports(db, CROSSING_IMPORTS).map((row) => ({
      bundle: row.digest,
      partner: row.partner,
      federation: row.federation,
      state: row.state,
      blocksDone: row.nextBlock,
      lines: row.lines,
      observations: row.observations,
      counts: { admitted: row.admitted, duplicate: row.duplicate, rejected: row.rejected, quarantined: row.quarantined, tainted: row.tainted },
    })),
    quarantineOpen: countOpenQuarantine(db),
    integrityEvents: countIntegrityEvents(db),
  };
}
