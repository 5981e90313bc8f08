/**
 * Provenance of an observation (`entente lineage`): its derivation chain — sources, their
 * sources, across devices and meshes — with every log entry that names each id (recording,
 * crossings, translations, arbitration, decisions). Other meshes' verified audit exports extend
 * the walk where this workspace holds nothing; a source found nowhere is reported as an
 * unresolved reference, never as an error that hides the rest of the chain.
 */
import { BUNDLE_JSON_LIMITS, verifyBundle, type AuditBundle } from '../../audit/bundle.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { actorName, readEntryText, type AuditEntry } from '../../audit/entry.js';
import type { LogFailure } from '../../audit/verify-log.js';
import { entriesReferencing } from '../../store/audit-store.js';
import type { ReadDb } from '../../store/database.js';
import { readObservation, type ObservationRow } from '../../store/observation-store.js';
import { CANONICAL_MAX_DEPTH } from '../../canonical/jcs.js';
import { isNestedDeeperThan } from '../../canonical/quick-shape.js';
import { GovernedObservation, misindexedField, observationId } from '../../observation/index.js';

/** A chain longer than this is cut, and says so: a hostile lineage must not walk forever. */
export const MAX_PROVENANCE_NODES = 10_000;

export interface ProvenanceEvent {
  readonly log: string;
  readonly seq: number;
  readonly type: string;
  readonly wall: string;
  readonly who: string;
  readonly reasons: readonly string[];
  readonly text?: string;
  /** Where the entry was read: this workspace, or the named export. */
  readonly from: string;
}

export interface ProvenanceNode {
  readonly id: string;
  /** Held here as a stored observation, known only from an export's log, or not found at all. */
  readonly found: 'held' | 'exported' | 'unresolved';
  readonly mesh?: string;
  readonly subject?: string;
  readonly class?: string;
  readonly device?: string;
  readonly observedAt?: string;
  readonly derivation?: string | null;
  readonly sources: readonly string[];
  readonly events: readonly ProvenanceEvent[];
  /** Set when the stored row cannot be believed: its record was changed, or a copy filed beside it was. */
  readonly flagged?: { readonly reason: string; readonly message: string };
}

export interface Provenance {
  readonly id: string;
  readonly nodes: readonly ProvenanceNode[];
  readonly unresolved: readonly string[];
  readonly truncated: boolean;
  /** Each export consulted, and whether it verified (an export that does not is not believed). */
  readonly exports: readonly { readonly name: string; readonly log: string | null; readonly verified: boolean; readonly failures: readonly LogFailure[] }[];
}

export interface ForeignExport {
  readonly name: string;
  readonly text: string;
}

export function provenance(db: ReadDb, id: string, foreign: readonly ForeignExport[] = []): Provenance {
  const exports: Provenance['exports'][number][] = [];
  const foreignEntries = new Map<string, { entry: AuditEntry; from: string }[]>();
  for (const { name, text } of foreign) {
    const report = verifyBundle(text);
    exports.push({ name, log: report.log, verified: report.failures.length === 0, failures: report.failures });
    if (report.failures.length > 0) continue;
    for (const { text: entryText } of (readStrictJson(text, BUNDLE_JSON_LIMITS) as AuditBundle).entries) {
      const read = readEntryText(entryText);
      if (!read.ok) continue;
      for (const ref of new Set(read.entry.what.ids)) {
        // Appended in place: an export whose million entries all name one id stays linear.
        const list = foreignEntries.get(ref);
        if (list) list.push({ entry: read.entry, from: name });
        else foreignEntries.set(ref, [{ entry: read.entry, from: name }]);
      }
    }
  }

  const nodes: ProvenanceNode[] = [];
  const seen = new Set<string>([id]);
  const queue = [id];
  let truncated = false;
  while (queue.length > 0) {
    if (nodes.length >= MAX_PROVENANCE_NODES) {
      truncated = true;
      break;
    }
    const next = queue.shift()!;
    const node = describe(db, next, foreignEntries.get(next) ?? []);
    nodes.push(node);
    for (const source of node.sources) {
      if (seen.has(source)) continue;
      seen.add(source);
      queue.push(source);
    }
  }
  return { id, nodes, unresolved: nodes.filter((n) => n.found === 'unresolved').map((n) => n.id), truncated, exports };
}

