/**
 * Keeping the joint picture true to the store (docs/decisions/0007): every store path (local
 * publish, admission, quarantine release, a decision) calls `keepPicture` in the transaction
 * that stored the observations, with their ids. Only the subjects they touch are recomputed —
 * each from its current claims (migration 19; core/app/reconcile/evidence.ts), at most one per
 * mesh and field — and the picture digest moves by the subject digests that changed, so the
 * cost is what was stored, not the store nor the subject's history. Queue items open,
 * settle or are superseded with their subject; a conflict arbitration settled, or a subject
 * held, is recorded in the log.
 */
import { canonicalize } from '../../canonical/jcs.js';
import type { AuditDraft } from '../../audit/entry.js';
import { estimateCause } from '../../reconcile/divergence.js';
import { EMPTY_PICTURE_DIGEST, stateOfEvidence, subjectDigest, updatePictureDigest, type Arbiter, type PictureRules, type SubjectState } from '../../reconcile/picture.js';
import { arbitrate } from './arbiter.js';
import {
  arbitrationsOf,
  clearPicture,
  deleteArbitration,
  deletePictureSubject,
  idsBySubject,
  iterateSubjects,
  queueItemsOfSubject,
  readKeptSubject,
  readPictureSum,
  recordArbitration,
  restateArbitration,
  upsertQueueItem,
  setQueueItemStatus,
  writePictureSubject,
  writePictureSum,
  type QueueItemRow,
} from '../../store/reconcile-store.js';
import type { WriteDb } from '../../store/database.js';
import { authorityActor, type Log } from '../context/log.js';
import { concurrentArbitrationDraft } from '../time/ordering-log.js';
import type { Operation } from '../context/operation.js';
import type { HeldCandidate } from './candidates.js';
import { CauseLookups, causeSignals } from './cause.js';
import { storedEvidence } from './evidence.js';
import { rulesInForce } from './rules.js';

export interface PictureChange {
  readonly digest: string;
  readonly subjects: readonly string[];
  /** Queue items opened by this change. */
  readonly opened: readonly string[];
}

/**
 * Recomputes the subjects of the stored observations `ids`, in the caller's transaction.
 * `log`, when given, records arbitrated conflicts and held subjects (null on paths that log them otherwise).
 */
export function keepPicture(op: Operation, log: Log | null, ids: readonly string[], now: Date, arbiter: Arbiter = arbitrate): PictureChange | null {
  if (ids.length === 0) return null;
  return keepSubjects(op, log, idsBySubject(op.write, ids), now, arbiter);
}

/**
 * Recomputes `subjects` by name, in the caller's transaction: for a path that removed
 * observations (an exit's purge), whose subjects must be read before the rows go. A subject with
 * nothing left leaves the picture, and its open items are superseded.
 */
export function keepPictureOfSubjects(op: Operation, log: Log | null, subjects: readonly string[], now: Date, arbiter: Arbiter = arbitrate): PictureChange | null {
  return keepSubjects(op, log, new Map(subjects.map((subject) => [subject, undefined])), now, arbiter);
}

/** Per subject, the ids just stored about it (undefined: it lost observations, or is recomputed whole). */
type Touched = ReadonlyMap<string, readonly string[] | undefined>;

function keepSubjects(op: Operation, log: Log | null, subjects: Touched, now: Date, arbiter: Arbiter): PictureChange | null {
  if (subjects.size === 0) return null;
  const { rules } = rulesInForce(op, now);
  const change = recompute(op.write, rules, subjects, now, arbiter);
  if (log && change.drafts.length > 0) log.append(change.drafts.map((d) => ({ ...d, who: authorityActor(op.mesh().mesh) })), now);
  return { digest: change.digest, subjects: change.subjects, opened: change.opened };
}

/** Recomputes the whole picture from the store, in one transaction: what `entente picture --rebuild` and the bench's full recomputation do. */
export function rebuildPicture(op: Operation, now: Date, arbiter: Arbiter = arbitrate): { digest: string; subjects: number } {
  const db = op.write;
  const { rules } = rulesInForce(op, now);
  return db.transaction(() => {
    clearPicture(db);
    // Subjects are read first: iterating observations while writing the picture would hold a busy statement.
    const subjects: Touched = new Map([...iterateSubjects(db)].map((subject) => [subject, undefined]));
    const change = recompute(db, rules, subjects, now, arbiter);
    return { digest: change.digest, subjects: readPictureSum(db)?.subjects ?? 0 };
  }).immediate();
}

type Draft = Omit<AuditDraft, 'who'>;

function recompute(db: WriteDb, rules: PictureRules, subjects: Touched, now: Date, arbiter: Arbiter): { digest: string; subjects: string[]; opened: string[]; drafts: Draft[] } {
  const at = now.toISOString();
  const sum = readPictureSum(db) ?? { digest: EMPTY_PICTURE_DIGEST, subjects: 0 };
  const addedDigests: string[] = [];
  const removed: string[] = [];
  let count = sum.subjects;
  const opened: string[] = [];
  const drafts: Draft[] = [];
  const lookups = new CauseLookups(db);
  for (const [subject, added] of subjects) {
    const before = readKeptSubject(db, subject);
    const evidence = storedEvidence(db, subject, added, before?.origin ?? null);
    if (evidence === null) {
      const gone = before;
      if (gone) {
        removed.push(gone.digest);
        count -= 1;
        deletePictureSubject(db, subject);
      }
      for (const item of queueItemsOfSubject(db, subject)) {
        if (item.status === 'open' || item.status === 'escalated') setQueueItemStatus(db, item.id, 'superseded', item.decision, at);
      }
      for (const stale of arbitrationsOf(db, subject)) deleteArbitration(db, subject, stale.field, stale.winner);
      continue;
    }
    const state = stateOfEvidence(rules, subject, evidence, arbiter);
    const digest = subjectDigest(state);
    if (before) removed.push(before.digest);
    else count += 1;
    addedDigests.push(digest);
    writePictureSubject(
      db,
      { subject, state: state.state, divergence: state.divergence.score, digest, item: state.item?.id ?? null, updatedAt: at },
      Object.entries(state.fields).map(([field, f]) => ({ field, value: canonicalize(f.value), observation: f.observation, mesh: f.mesh })),
      evidence.origin,
    );
    keepArbitrations(db, state, at, drafts);
    opened.push(...keepQueue(db, rules, state, evidence.held, at, drafts, lookups));
  }
  const digest = updatePictureDigest(sum.digest, addedDigests, removed);
  writePictureSum(db, { digest, subjects: count });
  return { digest, subjects: [...subjects.keys()], opened, drafts };
}

