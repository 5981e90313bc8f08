/**
 * The crossing bundle `entente.crossing-bundle/v1` (docs/decisions/0005-crossing.md, "Bundles"):
 * UTF-8 lines, each one JSON object and an LF, read with the strict reader. Line 1 is
 * `{format, hello}`; then section lines (certificate, crl, attestation, taint) and after them
 * observation lines; the last line is the manifest, signed by the agent over the count and the
 * RFC 6962 root of the lines between. This file holds the constants and one strict schema per
 * line kind; `parseLine` turns one line's bytes into a typed line or a named refusal.
 * The byte-level description for other exporters is README.md beside this file.
 */
import { z } from 'zod';
import { TaintNotice } from '../taint-notice.js';
import { canonicalBytes } from '../../canonical/jcs.js';
import { readStrictJson, type JsonLimits } from '../../canonical/strict-json.js';
import { describeIssues, IsoDateTime, isSha256Hex, Sha256Hex } from '../../common/atoms.js';
import type { JsonValue } from '../../common/json.js';
import { Refused } from '../../common/refused.js';
import { DsseEnvelope } from '../../crypto/dsse.js';

export const BUNDLE_FORMAT = 'entente.crossing-bundle/v1';
export const MANIFEST_TYPE = 'entente.crossing-manifest/v1';
/** The DSSE payload type the agent signs the manifest under (PAE binds it, so no other envelope passes as one). */
export const MANIFEST_PAYLOAD_TYPE = 'application/vnd.entente.crossing-manifest+json';

/** A line's bytes, its LF not counted. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Item lines (2 … n−1) per block: pass 1 keeps one digest per block, pass 2 admits a block at a time. */
export const BLOCK_LINES = 1024;
/**
 * The bytes of one block's lines. Pass 2 holds a whole block before admitting it, so this, not
 * the line limit times 1,024 (4 GiB), is what bounds an import's memory; an honest observation
 * is about a kilobyte, so a block of them is about a megabyte.
 */
export const MAX_BLOCK_BYTES = 32 * 1024 * 1024;
/** Item lines a bundle may hold (2^32): a counter, never an allocation. */
export const MAX_ITEM_LINES = 2 ** 32;

/**
 * The strict reader's limits for one line: the line limit, and nesting for an observation's
 * payload (64 levels, as `observe` reads it) inside its record (2) inside the line (1), with a
 * little room; values and containers stay at the reader's defaults for 4 MiB.
 */
export const LINE_JSON_LIMITS: JsonLimits = { maxBytes: MAX_LINE_BYTES, maxDepth: 70, maxValues: 1 << 19, maxContainers: 1 << 17 };

/** Certificates and CRLs cross as PEM (RFC 7468): the label lines and base64 between them. */
const PEM_PATTERN = /^-----BEGIN (CERTIFICATE|X509 CRL)-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----\r?\n?$/;
const Pem = (label: 'CERTIFICATE' | 'X509 CRL', max: number) =>
  z
    .string()
    .max(max)
    .regex(PEM_PATTERN, `expected a PEM ${label}`)
    .refine((pem) => pem.startsWith(`-----BEGIN ${label}-----`), `expected a PEM ${label}`);

export const HeaderLine = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  /** The agent's signed hello (core/boundary/hello.ts checks it); opaque to the format. */
  hello: DsseEnvelope,
});
export const CertificateLine = z.strictObject({ kind: z.literal('certificate'), pem: Pem('CERTIFICATE', 64 * 1024) });
/** A CRL may list many serials: up to the line limit. */
export const CrlLine = z.strictObject({ kind: z.literal('crl'), pem: Pem('X509 CRL', MAX_LINE_BYTES) });
/** An equivalence attestation (core/taxonomy checks it). */
export const AttestationLine = z.strictObject({ kind: z.literal('attestation'), envelope: DsseEnvelope });
/** A taint notice (core/boundary/taint-notice.ts): ids and causes, covered by the manifest the agent signs. */
export const TaintLine = z.strictObject({ kind: z.literal('taint'), notice: TaintNotice });

const isPlainObject = (value: unknown): value is Record<string, JsonValue> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const ObservationLine = z.strictObject({
  kind: z.literal('observation'),
  /**
   * The signed record as the device signed it. Its schema, signature and chain are admission's
   * per-item checks (one outcome per item), not the format's: a bad record is `rejected`, it
   * does not refuse the bundle. The strict reader has already made it plain JSON.
   */
  record: z.custom<Record<string, JsonValue>>(isPlainObject, 'expected the signed record as a JSON object'),
  /** SHA-256 of the device certificate's DER: names a certificate line of this bundle. */
  certificate: Sha256Hex,
});
/**
 * One signature, the agent's, and the payload in its one canonical base64 form: the digest names
 * the manifest line's bytes, so no second form of the same signed manifest may exist (an added
 * signature, or base64's spare bits set otherwise, would give one bundle two digests).
 */
