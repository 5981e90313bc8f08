/**
 * A Cursor on Target event as a governed observation's parts (issue 17): uid → subject
 * `cot:<uid>`, the CoT type → its APP-6 symbol code, the point with its uncertainties, the
 * event's own time/start/stale, `how`, and the detail kept as the TAK library reads it. The
 * observation's top-level payload members are the joint picture's fields (docs/decisions/0007),
 * so each of these is one field another mesh's observation can agree or disagree with.
 */
import type { JsonValue } from '../common/json.js';
import { CotError } from './errors.js';
import { COT_LIMITS, guardCotXml, type CotLimits } from './guard.js';
import { cotLibrary } from './library.js';

/** The observation class CoT events are recorded under. */
export const COT_CLASS = 'track';

/** Subjects of CoT events are namespaced, so a CoT uid can never name a subject another part made. */
export const COT_SUBJECT_PREFIX = 'cot:';

/** CoT's "unknown" for hae, ce and le (the TAK schema's 9999999); carried as null in the payload. */
export const COT_UNKNOWN = 9_999_999;

/** The detail element our provenance goes in (README.md in this folder). */
export const PROVENANCE_ELEMENT = 'entente';

/** A subject is at most 256 characters (core/observation/record.ts); the prefix takes four. */
const MAX_UID = 256 - COT_SUBJECT_PREFIX.length;

export interface CotPoint {
  readonly lat: number;
  readonly lon: number;
  /** Height above the WGS 84 ellipsoid in metres; null when the event says unknown. */
  readonly hae: number | null;
  /** Circular (horizontal) error in metres, 1 sigma; null when unknown. */
  readonly ce: number | null;
  /** Linear (vertical) error in metres, 1 sigma; null when unknown. */
  readonly le: number | null;
}

/** The payload of a CoT observation: each member one field of the joint picture. */
export interface CotPayload {
  readonly [field: string]: JsonValue;
  readonly uid: string;
  /** The CoT type as sent, e.g. `a-h-G-U-C-I`. */
  readonly type: string;
  /** The APP-6(B) / MIL-STD-2525B letter symbol code the type maps to, e.g. `SHGPUCI--------`. */
  readonly sidc: string;
  /** CoT `how`: h-e human estimate, m-g machine GPS, m-f fused, … (null when absent). */
  readonly how: string | null;
  readonly time: string;
  readonly start: string;
  readonly stale: string;
  readonly point: CotPoint & { readonly [k: string]: number | null };
  /** The `<detail>` as the TAK library reads it (xml-js compact form), without our provenance. */
  readonly detail: JsonValue;
}

export interface CotObservationParts {
  readonly subject: string;
  readonly class: string;
  readonly payload: CotPayload;
}

/**
 * Checks and parses one event's XML and maps it to an observation's parts. Throws CotError
 * (`cot-too-large`, `cot-dtd`, `cot-entity`, `cot-malformed`, `cot-unknown-type`,
 * `cot-stale-before-time`).
 */
