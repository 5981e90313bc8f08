/**
 * Building an unsigned observation from its parts, normalised the one way the record allows:
 * sources lowercase, sorted and unique; no derivation written as null; lineage.device the
 * attesting device; wall time as an ISO 8601 string. The result is checked against the schema.
 */
import type { HlcStamp } from '../time/hlc.js';
import { describeIssues } from '../common/atoms.js';
import { ObservationError, UnsignedObservation, type Derivation } from './record.js';

export interface ObservationDraft {
  readonly mesh: string;
  readonly subject: string;
  readonly class: string;
  readonly payload: unknown;
  readonly label: Record<string, unknown>;
  readonly time: { readonly reference: UnsignedObservation['time']['reference']; readonly wall: string | Date; readonly hlc: HlcStamp };
  readonly authority: { readonly anchor: string; readonly issuer: string };
  readonly device: { readonly id: string; readonly certificate: string };
  /** Ids of the observations this one was derived from, in any order, repeats allowed. */
  readonly sources?: readonly string[];
  readonly derivation?: Derivation | null;
}

/**
 * Throws ObservationError('malformed-record') naming the first field that is wrong.
 *
 * @example
 *   const unsigned = buildObservation({ mesh: 'DEU', subject: 'track:4711', class: 'track', payload, label,
 *     time: { reference: 'local', wall: new Date(), hlc }, authority, device: { id: 'uav-7', certificate } });
 */
export function buildObservation(draft: ObservationDraft): UnsignedObservation {
  const sources = [...new Set((draft.sources ?? []).map((id) => id.toLowerCase()))].sort();
  const candidate = {
    v: 1,
    mesh: draft.mesh,
    subject: draft.subject,
    class: draft.class,
    payload: draft.payload,
    label: draft.label,
    time: {
      reference: draft.time.reference,
      wall: draft.time.wall instanceof Date ? isoOf(draft.time.wall) : draft.time.wall,
      hlc: { l: draft.time.hlc.l, c: draft.time.hlc.c },
    },
    authority: { anchor: draft.authority.anchor, issuer: draft.authority.issuer },
    device: { id: draft.device.id, certificate: draft.device.certificate },
    lineage: { device: draft.device.id, sources, derivation: draft.derivation ?? null },
  };
  const parsed = UnsignedObservation.safeParse(candidate);
  if (!parsed.success) throw new ObservationError('malformed-record', `The observation is not valid: ${describeIssues(parsed.error)}.`);
  return candidate as UnsignedObservation;
}

function isoOf(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new ObservationError('malformed-record', 'The observation is not valid: record.time.wall: not a real moment.');
  return date.toISOString();
}
