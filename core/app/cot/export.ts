/**
 * The joint picture written back out as CoT for TAK clients (issue 17): one event per subject
 * that has a place and a type, each carrying in its detail the originating mesh and observation
 * and, per field, the mesh and observation that supplied it (core/cot/README.md).
 */
import type { JsonValue } from '../../common/json.js';
import { CotError, subjectToCot, type CotSubject } from '../../cot/index.js';
import { listPictureSubjects, readPictureFields, readPictureSum } from '../../store/reconcile-store.js';
import type { ReadOperation } from '../context/operation.js';

export interface CotExportEvent {
  readonly subject: string;
  /** The subject's digest in the picture: a changed digest is a changed event. */
  readonly digest: string;
  readonly xml: string;
}

export interface CotExport {
  /** The picture digest the events were read at. */
  readonly digest: string | null;
  readonly events: CotExportEvent[];
  /** Subjects CoT cannot show (no position or no type), or whose fields would not make valid CoT. */
  readonly skipped: { readonly subject: string; readonly reason: string }[];
}

const PAGE = 500;

/** Every subject of the picture, in subject order, as CoT. */
export async function exportCotPicture(op: ReadOperation, now: Date = op.clock.now()): Promise<CotExport> {
  const digest = readPictureSum(op.read)?.digest ?? null;
  const events: CotExportEvent[] = [];
  const skipped: { subject: string; reason: string }[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = listPictureSubjects(op.read, { limit: PAGE, offset });
    for (const row of rows) {
      const made = await subjectEvent(op, { subject: row.subject, state: row.state }, now);
      if ('xml' in made) events.push({ subject: row.subject, digest: row.digest, xml: made.xml });
      else skipped.push({ subject: row.subject, reason: made.reason });
    }
    if (rows.length < PAGE) break;
  }
  return { digest, events, skipped };
}

/** The subjects whose digest differs from `known` (or that `known` lacks), as CoT; `known` is updated. */
export async function changedCotEvents(op: ReadOperation, known: Map<string, string>, now: Date = op.clock.now()): Promise<CotExportEvent[]> {
  const changed: CotExportEvent[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = listPictureSubjects(op.read, { limit: PAGE, offset });
    for (const row of rows) {
      if (known.get(row.subject) === row.digest) continue;
      known.set(row.subject, row.digest);
      const made = await subjectEvent(op, { subject: row.subject, state: row.state }, now);
      if ('xml' in made) changed.push({ subject: row.subject, digest: row.digest, xml: made.xml });
    }
    if (rows.length < PAGE) break;
  }
  return changed;
}

async function subjectEvent(op: ReadOperation, row: { subject: string; state: 'merged' | 'held' }, now: Date): Promise<{ xml: string } | { reason: string }> {
  const subject: CotSubject = {
    subject: row.subject,
    state: row.state,
    fields: readPictureFields(op.read, row.subject).map((f) => ({ field: f.field, value: JSON.parse(f.value) as JsonValue, observation: f.observation, mesh: f.mesh })),
  };
  try {
    const xml = await subjectToCot(subject, now);
    return xml === null ? { reason: 'cot-no-position' } : { xml };
  } catch (error) {
    if (error instanceof CotError) return { reason: error.reason };
    throw error;
  }
}
