/**
 * A quick yes for a record that plainly has the GovernedObservation shape — the case of every
 * record re-read from the store, where the zod schema alone would cost as much as a tenth of the
 * signature check. Never yes where the schema says no (plain-shape.test.ts holds the two
 * together on generated and damaged records); a no is not a verdict: the verifier then asks the
 * schema, which decides and names the problem. Patterns and bounds come from record.ts.
 */
import { hasOnlyKeys, isIntegerIn, isJsonValue, isOneOf, isPlainArray, isPlainObject, isSha256Hex, matches } from '../canonical/quick-shape.js';
import { isPlainLabel } from '../labels/label.js';
import {
  BatchIntegrity,
  Derivation,
  type GovernedObservation,
  IsoDateTime,
  MAX_BATCH_SIZE,
  MAX_HLC_COUNTER,
  MAX_PROOF_HASHES,
  MAX_SOURCES,
  PATTERNS,
  SignatureAlgorithm,
  SignatureIntegrity,
  SUBJECT_MAX,
  TimeReference,
} from './record.js';

const RECORD_KEYS = new Set(['v', 'mesh', 'subject', 'class', 'payload', 'label', 'time', 'authority', 'device', 'lineage']);
const TIME_KEYS = new Set(['reference', 'wall', 'hlc']);
const HLC_KEYS = new Set(['l', 'c']);
const AUTHORITY_KEYS = new Set(['anchor', 'issuer']);
const DEVICE_KEYS = new Set(['id', 'certificate']);
const LINEAGE_KEYS = new Set(['device', 'sources', 'derivation', 'integrity']);
const DERIVATION_KEYS = new Set(Object.keys(Derivation.shape));
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