export const ManifestLine = z.strictObject({
  kind: z.literal('manifest'),
  envelope: DsseEnvelope.refine((envelope) => envelope.signatures.length === 1, { path: ['signatures'], message: 'expected exactly one signature, the agent’s' }).refine(
    (envelope) => Buffer.from(envelope.payload, 'base64').toString('base64') === envelope.payload,
    { path: ['payload'], message: 'expected canonical padded base64 (RFC 4648 §4)' },
  ),
});

/** What the manifest envelope's payload holds (canonical JSON, RFC 8785). */
export const ManifestBody = z.strictObject({
  type: z.literal(MANIFEST_TYPE),
  /** SHA-256 of line 1's bytes (its LF not included). */
  hello: Sha256Hex,
  /** Item lines: lines 2 … n−1, the leaves of `root`. */
  lines: z.number().int().min(0).max(MAX_ITEM_LINES),
  /** Observation lines among them. */
  observations: z.number().int().min(0).max(MAX_ITEM_LINES),
  /** RFC 6962 root over leafHash(bytes of each item line, LF not included), lowercase hex. */
  root: Sha256Hex,
  exportedAt: IsoDateTime,
  /** The exporter's position for `--since`; opaque to the receiver, printable, one line. */
  cursor: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'),
});
export type ManifestBody = z.infer<typeof ManifestBody>;

export type HeaderLine = z.infer<typeof HeaderLine>;
export type CertificateLine = z.infer<typeof CertificateLine>;
export type CrlLine = z.infer<typeof CrlLine>;
export type AttestationLine = z.infer<typeof AttestationLine>;
export type TaintLine = z.infer<typeof TaintLine>;
export type ObservationLine = z.infer<typeof ObservationLine>;
export type ManifestLine = z.infer<typeof ManifestLine>;
/** Lines that come before the observations. */
export type SectionLine = CertificateLine | CrlLine | AttestationLine | TaintLine;
/** Lines 2 … n−1: what the root commits to and pass 2 yields. */
export type ItemLine = SectionLine | ObservationLine;
export type ItemKind = ItemLine['kind'];
export const ITEM_KINDS = ['certificate', 'crl', 'attestation', 'taint', 'observation'] as const satisfies readonly ItemKind[];

const ITEM_SCHEMAS = {
  certificate: CertificateLine,
  crl: CrlLine,
  attestation: AttestationLine,
  taint: TaintLine,
  observation: ObservationLine,
} as const;

export type BundleRefusalReason =
  | 'truncated-bundle'
  | 'line-too-long'
  | 'block-too-large'
  | 'malformed-line'
  | 'unknown-format'
  | 'misplaced-line'
  | 'manifest-mismatch'
  | 'bad-manifest-signature'
  | 'hello-mismatch'
  | 'bundle-changed'
  | 'cancelled';

/** A bundle refused by name, with the 1-based line it was found on when there is one. */
export class BundleError extends Refused {
  declare readonly reason: BundleRefusalReason;

  constructor(
    reason: BundleRefusalReason,
    message: string,
    readonly line: number | null = null,
  ) {
    super(reason, message);
    this.name = 'BundleError';
  }
}

export type ParsedLineValue = { readonly kind: 'header'; readonly value: HeaderLine } | { readonly kind: 'manifest'; readonly value: ManifestLine } | { readonly kind: 'item'; readonly value: ItemLine };

/**
 * One line's bytes (LF excluded) as a typed line. Throws BundleError: `malformed-line` for
 * anything the strict reader or a schema refuses, `unknown-format` for a header of another
 * format. Placement is the reader's concern, not this function's.
 */
export function parseLine(bytes: Buffer, line: number, limits: JsonLimits = LINE_JSON_LIMITS): ParsedLineValue {
  return typedLine(bytes, line, strictJsonOfLine(bytes, line, limits));
}

/**
 * The same as parseLine, for bytes the strict reader has already accepted: pass 2's lines,
 * whose block digest (SHA-256 over the leaf hash of each line's exact bytes) was just found
 * equal to the one pass 1 took while it read those same bytes with the strict reader. Over
 * bytes the strict reader accepts, JSON.parse builds the same value: no repeated key, no
 * forbidden key, no lone surrogate and no inexact number is left for the two to differ on
 * (strict-json.ts refuses them all), numbers go through the same round-to-nearest, and keys
 * land in the same order (both assign own properties as they read). The one difference is
 * negative zero: the strict reader gives 0 (RFC 8785 §3.2.2.3 signs -0 as 0), JSON.parse -0.
 * A line that may hold a number beginning `-0` is read with the strict reader, so no value
 * differs; the rest, nearly every line, with JSON.parse, several times faster. The shape checks
 * that follow are parseLine's own.
 */
