/**
 * Integrity events (docs/decisions/0005-crossing.md): every one stored with its evidence and,
 * in the same transaction, appended to the log as an `integrity` entry whose reason is the kind —
 * so `audit verify` covers them and an audit export carries them. The event's id is that entry's
 * id. Stands on the context and the store alone, so any part may record one.
 */
import type { AuditDraft } from '../../audit/entry.js';
import { INTEGRITY_KIND_PATTERN } from '../../boundary/integrity-kinds.js';
import { canonicalize } from '../../canonical/jcs.js';
import type { JsonValue } from '../../common/json.js';
import { Refused } from '../../common/refused.js';
import type { ReadDb, WriteDb } from '../../store/database.js';
import { countIntegrityEvents, insertIntegrityEvent, listIntegrityEvents, type IntegrityEventFilter } from '../../store/integrity-store.js';
import { authorityActor, type Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import type { Operation } from '../context/operation.js';

/** Ids per log entry, as the log's schema bounds them: more are recorded over several entries. */
const IDS_PER_ENTRY = 10_000;
/** Evidence copied into the log entry's detail: small scalar facts only (the full evidence stays in the table). */
const MAX_DETAIL_FIELDS = 24;
const DETAIL_KEY = /^[a-zA-Z][a-zA-Z0-9-]{0,63}$/;

export interface IntegrityEventInput {
  /** A reason code; the known ones are listed in core/boundary/integrity-kinds.ts. */
  readonly kind: string;
  readonly partner?: string;
  readonly federation?: string;
  /** What the event rests on, as JSON: kept whole in the store; its scalar fields also go into the log entry. */
  readonly evidence: Readonly<Record<string, JsonValue>>;
  /** One line for a person. */
  readonly message: string;
  /** Observation (or other) ids the event is about; chunked over several log entries when many. */
  readonly ids?: readonly string[];
}

/** Records an event with the log the caller already holds, inside the caller's transaction if any; returns its id. */
export function recordIntegrityEventWith(db: WriteDb, context: MeshContext, log: Log, event: IntegrityEventInput, now: Date): string {
  if (!INTEGRITY_KIND_PATTERN.test(event.kind)) throw new Refused('malformed-entry', `An integrity event's kind is a reason code such as replayed-hello, not "${event.kind.slice(0, 64)}".`);
  const message = oneLine(event.message, 1_000);
  const detail = detailOf(event);
  const ids = event.ids ?? [];
  const drafts: AuditDraft[] = [];
  for (let i = 0; i < Math.max(ids.length, 1); i += IDS_PER_ENTRY) {
    drafts.push({
      type: 'integrity',
      who: authorityActor(context.mesh),
      what: { ids: ids.slice(i, i + IDS_PER_ENTRY), ...(event.federation ? { federation: event.federation } : {}), ...(Object.keys(detail).length > 0 ? { detail } : {}) },
      why: { reasons: [event.kind], text: message },
    });
  }
  return db.transaction(() => {
    const { sealed } = log.append(drafts, now);
    const first = sealed[0]!;
    insertIntegrityEvent(db, {
      id: first.id,
      kind: event.kind,
      partner: event.partner ?? null,
      federation: event.federation ?? null,
      at: first.entry.when.wall,
      evidence: canonicalize(event.evidence as JsonValue),
      message,
      logSeq: first.entry.seq,
    });
    return first.id;
  })();
}

/** Records an integrity event and its log entry in one transaction; returns the event's id. */
export async function recordIntegrityEvent(op: Operation, event: IntegrityEventInput, now: Date): Promise<string> {
  const log = await op.log();
  return recordIntegrityEventWith(op.write, op.mesh(), log, event, now);
}

/** One integrity event as the CLI and the contract show it. */
export interface IntegrityEventView {
  readonly id: string;
  readonly kind: string;
  readonly partner: string | null;
  readonly federation: string | null;
  readonly at: string;
  readonly evidence: JsonValue;
  readonly message: string;
  /** Position of its `integrity` entry in this mesh's log. */
  readonly logSeq: number;
}

export interface IntegrityEventPage {
  readonly total: number;
  readonly events: IntegrityEventView[];
}

/** A page of integrity events, newest first. */
export function integrityEvents(db: ReadDb, filter: IntegrityEventFilter): IntegrityEventPage {
  const rows = listIntegrityEvents(db, filter);
  return {
    total: countIntegrityEvents(db, { ...(filter.kind !== undefined ? { kind: filter.kind } : {}), ...(filter.partner !== undefined ? { partner: filter.partner } : {}) }),
    events: rows.map(({ evidence, ...row }) => ({ ...row, evidence: parseEvidence(evidence) })),
  };
}

function parseEvidence(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // Written canonical by us: a row that no longer parses was edited in the file; shown as text.
    return text;
  }
}

function detailOf(event: IntegrityEventInput): Record<string, string | number | boolean> {
  const detail: Record<string, string | number | boolean> = {};
  if (event.partner) detail.partner = event.partner;
  for (const [key, value] of Object.entries(event.evidence)) {
    if (Object.keys(detail).length >= MAX_DETAIL_FIELDS) break;
    if (!DETAIL_KEY.test(key) || key in detail) continue;
    if (typeof value === 'string') detail[key] = oneLine(value, 512);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) detail[key] = value;
  }
  return detail;
}

/** Control characters would let a message forge lines in a report; the log refuses them, so they become spaces. */
function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- exactly the characters the log's Text refuses.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, max);
}