export async function cotToObservation(xml: string | Uint8Array, limits: CotLimits = COT_LIMITS): Promise<CotObservationParts> {
  const guarded = guardCotXml(xml, limits);
  // What the TAK library's schema requires is checked here first, each with its own reason: the
  // library prints a warning to stderr for every event it refuses, which a flood would turn into noise.
  const attributes = guarded.event;
  for (const name of ['version', 'uid', 'type', 'time', 'start', 'stale'] as const) {
    if (attributes[name] === undefined) throw new CotError('cot-malformed', `The CoT <event> has no ${name} attribute.`);
  }
  const uid = attributes.uid!;
  if (uid.length === 0 || uid.length > MAX_UID || hasControlCharacter(uid)) {
    throw new CotError('cot-malformed', `The CoT uid must be 1 to ${MAX_UID} characters without control characters.`);
  }
  const { CoTParser, MilSymType } = await cotLibrary();
  const type = attributes.type!;
  // Only atoms (a-<affiliation>-<dimension>…) are things with a symbol; the affiliation letter carries over.
  if (!/^[a-z](-[A-Za-z0-9]{1,16}){0,15}$/.test(type) || !MilSymType.default.is2525BConvertable(type)) {
    throw new CotError('cot-unknown-type', `The CoT type "${type.slice(0, 64)}" is not an atom (a-<affiliation>-<dimension>…) with an APP-6 symbol.`);
  }
  const times = { time: timeOf(attributes.time!, 'time'), start: timeOf(attributes.start!, 'start'), stale: timeOf(attributes.stale!, 'stale') };
  if (Date.parse(times.stale) < Date.parse(times.time)) {
    throw new CotError('cot-stale-before-time', `The CoT event is stale (${times.stale}) before it was made (${times.time}).`);
  }
  if (Date.parse(times.stale) < Date.parse(times.start)) {
    throw new CotError('cot-stale-before-time', `The CoT event is stale (${times.stale}) before it starts (${times.start}).`);
  }
  const how = attributes.how === undefined || attributes.how === '' ? null : attributes.how;
  if (how !== null && !/^[a-z](-[a-z0-9]{1,16}){0,8}$/.test(how)) throw new CotError('cot-malformed', `The CoT how "${how.slice(0, 32)}" is not a how code such as m-g or h-e.`);
  const point = pointOf(guarded.point);

  let raw: ParsedEvent;
  try {
    raw = CoTParser.from_xml(guarded.text).raw as unknown as ParsedEvent;
  } catch (error) {
    throw new CotError('cot-malformed', `The TAK library refused the CoT event: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  }
  const detail = detailOf(raw.event.detail);
  // The library coerces some detail attributes to numbers by its schema: one a double cannot hold is no value to sign.
  if (!isIJson(detail)) throw new CotError('cot-malformed', 'The CoT detail holds a number that is not finite.');
  const payload: CotPayload = { uid, type, sidc: MilSymType.default.to2525B(type), how, ...times, point, detail };
  return { subject: `${COT_SUBJECT_PREFIX}${uid}`, class: COT_CLASS, payload };
}

interface ParsedEvent {
  event: { detail?: Record<string, JsonValue> };
}

/** ISO 8601 with a zone, as CoT writes it (W3C XML Schema dateTime); kept as sent, checked to be a moment. */
function timeOf(value: string, name: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) || !Number.isFinite(Date.parse(value))) {
    throw new CotError('cot-malformed', `The CoT ${name} "${value.slice(0, 40)}" is not a dateTime with a zone.`);
  }
  return value;
}

/** The point as written (XML Schema decimals); the TAK schema requires all five attributes. */
function pointOf(attributes: Readonly<Record<string, string>> | null): CotPayload['point'] {
  if (!attributes) throw new CotError('cot-malformed', 'The CoT event has no <point>.');
  const number = (name: string): number => {
    const value = attributes[name];
    const parsed = value !== undefined && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(parsed)) throw new CotError('cot-malformed', `The CoT point's ${name} is not a number.`);
    return parsed;
  };
  const lat = number('lat');
  const lon = number('lon');
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw new CotError('cot-malformed', `The CoT point (${lat}, ${lon}) is not a latitude and longitude in degrees.`);
  const maybe = (name: string): number | null => {
    const value = number(name);
    return value === COT_UNKNOWN ? null : value;
  };
  const ce = maybe('ce');
  const le = maybe('le');
  if ((ce !== null && ce < 0) || (le !== null && le < 0)) throw new CotError('cot-malformed', 'The CoT point has a negative ce or le; an uncertainty is a distance.');
  return { lat, lon, hae: maybe('hae'), ce, le };
}

/**
 * The detail as the library read it, minus what is not the sender's: the flow tag the library
 * stamps on every parse (its own version and the parse time, which would make each reading a
 * different payload), and any `<entente>` element — provenance is ours to state, from the
 * signed records, never taken from what a TAK client echoes back.
 */
function detailOf(detail: Record<string, JsonValue> | undefined): JsonValue {
  const kept: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(detail ?? {})) {
    if (name === PROVENANCE_ELEMENT) continue;
    if (name === '_flow-tags_' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const tags = Object.fromEntries(Object.entries(value).filter(([tag]) => !tag.startsWith('NodeCoT-')));
      if (Object.keys(tags).length > 0) kept[name] = tags;
      continue;
    }
    kept[name] = value;
  }
  return kept;
}

function isIJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isIJson);
  return typeof value === 'object' && Object.values(value).every(isIJson);
}

/** C0 and C1 controls: a subject holding one could forge lines in logs and tables (core/observation/record.ts). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 300);
}