export function parseVerifiedLine(bytes: Buffer, line: number, limits: JsonLimits = LINE_JSON_LIMITS): ParsedLineValue {
  if (mayHoldNegativeZero(bytes) || bytes[0] !== 0x7b || bytes[bytes.length - 1] !== 0x7d) return parseLine(bytes, line, limits);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Not the bytes pass 1 accepted after all: the strict reader names what is wrong.
    return parseLine(bytes, line, limits);
  }
  return typedLine(bytes, line, json);
}

const MINUS_ZERO = Buffer.from('-0', 'latin1');
/** What may come just before a number in JSON text (RFC 8259 §2): a value follows `:`, `,`, `[` or whitespace. */
const BEFORE_A_VALUE = new Set([0x3a, 0x2c, 0x5b, 0x20, 0x09, 0x0a, 0x0d]);

/**
 * Whether `-0` occurs where a number may begin. A date's `2026-01-05` does not (a digit comes
 * before its `-`); a string holding `:-0` does, and is read strictly for nothing but caution.
 */
function mayHoldNegativeZero(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(MINUS_ZERO); at !== -1; at = bytes.indexOf(MINUS_ZERO, at + 2)) {
    if (at === 0 || BEFORE_A_VALUE.has(bytes[at - 1]!)) return true;
  }
  return false;
}

function strictJsonOfLine(bytes: Buffer, line: number, limits: JsonLimits): unknown {
  // One object and nothing around it: no blank line, no CR before the LF, no padding.
  if (bytes[0] !== 0x7b || bytes[bytes.length - 1] !== 0x7d) {
    throw new BundleError('malformed-line', `Line ${line} of the bundle is not one JSON object with nothing before or after it (a blank line, a CR before the LF, or padding).`, line);
  }
  try {
    return readStrictJson(bytes, limits);
  } catch (error) {
    if (error instanceof Refused) throw new BundleError('malformed-line', `Line ${line} of the bundle is not strict JSON (${error.reason}): ${error.message}`, line);
    throw error;
  }
}

function typedLine(bytes: Buffer, line: number, json: unknown): ParsedLineValue {
  if (!isPlainObject(json)) throw new BundleError('malformed-line', `Line ${line} of the bundle is not a JSON object.`, line);
  if (Object.hasOwn(json, 'format')) {
    if (json.format !== BUNDLE_FORMAT) {
      const named = typeof json.format === 'string' ? JSON.stringify(json.format.slice(0, 64)) : `a ${typeof json.format}`;
      throw new BundleError('unknown-format', `Line ${line} names the format ${named}; this reader knows only ${BUNDLE_FORMAT}.`, line);
    }
    // The manifest names this line by its hash, so it too has one form only.
    if (!canonicalBytes(json).equals(bytes)) throw new BundleError('malformed-line', `Line ${line}, the header, is not in canonical form (RFC 8785).`, line);
    return { kind: 'header', value: checked(HeaderLine, json, line, 'header') };
  }
  const kind = json.kind;
  if (kind === 'manifest') {
    // The digest is the SHA-256 of this line: only its canonical form (RFC 8785) is a manifest line, so one bundle has one digest.
    if (!canonicalBytes(json).equals(bytes)) throw new BundleError('malformed-line', `Line ${line}, the manifest, is not in canonical form (RFC 8785).`, line);
    return { kind: 'manifest', value: checked(ManifestLine, json, line, 'manifest') };
  }
  if (kind === 'observation' && isPlainObservationLine(json)) return { kind: 'item', value: json };
  if (typeof kind === 'string' && Object.hasOwn(ITEM_SCHEMAS, kind)) {
    return { kind: 'item', value: checked(ITEM_SCHEMAS[kind as ItemKind] as z.ZodType<ItemLine>, json, line, kind) };
  }
  const named = typeof kind === 'string' ? `kind ${JSON.stringify(kind.slice(0, 64))}` : 'no kind';
  throw new BundleError('malformed-line', `Line ${line} of the bundle has ${named}; expected ${[...ITEM_KINDS, 'manifest'].join(', ')} or the header.`, line);
}

const OBSERVATION_LINE_KEYS = new Set(['kind', 'record', 'certificate']);

/**
 * A quick yes for the usual observation line, nearly every line of a bundle: exactly the three
 * members of ObservationLine, each as its schema wants. Never yes where the schema says no (a
 * no is not a verdict: the schema then decides and names the problem); what it lets through is
 * the value itself, where the schema would hand back a copy of it with the same members.
 */
function isPlainObservationLine(json: Record<string, unknown>): json is ObservationLine {
  let members = 0;
  for (const key in json) {
    if (!OBSERVATION_LINE_KEYS.has(key)) return false;
    members += 1;
  }
  return members === 3 && json.kind === 'observation' && isPlainObject(json.record) && isSha256Hex(json.certificate);
}

function checked<T>(schema: z.ZodType<T>, json: unknown, line: number, what: string): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new BundleError('malformed-line', `Line ${line} of the bundle is not a valid ${what} line: ${describeIssues(result.error, what)}.`, line);
  return result.data;
}
