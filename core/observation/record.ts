/**
 * The governed observation: the unit every mesh exchanges. Its shape is docs/decisions/
 * 0002-governed-observations.md ("The record"); this schema is the one place it is checked.
 * Objects are strict (an unknown member is refused, never dropped: a dropped member would make
 * the verified bytes differ from the received ones).
 */
import { z } from 'zod';
import { Refused } from '../common/refused.js';
import { IsoDateTime, MeshCode, PATTERNS as ATOMS, PrincipalId, Sha256Hex } from '../common/atoms.js';
import { SignatureAlgorithm } from '../crypto/signatures.js';
import { ConfidentialityLabel } from '../labels/label.js';

/** The patterns the schemas below check strings against; core/observation/plain-shape.ts uses the same. */
export const PATTERNS = {
  sha256Hex: ATOMS.sha256Hex,
  base64Url: /^[A-Za-z0-9_-]{1,512}$/,
  meshCode: ATOMS.meshCode,
  principalId: ATOMS.principalId,
  observationClass: /^[a-z][a-z0-9-]{0,63}$/,
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point.
  subject: /^[^\u0000-\u001f\u007f-\u009f]*$/,
  derivationName: /^[A-Za-z0-9._-]{1,128}$/,
  derivationVersion: /^[A-Za-z0-9._-]{1,64}$/,
} as const;

const Base64Url = z.string().regex(PATTERNS.base64Url, 'expected unpadded base64url');
/** Open-ended (track, assessment, incident, logistics, …) but one lowercase word, so it can name files and filters. */
export const ObservationClass = z.string().regex(PATTERNS.observationClass, 'expected a lowercase class such as track');
/** Printable text: no control characters, which would let a subject forge lines in logs and tables. */
export const SUBJECT_MAX = 256;
const Subject = z.string().min(1).max(SUBJECT_MAX).regex(PATTERNS.subject, 'expected text without control characters');

/** The originator's STANAG 4774 label (core/labels' JSON form); policy checks are the caller's. */
export const ObservationLabel = ConfidentialityLabel;


/** The largest batch one signature covers; its proofs are at most 20 hashes (64 are let through to be refused by the proof check). */
export const MAX_BATCH_SIZE = 1 << 20;
export const MAX_PROOF_HASHES = 64;
/** The hybrid logical clock's counter bound: more events in one millisecond means a runaway clock. */
export const MAX_HLC_COUNTER = 1_000_000;

export const SignatureIntegrity = z.strictObject({ type: z.literal('signature'), alg: SignatureAlgorithm, sig: Base64Url });

export const BatchIntegrity = z
  .strictObject({
    type: z.literal('batch'),
    alg: SignatureAlgorithm,
    root: Sha256Hex,
    size: z.number().int().min(1).max(MAX_BATCH_SIZE),
    index: z.number().int().min(0),
    proof: z.array(Sha256Hex).max(MAX_PROOF_HASHES),
    sig: Base64Url,
  })
  .refine((batch) => batch.index < batch.size, { path: ['index'], message: 'must be below the batch size' });

export const Integrity = z.discriminatedUnion('type', [SignatureIntegrity, BatchIntegrity]);
export type Integrity = z.infer<typeof Integrity>;
export type BatchIntegrity = z.infer<typeof BatchIntegrity>;

/** Which clock the time comes from: none is canonical, so the record says which it is. */
export const TimeReference = z.enum(['global', 'mesh-derived', 'local']);

export const ObservationTime = z.strictObject({
  reference: TimeReference,
  wall: IsoDateTime,
  hlc: z.strictObject({ l: z.number().int().nonnegative(), c: z.number().int().nonnegative().max(MAX_HLC_COUNTER) }),
});

/** The derivation function, named as `entente observe --fn NAME@VERSION` accepts it. */
export const Derivation = z.strictObject({
  name: z.string().regex(PATTERNS.derivationName, 'expected a name of letters, digits and . _ -'),
  version: z.string().regex(PATTERNS.derivationVersion, 'expected a version of letters, digits and . _ -'),
});
export type Derivation = z.infer<typeof Derivation>;

/** At most this many sources per record; wider fusions chain records. */
export const MAX_SOURCES = 1000;

const lineageFields = {
  /** The contributing device; it must be the device that attests the record. */
  device: PrincipalId,
  sources: z.array(Sha256Hex).max(MAX_SOURCES),
  derivation: Derivation.nullable(),
};

const recordFields = {
  v: z.literal(1),
  mesh: MeshCode,
  subject: Subject,
  class: ObservationClass,
  payload: z.json(),
  label: ObservationLabel,
  time: ObservationTime,
  authority: z.strictObject({ anchor: Sha256Hex, issuer: Sha256Hex }),
  device: z.strictObject({ id: PrincipalId, certificate: Sha256Hex }),
};

export const UnsignedObservation = z
  .strictObject({ ...recordFields, lineage: z.strictObject(lineageFields) })
  .superRefine(checkLineage);

export const GovernedObservation = z
  .strictObject({ ...recordFields, lineage: z.strictObject({ ...lineageFields, integrity: Integrity }) })
  .superRefine(checkLineage);

export type UnsignedObservation = z.infer<typeof UnsignedObservation>;
export type GovernedObservation = z.infer<typeof GovernedObservation>;

type LineageOf = { device: { id: string }; lineage: { device: string; sources: string[]; derivation: Derivation | null } };

function checkLineage(record: LineageOf, ctx: z.RefinementCtx): void {
  const { sources, derivation, device } = record.lineage;
  if (device !== record.device.id) ctx.addIssue({ code: 'custom', path: ['lineage', 'device'], message: 'must be the attesting device (device.id)' });
  // Sorted and unique, so one set of sources has one canonical form and one id.
  if (sources.some((s, i) => i > 0 && s <= sources[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['lineage', 'sources'], message: 'must be sorted and unique' });
  // A derived record names both what it came from and how; an original names neither.
  if (sources.length > 0 && derivation === null) ctx.addIssue({ code: 'custom', path: ['lineage', 'derivation'], message: 'a derived observation must name its derivation' });
  if (sources.length === 0 && derivation !== null) ctx.addIssue({ code: 'custom', path: ['lineage', 'sources'], message: 'a derivation needs at least one source' });
}

/** A failure in building, signing or reading a record, with a named reason. */
export class ObservationError extends Refused {
  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = 'ObservationError';
  }
}

