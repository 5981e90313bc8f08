/**
 * Exit semantics, executed by the software: once a federation has expired or a partner has
 * withdrawn, each other partner's observations admitted under it are purged or retained as the
 * declaration says per class — and products derived from purged ones go too where it says so.
 * A purge leaves a log entry of what went (ids, counts, under whose authority), never content.
 * Any withdrawal ends the federation for all; carrying on without a partner takes a new
 * version the others sign. A class the exit rules do not name is purged: the safe default.
 * An expiry that only a clock jump (core/app/context/clock.ts) has passed holds its exit until
 * the operator confirms the clock: a purge is never undone, so it waits for trusted time.
 */
import type { Declaration, ExitRule } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ReadDb, WriteDb } from '../../store/database.js';
import { admittedFrom, derivedFrom, insertExit, purgeObservations } from '../../store/federation-store.js';
import { descendantsOf, insertTaints, insertTombstones } from '../../store/integrity-store.js';
import { subjectsOf } from '../../store/reconcile-store.js';
import type { ClockJump } from '../context/clock.js';
import { authorityActor, type Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import type { Operation } from '../context/operation.js';
import { keepPictureOfSubjects } from '../reconcile/keep.js';
import { federationRecords } from './federation-records.js';

/** Ids per log entry: a purge of a big store is recorded over several entries, never truncated. */
const IDS_PER_ENTRY = 10_000;

interface DueExit {
  readonly declaration: Declaration;
  readonly partner: string;
  readonly why: 'federation-expired' | 'federation-withdrawn';
  /** Due only because the clock jumped past the expiry: it waits for the operator's confirmation. */
  readonly held: boolean;
}

/** Whether an expiry at `expires` was passed by the clock's unconfirmed jump rather than by trusted time. */
export function passedByJump(expires: string, jump: ClockJump | null): boolean {
  return jump !== null && Date.parse(expires) > jump.from.getTime();
}

/** The exits that fell due and have not run yet: one per federation that ended and each other partner. */
export function dueExits(db: ReadDb, { mesh }: MeshContext, now: Date, jump: ClockJump | null): DueExit[] {
  return federationRecords(db).flatMap((record) => {
    const evaluation = evaluate(record, now);
    if (evaluation.state !== 'expired' && evaluation.state !== 'withdrawn') return [];
    const declaration = (evaluation.inForce ?? evaluation.latest).declaration;
    const why = evaluation.state === 'expired' ? 'federation-expired' : 'federation-withdrawn';
    // A withdrawal is signed by a partner, not read off the clock: it is never held.
    const held = why === 'federation-expired' && passedByJump(declaration.validity.expires, jump);
    return declaration.partners.filter((p) => p.mesh !== mesh.code && !record.exits.some((e) => e.partner === p.mesh)).map((p) => ({ declaration, partner: p.mesh, why, held }) as const);
  });
}

/**
 * Runs the exits due and not held, in the caller's transaction; returns the federations whose
 * exits ran. The joint picture of every subject a purge touched is recomputed after the exits,
 * under the rules then in force, so the picture never shows what the store no longer holds.
 */
export function executeDueExits(op: Operation, log: Log, now: Date, jump: ClockJump | null): string[] {
  const db = op.write;
  const ran = new Set<string>();
  const touched = new Set<string>();
  for (const due of dueExits(db, op.mesh(), now, jump)) {
    if (due.held) continue;
    for (const subject of executeExit(db, op.mesh(), log, due.declaration, due.partner, due.why, now)) touched.add(subject);
    ran.add(due.declaration.id);
  }
  keepPictureOfSubjects(op, log, [...touched], now);
  return [...ran];
}

/** Derived products kept after a purge are marked `purged-source`, naming the purged source they rest on. */
function markPurgedSources(db: WriteDb, purged: readonly string[], now: Date): void {
  const kept = descendantsOf(db, purged) ?? new Map<string, { root: string; parent: string }>();
  insertTaints(
    db,
    [...kept].map(([id, { root, parent }]) => ({ observationId: id, cause: 'purged-source' as const, since: now.toISOString(), markedAt: now.toISOString(), evidence: JSON.stringify({ source: root, parent }) })),
  );
}

/** Executes one partner's exit; returns the subjects of what it purged (read before the rows go). */
function executeExit(db: WriteDb, { mesh }: MeshContext, log: Log, declaration: Declaration, partner: string, why: string, now: Date): string[] {
  const ruleFor = (cls: string): ExitRule => declaration.exit.find((r) => r.class === cls) ?? { class: cls, action: 'purge', derived: 'purge' };
  const admitted = admittedFrom(db, declaration.id, partner);
  const foreignPurged = admitted.filter((o) => ruleFor(o.class).action === 'purge').map((o) => o.id);
  const retained = admitted.filter((o) => ruleFor(o.class).action === 'retain');
  // Sets, not list searches: an exit may cover tens of thousands of foreign observations.
  const notDerived = new Set([...foreignPurged, ...retained.map((r) => r.id)]);
  const derived = derivedFrom(
    db,
    admitted.filter((o) => ruleFor(o.class).derived === 'purge').map((o) => o.id),
  ).filter((id) => !notDerived.has(id));
  const purged = [...foreignPurged, ...derived];
  const subjects = subjectsOf(db, purged);
  purgeObservations(db, purged);
  // Tombstones (ids only): a bundle re-delivering these under any federation is refused `purged`.
  insertTombstones(db, purged, declaration.id, now.toISOString());
  // What the declaration keeps of products derived from purged ones stands on sources no longer held.
  markPurgedSources(db, purged, now);

  const who = authorityActor(mesh);
  const summary = { partner, foreignPurged: foreignPurged.length, derivedPurged: derived.length, retained: retained.length };
  const drafts = [];
  for (let i = 0; i < Math.max(purged.length, 1); i += IDS_PER_ENTRY) {
    drafts.push({
      type: 'purge' as const,
      who,
      what: { ids: purged.slice(i, i + IDS_PER_ENTRY), federation: declaration.id, detail: { ...summary, version: declaration.version } },
      why: { reasons: [why], text: `Exit for ${partner}: ${foreignPurged.length} of its observations and ${derived.length} derived products purged; ${retained.length} retained under the declared handling.` },
    });
  }
  if (retained.length > 0) {
    drafts.push({
      type: 'federation' as const,
      who,
      what: { ids: retained.map((r) => r.id).slice(0, IDS_PER_ENTRY), federation: declaration.id, detail: { partner, retained: retained.length } },
      why: { reasons: ['retained'], text: [...new Set(retained.map((r) => `${r.class}: ${ruleFor(r.class).handling ?? 'as declared'}`))].join('; ').slice(0, 1000) },
    });
  }
  log.append(drafts, now);
  insertExit(db, { id: declaration.id, partner, executedAt: now.toISOString(), summary: JSON.stringify(summary) });
  return subjects;
}
