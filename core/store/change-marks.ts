/**
 * Cheap marks that move whenever a part's data changes, for the change watcher
 * (core/app/changes): read a few times a second, they must stay cheap on a store of a million
 * observations, so each is a rowid maximum, a primary-key lookup or a count over a small table.
 */
import type { ReadDb } from './database.js';

/** Moves on every commit: `data_version` for other connections (other processes), `total_changes()` for this one. */
export interface ChangeStamp {
  readonly dataVersion: number;
  readonly ownChanges: number;
}

export interface ChangeMarks {
  readonly schemaVersion: number;
  readonly mesh: {
    readonly code: string | null;
    readonly principals: number;
    readonly revocations: number;
    /** A re-enrolment issues a certificate without changing either count. */
    readonly lastCertificate: number;
  };
  readonly observations: {
    /** The newest observation's rowid (0 when none): new rows always get a higher one. */
    readonly lastRowid: number;
    /**
     * Executed exits: the store deletes observations only in an exit's purge, which records
     * its exit, so a move here means the total must be counted again.
     */
    readonly purges: number;
  };
  readonly audit: {
    /** Entries are numbered from 0 without gaps (seq is the rowid), so the count is the last seq + 1. */
    readonly entries: number;
    readonly lastCheckpoint: number;
    readonly lastCheckpointSize: number | null;
  };
  /** Per federation, its counts of versions, signatures, withdrawals and exits, as one comparable string. */
  readonly federations: ReadonlyMap<string, string>;
  readonly crossing: {
    /** Bundle imports begun, blocks admitted and imports finished, as one comparable string (a row per bundle, a small table). */
    readonly imports: string;
    /** Quarantined items waiting for an operator (over the quarantine's decision index). */
    readonly quarantineOpen: number;
    /** The newest integrity event's rowid (0 when none). */
    readonly lastIntegrityEvent: number;
  };
  /** Live links (migration 13): each link's contact, disconnection and last outcome, and the syncs ended, as one comparable string. */
  readonly links: { readonly mark: string; readonly count: number; readonly convergences: number };
  /** The joint picture's digest and subject count (one row) and the queue's open items (over its status index). */
  readonly picture: {
    readonly digest: string | null;
    readonly subjects: number;
    readonly queueOpen: number;
  };
}

/**
 * Every mark query. The tables that grow with use (observations, the log) are read only
 * through their rowid; the GROUP BY and COUNT queries read the mesh's principals and the
 * federation tables, which hold rows per enrolment and per partner signature, not per record.
 */
export const MARK_QUERIES = {
  lastObservation: 'SELECT coalesce(max(rowid), 0) FROM observations',
  lastEntry: 'SELECT max(seq) FROM audit_entries',
  lastCheckpoint: 'SELECT rowid AS mark, size FROM audit_checkpoints WHERE rowid = (SELECT max(rowid) FROM audit_checkpoints)',
  mesh: 'SELECT code FROM mesh WHERE singleton = 1',
  principals: 'SELECT count(*) AS principals, count(revoked_at) AS revocations FROM principals',
  lastCertificate: 'SELECT coalesce(max(rowid), 0) FROM certificates',
  federations: `SELECT id, sum(kind = 'v') AS versions, sum(kind = 's') AS signatures, sum(kind = 'w') AS withdrawals, sum(kind = 'e') AS exits
    FROM (SELECT id, 'v' AS kind FROM federation_versions UNION ALL SELECT id, 's' FROM federation_signatures
          UNION ALL SELECT id, 'w' FROM federation_withdrawals UNION ALL SELECT id, 'e' FROM federation_exits)
    GROUP BY id ORDER BY id`,
  imports: "SELECT coalesce(max(rowid), 0) || ':' || coalesce(sum(next_block), 0) || ':' || coalesce(sum(state = 'done'), 0) FROM bundle_imports",
  quarantineOpen: 'SELECT count(*) FROM quarantine WHERE decision IS NULL',
  lastIntegrityEvent: 'SELECT coalesce(max(rowid), 0) FROM integrity_events',
  // A row per partner and federation: a small table, read whole.
  links: `SELECT count(*) AS count, coalesce(group_concat(coalesce(last_contact, '') || '/' || coalesce(disconnected_at, '') || '/' || coalesce(last_outcome, ''), ','), '') AS state,
    (SELECT coalesce(max(seq), 0) FROM convergence_records) AS convergences FROM links`,
  pictureSum: 'SELECT digest, subjects FROM picture_sum WHERE singleton = 1',
  queueOpen: "SELECT count(*) FROM queue_items WHERE status IN ('open', 'escalated')",
  observationsBetween: 'SELECT count(*) FROM observations WHERE rowid > ? AND rowid <= ?',
  newestBetween: 'SELECT id FROM observations WHERE rowid > ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?',
} as const;

