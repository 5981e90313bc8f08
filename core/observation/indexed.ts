/**
 * The copies of a signed observation's fields that a store keeps beside it, for finding it by
 * subject, class, mesh, device and time, and its lineage edges. They are derived from the record
 * in one place, so that a check can say which copy an editor of the store changed.
 */
import type { GovernedObservation } from './record.js';

/** What a store files an observation under: every field a reader may take from the index instead of the record. */
export interface IndexedCopies {
  readonly mesh: string;
  readonly subject: string;
  readonly class: string;
  readonly observedAt: string;
  readonly hlcL: number;
  readonly hlcC: number;
  readonly device: string;
  readonly deviceCertificate: string;
  /** The lineage sources, sorted (the record keeps them sorted and unique). */
  readonly sources: readonly string[];
}

export function indexedCopies(record: GovernedObservation): IndexedCopies {
  return {
    mesh: record.mesh,
    subject: record.subject,
    class: record.class,
    observedAt: record.time.wall,
    hlcL: record.time.hlc.l,
    hlcC: record.time.hlc.c,
    device: record.device.id,
    deviceCertificate: record.device.certificate,
    sources: record.lineage.sources,
  };
}

/** The first stored copy that differs from the record (`sources` compared as a sorted list), or null. */
export function misindexedField(stored: IndexedCopies, record: GovernedObservation): { field: keyof IndexedCopies; stored: unknown; actual: unknown } | null {
  const actual = indexedCopies(record);
  for (const field of Object.keys(actual) as (keyof IndexedCopies)[]) {
    if (field === 'sources') continue;
    if (stored[field] !== actual[field]) return { field, stored: stored[field], actual: actual[field] };
  }
  const storedSources = [...stored.sources].sort();
  if (storedSources.length !== actual.sources.length || storedSources.some((source, i) => source !== actual.sources[i])) {
    return { field: 'sources', stored: storedSources, actual: actual.sources };
  }
  return null;
}
