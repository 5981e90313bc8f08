/**
 * What-if (docs/decisions/0007): the picture of a period — or of one past decision's subject as
 * it was known when the decision was made — recomputed under a draft declaration's arbitration,
 * in memory, beside the picture under the rules in force; the fields whose winner differs, and
 * the subjects whose state differs. Nothing is written.
 */
import { readStrictJson, JsonError } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { parseDeclaration } from '../../federation/declaration.js';
import { DECISION_CLASS } from '../../reconcile/decision.js';
import { readObservation } from '../../store/observation-store.js';
import { subjectState, type Arbiter, type PictureRules, type SubjectState } from '../../reconcile/picture.js';
import type { ReadOperation } from '../context/operation.js';
import { arbitrate } from './arbiter.js';
import { subjectCandidates } from './candidates.js';
import { rulesInForce, rulesOf } from './rules.js';

export interface ReplayRequest {
  /** A draft declaration (JSON): its arbitration is the one replayed. */
  readonly policyText: string;
  readonly from?: Date;
  readonly to?: Date;
  /** A past decision (its observation id): only its subject, up to the moment it was made (`to` unless given). */
  readonly decision?: string;
}

export interface ReplayDifference {
  readonly subject: string;
  /** null: the field is absent under that policy (held, or not asserted). */
  readonly field: string | null;
  readonly current: { readonly observation: string | null; readonly state: string };
  readonly replayed: { readonly observation: string | null; readonly state: string; readonly why?: string };
}

export interface ReplayReport {
  readonly subjects: number;
  readonly observations: number;
  readonly differences: ReplayDifference[];
}

export function replay(op: ReadOperation, request: ReplayRequest, arbiter: Arbiter = arbitrate): ReplayReport {
  const draft = draftRules(request.policyText);
  const current = rulesInForce(op, op.clock.now()).rules;
  const period = request.decision === undefined ? request : { ...decisionPeriod(op, request.decision), ...(request.to ? { to: request.to } : {}), ...(request.from ? { from: request.from } : {}) };
  const differences: ReplayDifference[] = [];
  let subjects = 0;
  let observations = 0;
  for (const { subject, candidates, current: now, replayed: then } of compareSubjects(op, current, draft, period, arbiter)) {
    subjects += 1;
    observations += candidates;
    const fields = [...new Set([...Object.keys(now.fields), ...Object.keys(then.fields)])].sort();
    for (const field of fields) {
      const a = now.fields[field]?.observation ?? null;
      const b = then.fields[field]?.observation ?? null;
      if (a !== b) differences.push({ subject, field, current: { observation: a, state: now.state }, replayed: { observation: b, state: then.state } });
    }
    if (now.state !== then.state && fields.every((f) => (now.fields[f]?.observation ?? null) === (then.fields[f]?.observation ?? null))) {
      differences.push({ subject, field: null, current: { observation: null, state: now.state }, replayed: { observation: null, state: then.state } });
    }
  }
  return { subjects, observations, differences };
}

/** A decision's subject and the moment it was made (its stated time): what replaying that decision looks at. */
function decisionPeriod(op: ReadOperation, id: string): { subject: string; to: Date } {
  const row = readObservation(op.read, id);
  if (!row) throw new Refused('unknown-observation', `No observation ${id.slice(0, 64)} is stored here.`);
  const record = JSON.parse(row.record) as { class: string; subject: string; time: { wall: string } };
  if (record.class !== DECISION_CLASS) throw new Refused('not-a-decision', `Observation ${id.slice(0, 16)}… is of class ${record.class}, not a decision: name a decision, or replay a period.`);
  return { subject: record.subject, to: new Date(record.time.wall) };
}

/** One subject's state under two sets of rules, over the same observations. */
export interface SubjectComparison {
  readonly subject: string;
  readonly candidates: number;
  readonly current: SubjectState;
  readonly replayed: SubjectState;
}

/**
 * Every subject observed in the period, its state under `current` and under `replayed`, one at a
 * time (what `replay` lists the differences of, and the federation editor's preview counts the
 * queue from). Nothing is written.
 */
export function* compareSubjects(
  op: ReadOperation,
  current: PictureRules,
  replayed: PictureRules,
  period: { readonly from?: Date; readonly to?: Date; readonly subject?: string } = {},
  arbiter: Arbiter = arbitrate,
): Generator<SubjectComparison> {
  const from = period.from?.toISOString() ?? '0000-01-01T00:00:00.000Z';
  const to = period.to?.toISOString() ?? '9999-12-31T23:59:59.999Z';
  if (from > to) throw new Refused('invalid-argument', `The period starts (${from}) after it ends (${to}).`);
  const subjects =
    period.subject === undefined
      ? (op.read.prepare('SELECT DISTINCT subject FROM observations WHERE observed_at BETWEEN ? AND ? ORDER BY subject').pluck().all(from, to) as string[])
      : [period.subject];
  for (const subject of subjects) {
    // What was known by the period's end: the subject's observations stated up to then.
    const candidates = subjectCandidates(op.read, subject)
      .map((h) => h.candidate)
      .filter((c) => new Date(c.statedAt).toISOString() <= to);
    yield { subject, candidates: candidates.length, current: subjectState(current, subject, candidates, arbiter), replayed: subjectState(replayed, subject, candidates, arbiter) };
  }
}

function draftRules(text: string): PictureRules {
  let candidate: unknown;
  try {
    candidate = readStrictJson(text, { maxBytes: 4 * 1024 * 1024 });
  } catch (error) {
    if (error instanceof JsonError) throw new Refused(error.reason, `The policy file: ${error.message}`);
    throw error;
  }
  return rulesOf(parseDeclaration(candidate));
}
