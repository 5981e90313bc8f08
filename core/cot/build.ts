/**
 * The reverse: an observation, or a subject of the joint picture, as a CoT event built with the
 * TAK library, carrying in its `<detail>` where it came from — the originating mesh and
 * observation, and per field the mesh and observation that supplied it (the `<entente>`
 * element, README.md in this folder). What is exported is checked by the same gate as what is
 * ingested, so a TAK client never receives XML we would refuse ourselves.
 */
import type { JsonValue } from '../common/json.js';
import { CotError } from './errors.js';
import { COT_SUBJECT_PREFIX, COT_UNKNOWN, PROVENANCE_ELEMENT } from './event.js';
import { guardCotXml } from './guard.js';
import { cotLibrary } from './library.js';

/** One field of a subject with the observation and mesh that supplied it (as the picture holds it). */
export interface SuppliedField {
  readonly field: string;
  readonly value: JsonValue;
  readonly observation: string;
  readonly mesh: string;
}

/** A subject of the joint picture (core/app/reconcile's PictureSubjectView has this shape). */
export interface CotSubject {
  readonly subject: string;
  readonly fields: readonly SuppliedField[];
  /** The picture's state for it: `held` when its divergence is above the threshold (0007). */
  readonly state?: 'merged' | 'held';
}

/** How long an exported event stays fresh when its fields state no stale time of their own. */
export const DEFAULT_STALE_MS = 5 * 60_000;

/** One observation (its id, mesh, subject and payload) as a CoT event; null when it is not a thing with a place and a type. */
export async function observationToCot(id: string, record: { readonly mesh: string; readonly subject: string; readonly payload: JsonValue }, now: Date): Promise<string | null> {
  const payload = record.payload;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const fields = Object.entries(payload).map(([field, value]) => ({ field, value, observation: id, mesh: record.mesh }));
  return subjectToCot({ subject: record.subject, fields }, now);
}

/**
 * One subject of the picture as a CoT event; null when its fields hold no position (a `point`
 * with lat and lon, or top-level `lat` and `lon`) or no type (a CoT `type`, or an APP-6(B) `sidc`
 * the library maps back). Times come from the fields; an event without them is made `now`, and
 * stale DEFAULT_STALE_MS later.
 */
export async function subjectToCot(subject: CotSubject, now: Date): Promise<string | null> {
  const { default: CoT, CoTParser, MilSymType } = await cotLibrary();
  const byName = new Map(subject.fields.map((f) => [f.field, f]));
  const value = (name: string): JsonValue | undefined => byName.get(name)?.value;

  const type = typeOf(value('type'), value('sidc'), (sidc) => (MilSymType.default.isTypeConvertable(sidc) ? MilSymType.default.from2525B(sidc) : null));
  const point = pointOf(value('point'), value('lat'), value('lon'));
  if (type === null || point === null) return null;

  const time = timeOf(value('time')) ?? now.toISOString();
  const start = timeOf(value('start')) ?? time;
  const stale = timeOf(value('stale')) ?? new Date(Math.max(now.getTime(), Date.parse(time)) + DEFAULT_STALE_MS).toISOString();
  const how = typeof value('how') === 'string' && /^[a-z](-[a-z0-9]{1,16}){0,8}$/.test(value('how') as string) ? (value('how') as string) : 'm-f';
  const uidField = value('uid');
  const uid = typeof uidField === 'string' && uidField !== '' ? uidField : subject.subject.startsWith(COT_SUBJECT_PREFIX) ? subject.subject.slice(COT_SUBJECT_PREFIX.length) : subject.subject;

  // Where the position came from names the event; every field then says who supplied it.
  const origin = byName.get('point') ?? byName.get('lat') ?? subject.fields[0]!;
  const detail = { ...detailOf(value('detail')), [PROVENANCE_ELEMENT]: provenanceOf(subject, origin) };
  const cot = new CoT({
    event: {
      _attributes: { version: '2.0', uid, type, how, time, start, stale },
      point: { _attributes: { lat: point.lat, lon: point.lon, hae: point.hae ?? COT_UNKNOWN, ce: point.ce ?? COT_UNKNOWN, le: point.le ?? COT_UNKNOWN } },
      detail,
    },
  } as unknown as ConstructorParameters<typeof CoT>[0]);
  cot.raw = escapedForXmlJs(cot.raw) as typeof cot.raw;
  const xml = CoTParser.to_xml(cot);
  try {
    guardCotXml(xml);
  } catch (error) {
    const reason = error instanceof CotError ? error.reason : 'cot-malformed';
    throw new CotError(reason, `Subject ${subject.subject.slice(0, 64)} cannot be written as CoT: ${(error as Error).message}`);
  }
  return xml;
}

