/**
 * One entry of the reconciliation log (docs/decisions/0003-reconciliation-log.md): what kind of
 * event, who did it under which credential, what it touched (ids, attestations, the policy and
 * its version), when (wall clock and hybrid logical clock), and why (reason codes). The leaf the
 * Merkle tree holds is the entry's RFC 8785 canonical JSON, so the bytes a reviewer hashes a
 * year later are exactly the bytes stored.
 */
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { describeIssues, MeshCode, PrincipalId, Sha256Hex } from '../common/atoms.js';
import { leafHash } from './tree.js';
import { Refused } from '../common/refused.js';
import { AUDIT_ENTRY_TYPES } from './entry-types.js';

export { AUDIT_ENTRY_TYPES };

export const AuditEntryType = z.enum(AUDIT_ENTRY_TYPES);
export type AuditEntryType = z.infer<typeof AuditEntryType>;

// eslint-disable-next-line no-control-regex -- control characters would let an entry forge lines in a report.
const Text = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'expected text without control characters');
const ReasonCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a reason code such as revoked');

/** Who acted: a principal of some mesh, or that mesh's authority (its issuing CA). */
export const AuditActor = z.strictObject({
  mesh: MeshCode,
  role: z.enum(['authority', 'device', 'operator', 'boundary-agent']),
  id: PrincipalId,
  /** SHA-256 of the DER of the certificate the actor acted under. */
  certificate: Sha256Hex,
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditWhat = z.strictObject({
  /** Observation, entry or declaration ids the event is about (lowercase hex SHA-256). */
  ids: z.array(Sha256Hex).max(10_000),
  subject: Text(256).min(1).optional(),
  federation: Text(128).min(1).optional(),
  /** Ids of the attestations relied on (equivalences, signatures, declarations). */
  attestations: z.array(Sha256Hex).max(1_000).optional(),
  policy: z.strictObject({ id: Text(128).min(1), version: Text(64).min(1) }).optional(),
  /** Small facts for the reader (counts, a certificate serial): never content that was purged. */
  detail: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,63}$/), z.union([Text(512), z.number().finite(), z.boolean()])).optional(),
});
export type AuditWhat = z.infer<typeof AuditWhat>;

export const AuditWhen = z.strictObject({
  wall: z.iso.datetime({ offset: true }),
  hlc: z.strictObject({ l: z.number().int().nonnegative(), c: z.number().int().nonnegative() }),
});

export const AuditWhy = z.strictObject({
  reasons: z.array(ReasonCode).min(1).max(16),
  text: Text(1_000).optional(),
});

export const AuditEntry = z.strictObject({
  v: z.literal(1),
  /** The mesh whose log this is. */
  log: MeshCode,
  /** Position in the log: leaf index, from 0. */
  seq: z.number().int().nonnegative(),
  type: AuditEntryType,
  who: AuditActor,
  what: AuditWhat,
  when: AuditWhen,
  why: AuditWhy,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** "device uav-7 @ DEU", or "mesh authority @ DEU": how reports and timelines name an actor. */
export function actorName(who: AuditActor): string {
  return who.role === 'authority' ? `mesh authority @ ${who.mesh}` : `${who.role} ${who.id} @ ${who.mesh}`;
}

/** What a caller records; the log adds its own name, the position and the time. */
export type AuditDraft = Pick<AuditEntry, 'type' | 'who' | 'what' | 'why'>;

export interface SealedEntry {
  readonly entry: AuditEntry;
  /** Canonical JSON: what is stored and hashed. */
  readonly text: string;
  /** RFC 6962 leaf hash of the text, SHA-256(0x00 ‖ text): the entry's place in the tree. */
  readonly leaf: Buffer;
  /** The leaf hash in lowercase hex: the entry's id, as Certificate Transparency names entries. */
  readonly id: string;
}

export class AuditEntryError extends Refused {
  constructor(message: string) {
    super('malformed-entry', message);
    this.name = 'AuditEntryError';
  }
}

/** The copies of an entry's fields a store indexes (the console's filters, the next append's clock). */
export interface FiledAs {
  readonly type: string;
  readonly subject: string | null;
  readonly federation: string | null;
  readonly wall: string;
  readonly hlcL: number;
  readonly hlcC: number;
}

/** What an entry is filed under: written beside it on append, checked against it on verification. */
export function filedAs(entry: AuditEntry): FiledAs {
  return {
    type: entry.type,
    subject: entry.what.subject ?? null,
    federation: entry.what.federation ?? null,
    wall: entry.when.wall,
    hlcL: entry.when.hlc.l,
    hlcC: entry.when.hlc.c,
  };
}

/** Validates and seals an entry. @throws AuditEntryError naming the first bad field. */
export function sealEntry(candidate: AuditEntry): SealedEntry {
  const parsed = AuditEntry.safeParse(candidate);
  if (!parsed.success) throw new AuditEntryError(`The log entry is malformed: ${describeIssues(parsed.error, 'entry')}.`);
  return sealText(canonicalize(parsed.data), parsed.data);
}

export function sealText(text: string, entry: AuditEntry): SealedEntry {
  const leaf = leafHash(Buffer.from(text, 'utf8'));
  return { entry, text, leaf, id: leaf.toString('hex') };
}

export type EntryReading = { readonly ok: true; readonly entry: AuditEntry } | { readonly ok: false; readonly message: string };

/** Reads a stored entry's text back; it must be valid and exactly its own canonical form. */
export function readEntryText(text: string): EntryReading {
  let value: unknown;
  try {
    // JSON.parse, not the strict reader: the canonical comparison below refuses a repeated key
    // (canonical text has none), and this runs once per entry of a log or bundle.
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the entry is not JSON' };
  }
  const parsed = AuditEntry.safeParse(value);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error, 'entry') };
  if (canonicalize(parsed.data) !== text) return { ok: false, message: 'the entry is not in canonical form' };
  return { ok: true, entry: parsed.data };
}