function linkMarks(db: ReadDb): ChangeMarks['links'] {
  const row = db.prepare(MARK_QUERIES.links).get() as { count: number; state: string; convergences: number };
  return { mark: `${row.count}:${row.convergences}:${row.state}`, count: row.count, convergences: row.convergences };
}

export function readChangeStamp(db: ReadDb): ChangeStamp {
  return withoutWaiting(db, () => ({
    dataVersion: db.pragma('data_version', { simple: true }) as number,
    ownChanges: db.prepare('SELECT total_changes()').pluck().get() as number,
  }));
}

export function readChangeMarks(db: ReadDb): ChangeMarks {
  return withoutWaiting(db, () => {
    const checkpoint = db.prepare(MARK_QUERIES.lastCheckpoint).get() as { mark: number; size: number } | undefined;
    const principals = db.prepare(MARK_QUERIES.principals).get() as { principals: number; revocations: number };
    const federations = new Map<string, string>();
    let purges = 0;
    for (const row of db.prepare(MARK_QUERIES.federations).all() as { id: string; versions: number; signatures: number; withdrawals: number; exits: number }[]) {
      federations.set(row.id, `${row.versions}/${row.signatures}/${row.withdrawals}/${row.exits}`);
      purges += row.exits;
    }
    const lastEntry = db.prepare(MARK_QUERIES.lastEntry).pluck().get() as number | null;
    const sum = db.prepare(MARK_QUERIES.pictureSum).get() as { digest: string; subjects: number } | undefined;
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      mesh: {
        code: (db.prepare(MARK_QUERIES.mesh).pluck().get() as string | undefined) ?? null,
        ...principals,
        lastCertificate: db.prepare(MARK_QUERIES.lastCertificate).pluck().get() as number,
      },
      observations: { lastRowid: db.prepare(MARK_QUERIES.lastObservation).pluck().get() as number, purges },
      audit: { entries: lastEntry === null ? 0 : lastEntry + 1, lastCheckpoint: checkpoint?.mark ?? 0, lastCheckpointSize: checkpoint?.size ?? null },
      federations,
      crossing: {
        imports: db.prepare(MARK_QUERIES.imports).pluck().get() as string,
        quarantineOpen: db.prepare(MARK_QUERIES.quarantineOpen).pluck().get() as number,
        lastIntegrityEvent: db.prepare(MARK_QUERIES.lastIntegrityEvent).pluck().get() as number,
      },
      links: linkMarks(db),
      picture: { digest: sum?.digest ?? null, subjects: sum?.subjects ?? 0, queueOpen: db.prepare(MARK_QUERIES.queueOpen).pluck().get() as number },
    };
  });
}

/** Observations stored after one mark up to another: how many, and the newest `limit` ids, newest first. */
export function observationsBetween(db: ReadDb, afterRowid: number, upToRowid: number, limit: number): { count: number; newest: string[] } {
  return withoutWaiting(db, () => ({
    count: db.prepare(MARK_QUERIES.observationsBetween).pluck().get(afterRowid, upToRowid) as number,
    newest: db.prepare(MARK_QUERIES.newestBetween).pluck().all(afterRowid, upToRowid, limit) as string[],
  }));
}

/**
 * Every observation held: the one full count (over the smallest index), which the watcher
 * needs once per session and again only after an exit purged some; otherwise it adds what
 * `observationsBetween` found.
 */
export function countAllObservations(db: ReadDb): number {
  return withoutWaiting(db, () => db.prepare('SELECT count(*) FROM observations').pluck().get() as number);
}

/** Runs several reads in one read transaction, so they all see the store as of one moment. */
export function readConsistently<T>(db: ReadDb, read: () => T): T {
  return withoutWaiting(db, () => db.transaction(read)());
}

/**
 * Runs the reads with the connection's busy timeout at zero: a store locked by another process
 * answers SQLITE_BUSY at once, and the watcher skips a tick instead of stalling the core's thread
 * for the seconds the timeout allows the officer's own calls.
 */
function withoutWaiting<T>(db: ReadDb, read: () => T): T {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return read();
  } finally {
    db.pragma(`busy_timeout = ${Number(timeout)}`);
  }
}
