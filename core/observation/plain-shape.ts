/**
 * A quick yes for a record that plainly has the GovernedObservation shape — the case of every
 * record re-read from the store, where the zod schema alone would cost as much as a tenth of the
 * signature check. Never yes where the schema says no (plain-shape.test.ts holds the two
 * together on generated and damaged records); a no is not a verdict: the verifier then asks the
 * schema, which decides and names the problem. Patterns and bounds come from record.ts.
 * For a record it accepts, signedTextOfPlain writes the signed text from the members it knows.
 */
import { CanonicalizationError, canonicalize } from '../canonical/jcs.js';
import { hasOnlyKeys, isIntegerIn, isJsonValue, isOneOf, isPlainArray, isPlainObject, isSha256Hex, matches } from '../canonical/quick-shape.js';
import { isPlainLabel } from '../labels/label.js';
import { signedText } from './canonical-form.js';
import { IsoDateTime } from '../common/atoms.js';
import { SignatureAlgorithm } from '../crypto/signatures.js';
import { BatchIntegrity, type GovernedObservation, MAX_BATCH_SIZE, MAX_HLC_COUNTER, MAX_PROOF_HASHES, MAX_SOURCES, PATTERNS, SignatureIntegrity, SUBJECT_MAX, TimeReference } from './record.js';

const RECORD_KEYS = new Set(['v', 'mesh', 'subject', 'class', 'payload', 'label', 'time', 'authority', 'device', 'lineage']);
const TIME_KEYS = new Set(['reference', 'wall', 'hlc']);
const HLC_KEYS = new Set(['l', 'c']);
const AUTHORITY_KEYS = new Set(['anchor', 'issuer']);
const DEVICE_KEYS = new Set(['id', 'certificate']);
const LINEAGE_KEYS = new Set(['device', 'sources', 'derivation', 'integrity']);
// Written out, not taken from the schema: signedTextOfPlain writes exactly these members.
const DERIVATION_KEYS = new Set(['name', 'version']);
const SIGNATURE_KEYS = new Set(Object.keys(SignatureIntegrity.shape));
const BATCH_KEYS = new Set(Object.keys(BatchIntegrity.shape));

export function hasPlainShape(value: unknown): value is GovernedObservation {
  if (!isPlainObject(value) || !hasOnlyKeys(value, RECORD_KEYS)) return false;
  const { v, mesh, subject, class: kind, payload, label, time, authority, device, lineage } = value;
  return (
    v === 1 &&
    matches(PATTERNS.meshCode, mesh) &&
    typeof subject === 'string' &&
    subject.length >= 1 &&
    subject.length <= SUBJECT_MAX &&
    PATTERNS.subject.test(subject) &&
    matches(PATTERNS.observationClass, kind) &&
    isJsonValue(payload) &&
    isPlainLabel(label) &&
    isPlainTime(time) &&
    isPlainObject(authority) &&
    hasOnlyKeys(authority, AUTHORITY_KEYS) &&
    isSha256Hex(authority.anchor) &&
    isSha256Hex(authority.issuer) &&
    isPlainObject(device) &&
    hasOnlyKeys(device, DEVICE_KEYS) &&
    matches(PATTERNS.principalId, device.id) &&
    isSha256Hex(device.certificate) &&
    isPlainLineage(lineage, device.id)
  );
}

function isPlainTime(time: unknown): boolean {
  if (!isPlainObject(time) || !hasOnlyKeys(time, TIME_KEYS)) return false;
  const { reference, wall, hlc } = time;
  return (
    isOneOf(TimeReference.options, reference) &&
    typeof wall === 'string' &&
    IsoDateTime.safeParse(wall).success &&
    isPlainObject(hlc) &&
    hasOnlyKeys(hlc, HLC_KEYS) &&
    isIntegerIn(hlc.l, 0, Number.MAX_SAFE_INTEGER) &&
    isIntegerIn(hlc.c, 0, MAX_HLC_COUNTER)
  );
}

/** The lineage member with the record-level rules of checkLineage in record.ts. */
function isPlainLineage(lineage: unknown, deviceId: string): boolean {
  if (!isPlainObject(lineage) || !hasOnlyKeys(lineage, LINEAGE_KEYS)) return false;
  const { device, sources, derivation, integrity } = lineage;
  if (device !== deviceId || !isPlainArray(sources, MAX_SOURCES)) return false;
  for (let index = 0; index < sources.length; index++) {
    // Sorted and unique; a hole or a non-hash fails the pattern.
    if (!isSha256Hex(sources[index]) || (index > 0 && !((sources[index - 1] as string) < (sources[index] as string)))) return false;
  }
  if (derivation === null) {
    if (sources.length > 0) return false;
  } else {
    if (sources.length === 0 || !isPlainObject(derivation) || !hasOnlyKeys(derivation, DERIVATION_KEYS)) return false;
    if (!matches(PATTERNS.derivationName, derivation.name) || !matches(PATTERNS.derivationVersion, derivation.version)) return false;
  }
  return isPlainIntegrity(integrity);
}