function provenanceOf(subject: CotSubject, origin: SuppliedField): JsonValue {
  return {
    _attributes: { mesh: origin.mesh, observation: origin.observation, subject: subject.subject, ...(subject.state ? { state: subject.state } : {}) },
    field: [...subject.fields].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)).map((f) => ({ _attributes: { name: f.field, mesh: f.mesh, observation: f.observation } })),
  };
}

function typeOf(type: JsonValue | undefined, sidc: JsonValue | undefined, fromSidc: (sidc: string) => string | null): string | null {
  if (typeof type === 'string' && /^[a-z](-[A-Za-z0-9]{1,16}){0,15}$/.test(type)) return type;
  if (typeof sidc === 'string') return fromSidc(sidc);
  return null;
}

interface Point {
  readonly lat: number;
  readonly lon: number;
  readonly hae: number | null;
  readonly ce: number | null;
  readonly le: number | null;
}

function pointOf(point: JsonValue | undefined, lat: JsonValue | undefined, lon: JsonValue | undefined): Point | null {
  const source = point !== null && typeof point === 'object' && !Array.isArray(point) ? point : { lat: lat ?? null, lon: lon ?? null };
  const finite = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const la = finite(source.lat);
  const lo = finite(source.lon);
  if (la === null || lo === null || la < -90 || la > 90 || lo < -180 || lo > 180) return null;
  return { lat: la, lon: lo, hae: finite(source.hae), ce: finite(source.ce), le: finite(source.le) };
}

function timeOf(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) && Number.isFinite(Date.parse(value)) ? value : null;
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,127}$/;
/** xml-js compact keys that are content, not elements; comments, instructions and doctypes are never written. */
const CONTENT_KEYS = new Set(['_attributes', '_text', '_cdata']);
const DROPPED_KEYS = new Set(['_comment', '_instruction', '_declaration', '_doctype']);

/**
 * The detail in xml-js compact form, keeping only what is XML: element and attribute names that
 * are XML names, values that are text. A detail another mesh's observation supplied is any JSON;
 * what would not serialise as an element is left out rather than written as broken XML.
 */
function detailOf(detail: JsonValue | undefined): Record<string, JsonValue> {
  if (detail === null || detail === undefined || typeof detail !== 'object' || Array.isArray(detail)) return {};
  // The detail's own attributes and text are not kept (TAK puts none there); our element is written fresh.
  const { [PROVENANCE_ELEMENT]: _provenance, _attributes: _ownAttributes, _text: _ownText, _cdata: _ownCdata, ...children } = cleanElement(detail, 0);
  return children;
}

function cleanElement(element: { readonly [k: string]: JsonValue }, depth: number): Record<string, JsonValue> {
  const kept: Record<string, JsonValue> = {};
  if (depth > 12) return kept;
  for (const [key, value] of Object.entries(element)) {
    if (DROPPED_KEYS.has(key) || key === '__proto__') continue;
    if (key === '_attributes') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const attributes: Record<string, JsonValue> = {};
      for (const [name, v] of Object.entries(value)) if (XML_NAME.test(name) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) attributes[name] = v;
      kept._attributes = attributes;
    } else if (CONTENT_KEYS.has(key)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
    } else if (XML_NAME.test(key)) {
      const children = Array.isArray(value) ? value : [value];
      const cleaned = children.filter((c): c is { [k: string]: JsonValue } => c !== null && typeof c === 'object' && !Array.isArray(c)).map((c) => cleanElement(c, depth + 1));
      if (cleaned.length === 1) kept[key] = cleaned[0]!;
      else if (cleaned.length > 1) kept[key] = cleaned;
    }
  }
  return kept;
}

/**
 * xml-js (which CoTParser.to_xml calls) writes attribute values with only `"` escaped, so a `&`
 * or `<` in a value would come out as broken XML: escaped here first (XML 1.0 §2.4, §3.3.3; the
 * whitespace characters as references so they survive attribute-value normalisation).
 */
function escapedForXmlJs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(escapedForXmlJs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '_attributes' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v === 'string' ? escapeAttribute(v) : v]));
    } else out[key] = escapedForXmlJs(value);
  }
  return out;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