/**
 * The subject's recorded arbitrations made those its state rests on now, so that the provenance
 * `entente picture` shows is a function of the stored set like the rest of the picture (0007),
 * not of the order it arrived in: a conflict that later claims removed (a mesh corrected itself,
 * a partner's earlier report arrived) is forgotten, and a winner still prevailing among other
 * candidates says so. A newly prevailing winner is logged, once, as before; the log keeps the
 * history, the table the present.
 */
function keepArbitrations(db: WriteDb, state: SubjectState, at: string, drafts: Draft[]): void {
  const recorded = new Map(arbitrationsOf(db, state.subject).map((a) => [`${a.field}\u0000${a.winner}`, a]));
  for (const a of state.arbitrated) {
    const key = `${a.field}\u0000${a.winner}`;
    const before = recorded.get(key);
    recorded.delete(key);
    const row = { subject: state.subject, field: a.field, winner: a.winner, why: a.why, at };
    if (!before) {
      recordArbitration(db, row);
      drafts.push(concurrentArbitrationDraft({ subject: state.subject, field: a.field, candidates: a.candidates, winner: a.winner, why: a.why }));
    } else if (before.why !== a.why) restateArbitration(db, row);
  }
  for (const stale of recorded.values()) deleteArbitration(db, state.subject, stale.field, stale.winner);
}

/** The subject's queue items after its recomputation: the ones it keeps open upserted, the rest settled or superseded. */
function keepQueue(db: WriteDb, rules: PictureRules, state: SubjectState, byId: ReadonlyMap<string, HeldCandidate>, at: string, drafts: Draft[], lookups: CauseLookups): string[] {
  const existing = new Map(queueItemsOfSubject(db, state.subject).map((row) => [row.id, row]));
  const opened: string[] = [];
  const live = new Set<string>();
  const divergenceItem = state.item;
  if (divergenceItem) {
    live.add(divergenceItem.id);
    const open = state.open.find((o) => o.id === divergenceItem.id);
    const status = open ? (open.escalated ? 'escalated' : 'open') : 'decided';
    const before = existing.get(divergenceItem.id);
    if (!before) {
      const competing = divergenceItem.competing.map((id) => byId.get(id)!);
      const { cause, reasons } = estimateCause(causeSignals(db, competing, state.divergence.fields, lookups));
      upsertQueueItem(db, row(state, divergenceItem.id, 'divergence', status, divergenceItem.competing, cause, reasons, divergenceItem.decision ?? null, at));
      if (status === 'open') opened.push(divergenceItem.id);
      drafts.push({
        type: 'arbitration',
        what: { ids: [...divergenceItem.competing], subject: state.subject, detail: { item: divergenceItem.id, score: state.divergence.score, cause } },
        why: { reasons: ['divergence-held'], text: `Divergence ${state.divergence.score.toFixed(3)} above ${rules.divergenceThreshold} on ${state.divergence.fields.join(', ')}: held for a person.`.slice(0, 1_000) },
      });
    } else if (before.status !== status || before.decision !== (divergenceItem.decision ?? null)) {
      setQueueItemStatus(db, divergenceItem.id, status, divergenceItem.decision ?? null, at);
    }
  }
  for (const clash of state.open.filter((o) => o.kind === 'decision-clash')) {
    live.add(clash.id);
    if (!existing.has(clash.id)) {
      upsertQueueItem(db, row(state, clash.id, 'decision-clash', 'open', clash.competing, 'decision-clash', ['partners decided the same item differently; the declared decisionPrecedence chose which prevails'], null, at));
      opened.push(clash.id);
    }
  }
  for (const [id, before] of existing) {
    // A clash no longer there was resolved by a newer decision; a divergence item no longer there by a new competing set.
    if (!live.has(id) && before.status !== 'superseded' && before.status !== 'decided') setQueueItemStatus(db, id, before.kind === 'decision-clash' ? 'decided' : 'superseded', before.decision, at);
  }
  return opened;
}

function row(state: SubjectState, id: string, kind: QueueItemRow['kind'], status: QueueItemRow['status'], competing: readonly string[], cause: QueueItemRow['cause'], reasons: readonly string[], decision: string | null, at: string): QueueItemRow {
  return {
    id,
    kind,
    subject: state.subject,
    status,
    score: state.divergence.score,
    competing: JSON.stringify(competing),
    fields: JSON.stringify(state.divergence.fields),
    cause,
    reasons: JSON.stringify(reasons),
    policyChoice: JSON.stringify(state.policyChoice),
    decision,
    openedAt: at,
    updatedAt: at,
  };
}