function isPlainIntegrity(integrity: unknown): boolean {
  if (!isPlainObject(integrity)) return false;
  const { type, alg, sig } = integrity;
  if (!isOneOf(SignatureAlgorithm.options, alg) || !matches(PATTERNS.base64Url, sig)) return false;
  if (type === 'signature') return hasOnlyKeys(integrity, SIGNATURE_KEYS);
  if (type !== 'batch' || !hasOnlyKeys(integrity, BATCH_KEYS)) return false;
  const { root, size, index, proof } = integrity;
  if (!isSha256Hex(root) || !isIntegerIn(size, 1, MAX_BATCH_SIZE) || !isIntegerIn(index, 0, (size as number) - 1)) return false;
  if (!isPlainArray(proof, MAX_PROOF_HASHES)) return false;
  for (let at = 0; at < proof.length; at++) if (!isSha256Hex(proof[at])) return false;
  return true;
}

/**
 * signedText (canonical-form.ts) of a record that hasPlainShape accepted, written member by
 * member in canonical order: the members it knows are all there, and their patterns leave
 * nothing to escape, so only the subject, label and payload go through the canonicalizer.
 * About a third cheaper than canonicalizing the whole record, which matters for batch records
 * (one signature per thousand). plain-shape.test.ts holds the two equal on every record the
 * quick check accepts. Throws CanonicalizationError as signedText does, with the same message.
 */
export function signedTextOfPlain(record: GovernedObservation): string {
  try {
    const [head, tail] = signedHalves(record);
    return head + tail;
  } catch (error) {
    // A lone surrogate in the subject, label or payload: the whole-record canonicalizer refuses it too, naming the member.
    if (error instanceof CanonicalizationError) return signedText(record);
    throw error;
  }
}

/**
 * The signed text and the whole record's canonical text (RFC 8785) — what the store keeps —
 * written together, the subject, label and payload canonicalized once for both. The two differ
 * only by lineage's `integrity` member, which the signed text leaves out: lineage's keys sort
 * `derivation` < `device` < `integrity` < `sources`, and lineage is one member of the record, so
 * the whole text is the signed text with `"integrity":…,` put between lineage's `device` and
 * `sources`. `record` is undefined where signedTextOfPlain would have fallen back (the caller then
 * canonicalizes the record, which refuses it the same way); plain-shape.test.ts holds `record`
 * equal to canonicalize(record) on every record the quick check accepts.
 */
export function textsOfPlain(record: GovernedObservation): { readonly signed: string; readonly record?: string } {
  try {
    const [head, tail] = signedHalves(record);
    return { signed: head + tail, record: `${head}"integrity":${integrityText(record.lineage.integrity)},${tail}` };
  } catch (error) {
    if (error instanceof CanonicalizationError) return { signed: signedText(record) };
    throw error;
  }
}

/** A plain integrity member in canonical order; its patterns (base64url, hex, integers) leave nothing to escape. */
function integrityText(integrity: GovernedObservation['lineage']['integrity']): string {
  if (integrity.type === 'signature') return `{"alg":"${integrity.alg}","sig":"${integrity.sig}","type":"signature"}`;
  const proof = integrity.proof.length === 0 ? '[]' : `["${integrity.proof.join('","')}"]`;
  return `{"alg":"${integrity.alg}","index":${integrity.index},"proof":${proof},"root":"${integrity.root}","sig":"${integrity.sig}","size":${integrity.size},"type":"batch"}`;
}

/** The signed text cut where the whole record's `integrity` member would go (after lineage's `device`). */
function signedHalves(record: GovernedObservation): [string, string] {
  const { authority, device, lineage, time } = record;
  const { derivation } = lineage;
  const sources = lineage.sources.length === 0 ? '[]' : `["${lineage.sources.join('","')}"]`;
  return [
    `{"authority":{"anchor":"${authority.anchor}","issuer":"${authority.issuer}"},"class":"${record.class}",` +
      `"device":{"certificate":"${device.certificate}","id":"${device.id}"},"label":${canonicalize(record.label)},` +
      `"lineage":{"derivation":${derivation === null ? 'null' : `{"name":"${derivation.name}","version":"${derivation.version}"}`},"device":"${lineage.device}",`,
    `"sources":${sources}},` +
      `"mesh":"${record.mesh}","payload":${canonicalize(record.payload)},"subject":${canonicalize(record.subject)},` +
      `"time":{"hlc":{"c":${time.hlc.c},"l":${time.hlc.l}},"reference":"${time.reference}","wall":"${time.wall}"},"v":1}`,
  ];
}