function describe(db: ReadDb, id: string, foreign: readonly { entry: AuditEntry; from: string }[]): ProvenanceNode {
  const local: ProvenanceEvent[] = entriesReferencing(db, id).flatMap((row) => {
    const read = readEntryText(row.entry);
    return read.ok ? [event(read.entry, 'this workspace')] : [];
  });
  const events = [...local, ...foreign.map(({ entry, from }) => event(entry, from))];
  const row = readObservation(db, id);
  if (row) return describeHeld(row, events);
  // Known only from another mesh's log: its recording entry names the sources after the id.
  const recorded = foreign.find(({ entry }) => entry.type === 'observation' && entry.what.ids[0] === id)?.entry;
  if (recorded) {
    return {
      id,
      found: 'exported',
      mesh: recorded.log,
      subject: recorded.what.subject,
      class: typeof recorded.what.detail?.class === 'string' ? recorded.what.detail.class : undefined,
      device: recorded.who.id,
      observedAt: recorded.when.wall,
      derivation: typeof recorded.what.detail?.derivation === 'string' ? recorded.what.detail.derivation : null,
      sources: recorded.what.ids.slice(1),
      events,
    };
  }
  return { id, found: 'unresolved', sources: [], events };
}

function event(entry: AuditEntry, from: string): ProvenanceEvent {
  return {
    log: entry.log,
    seq: entry.seq,
    type: entry.type,
    wall: entry.when.wall,
    who: actorName(entry.who),
    reasons: entry.why.reasons,
    ...(entry.why.text ? { text: entry.why.text } : {}),
    from,
  };
}

/**
 * A held observation as its own record says it, when the record still hashes to its id; the
 * copies filed beside it are only a fallback, flagged, for a record that no longer does.
 */
function describeHeld(row: ObservationRow, events: readonly ProvenanceEvent[]): ProvenanceNode {
  const record = recordNamed(row);
  if (!record) {
    return {
      id: row.id, found: 'held', mesh: row.mesh, subject: row.subject, class: row.class, device: row.device, observedAt: row.observedAt,
      derivation: null, sources: row.sources, events,
      flagged: { reason: 'record-changed', message: 'Its stored record no longer reads as the observation its id names: the file was edited (entente verify names it).' },
    };
  }
  const misindexed = misindexedField(row, record);
  const fn = record.lineage.derivation;
  return {
    id: row.id,
    found: 'held',
    mesh: record.mesh,
    subject: record.subject,
    class: record.class,
    device: record.device.id,
    observedAt: record.time.wall,
    derivation: fn ? `${fn.name}@${fn.version}` : null,
    sources: record.lineage.sources,
    events,
    ...(misindexed
      ? { flagged: { reason: 'index-mismatch', message: `The store files it under ${misindexed.field} ${JSON.stringify(misindexed.stored)}, but its record says ${JSON.stringify(misindexed.actual)}: the copy was edited in the file; the record's value is shown.` } }
      : {}),
  };
}

/** The stored record, when it is an observation's shape and hashes to the id it is stored under. */
function recordNamed(row: ObservationRow): GovernedObservation | null {
  let value: unknown;
  try {
    value = JSON.parse(row.record);
  } catch {
    return null;
  }
  if (isNestedDeeperThan(value, CANONICAL_MAX_DEPTH) || !GovernedObservation.safeParse(value).success) return null;
  const record = value as GovernedObservation;
  try {
    return observationId(record) === row.id ? record : null;
  } catch {
    return null;
  }
}
