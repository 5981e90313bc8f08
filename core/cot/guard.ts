/**
 * The gate every Cursor on Target event passes before the TAK library's parser (xml-js, which
 * would expand what a DTD declares) sees it: bounded in size and depth, no DTD and no entity
 * beyond the five predefined ones (XML 1.0 §4.6) and character references, no processing
 * instruction, well-formed XML 1.0 with one root element named `event`. A DTD is how external
 * entities (XXE, `file://`) and nested expansion ("billion laughs") get in, so it is refused by
 * its text before any parser runs; saxes (strict, non-validating, never fetches) then checks the
 * rest and would refuse an undeclared entity by itself anyway.
 */
import { decodeBoundedUtf8, XML_PREDEFINED_ENTITIES } from '../common/xml-text.js';
import { SaxesParser, type SaxesTag } from 'saxes';
import { CotError } from './errors.js';

export interface CotLimits {
  /** UTF-8 bytes of one event. */
  readonly maxBytes: number;
  /** Element nesting, `event` counting as 1. */
  readonly maxDepth: number;
  /** Elements in one event. */
  readonly maxElements: number;
}

/** An ATAK position report is under 2 KiB and five levels deep; the caps leave room for rich detail, not rope. */
export const COT_LIMITS: CotLimits = { maxBytes: 64 * 1024, maxDepth: 16, maxElements: 2_000 };

const PREDEFINED_ENTITIES = XML_PREDEFINED_ENTITIES;

/**
 * Names xml-js would turn into object keys that reach a prototype (`<__proto__>` in the detail
 * would set the parsed detail's prototype): refused as names of elements and attributes.
 */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** An event that passed the gate: its text, and the attributes of `<event>` and of its `<point>` as written. */
export interface GuardedCot {
  readonly text: string;
  readonly event: Readonly<Record<string, string>>;
  readonly point: Readonly<Record<string, string>> | null;
}

/**
 * Checks one event's XML (a string, or UTF-8 bytes) and returns it as text, ready for the TAK
 * library. Every refusal is a CotError with a `cot-…` reason; nothing else escapes.
 */
export function guardCotXml(input: string | Uint8Array, limits: CotLimits = COT_LIMITS): GuardedCot {
  const text = decode(input, limits.maxBytes);
  // Named before parsing, so not even the declaration's text is scanned by a parser. (The words
  // inside a comment or CDATA are refused as well: an event has no reason to hold them.)
  if (/<!ENTITY/i.test(text)) throw new CotError('cot-entity', 'The CoT event declares an entity (<!ENTITY); none is accepted.');
  if (/<!DOCTYPE/i.test(text)) throw new CotError('cot-dtd', 'The CoT event has a document type declaration (DTD); none is accepted.');
  try {
    return { text, ...checkWellFormed(text, limits) };
  } catch (error) {
    if (error instanceof CotError) throw error;
    // saxes is strict by design; anything else it throws is still an event we cannot read.
    throw new CotError('cot-malformed', `The CoT event is not well-formed XML: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  }
}

function decode(input: string | Uint8Array, maxBytes: number): string {
  return decodeBoundedUtf8(input, maxBytes, {
    tooLarge: () => new CotError('cot-too-large', `The CoT event is larger than ${maxBytes} bytes.`),
    notUtf8: () => new CotError('cot-malformed', 'The CoT event is not valid UTF-8.'),
  });
}

function checkWellFormed(text: string, limits: CotLimits): { event: Record<string, string>; point: Record<string, string> | null } {
  const parser = new SaxesParser();
  // Named entities are looked up here: the five predefined ones resolve, any other is refused by name.
  parser.ENTITIES = new Proxy(Object.create(null) as Record<string, string>, {
    get(_target, name) {
      const value = typeof name === 'string' ? PREDEFINED_ENTITIES.get(name) : undefined;
      if (value === undefined) throw new CotError('cot-entity', `The CoT event refers to the entity "${String(name).slice(0, 64)}"; only the five predefined ones and character references are accepted.`);
      return value;
    },
  });
  let depth = 0;
  let elements = 0;
  let roots = 0;
  let event: Record<string, string> = {};
  let point: Record<string, string> | null = null;
  parser.on('error', (error) => {
    throw new CotError('cot-malformed', `The CoT event is not well-formed XML: ${oneLine(error.message)}`);
  });
  parser.on('doctype', () => {
    throw new CotError('cot-dtd', 'The CoT event has a document type declaration (DTD); none is accepted.');
  });
  parser.on('processinginstruction', (pi) => {
    throw new CotError('cot-malformed', `The CoT event has a processing instruction "${pi.target.slice(0, 64)}"; none is accepted.`);
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
      throw new CotError('cot-malformed', `The CoT event declares encoding "${decl.encoding.slice(0, 32)}"; only UTF-8 is accepted.`);
    }
  });
  // Counted when a tag's name is read, before its attributes: `<a><a><a>…` stops at maxDepth + 1.
  parser.on('opentagstart', (tag) => {
    depth += 1;
    elements += 1;
    if (depth > limits.maxDepth) throw new CotError('cot-too-large', `The CoT event nests elements deeper than ${limits.maxDepth} levels.`);
    if (elements > limits.maxElements) throw new CotError('cot-too-large', `The CoT event has more than ${limits.maxElements} elements.`);
    if (depth === 1) {
      roots += 1;
      if (roots > 1) throw new CotError('cot-malformed', 'The CoT text holds more than one root element; one event is one <event>.');
      if (tag.name !== 'event') throw new CotError('cot-malformed', `The CoT root element is <${tag.name.slice(0, 64)}>, not <event>.`);
    }
    if (FORBIDDEN_NAMES.has(tag.name)) throw new CotError('cot-malformed', `The CoT event has an element named ${tag.name}; that name is refused.`);
  });
  parser.on('opentag', (tag: SaxesTag) => {
    for (const name of Object.keys(tag.attributes)) {
      if (FORBIDDEN_NAMES.has(name)) throw new CotError('cot-malformed', `The CoT event has an attribute named ${name}; that name is refused.`);
    }
    // Without the xmlns option saxes gives attributes as plain name → value strings.
    const values = tag.attributes as Record<string, string>;
    if (depth === 1) event = { ...values };
    else if (depth === 2 && tag.name === 'point' && point === null) point = { ...values };
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  parser.write(text).close();
  if (roots === 0) throw new CotError('cot-malformed', 'The CoT text holds no <event> element.');
  return { event, point };
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 300);
}
