/**
 * Reading XML from outside into a small element tree, safely: XML 1.0 + Namespaces via saxes
 * (strict, non-validating, never fetches anything), and no DTDs, no entities beyond the five
 * predefined ones (XML 1.0 §4.6) and character references, no processing instructions.
 */
import { decodeBoundedUtf8, XML_PREDEFINED_ENTITIES } from '../common/xml-text.js';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { LabelError } from './errors.js';

export interface XmlAttribute {
  readonly uri: string;
  readonly local: string;
  readonly value: string;
}

export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  /** Namespace declarations (xmlns, xmlns:p) are not attributes here. */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA), concatenated; children's text excluded. */
  readonly text: string;
}

export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** A 4774 label is a few hundred bytes and five levels deep; the caps leave room, not rope. */
export const LABEL_XML_LIMITS: XmlLimits = { maxBytes: 64 * 1024, maxDepth: 16 };

const PREDEFINED_ENTITIES = XML_PREDEFINED_ENTITIES;

interface OpenElement {
  readonly uri: string;
  readonly local: string;
  readonly attributes: XmlAttribute[];
  readonly children: XmlElement[];
  text: string;
}

/**
 * Parses one XML document (a string, or UTF-8 bytes) into its root element. Every refusal is a
 * LabelError with an `xml-…` reason; nothing else escapes.
 */
export function readXml(input: string | Uint8Array, limits: XmlLimits = LABEL_XML_LIMITS): XmlElement {
  try {
    return parse(decode(input, limits.maxBytes), limits.maxDepth);
  } catch (error) {
    if (error instanceof LabelError) throw error;
    // saxes is strict by design; anything else it throws is still a document we cannot read.
    throw new LabelError('xml-malformed', `The XML could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decode(input: string | Uint8Array, maxBytes: number): string {
  return decodeBoundedUtf8(input, maxBytes, {
    tooLarge: () => new LabelError('xml-too-large', `The XML is larger than ${maxBytes} bytes.`),
    notUtf8: () => new LabelError('xml-encoding', 'The XML is not valid UTF-8.'),
  });
}

function parse(text: string, maxDepth: number): XmlElement {
  // Refused before parsing, so not even the declaration's text is scanned: a DTD is how XXE
  // (external entities) and "billion laughs" (nested expansion) get in. saxes never expands
  // one, and the doctype handler below refuses it too; this just names the reason up front.
  // (The words inside a comment or CDATA are refused as well: a label has no reason to hold them.)
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new LabelError('xml-dtd', 'The XML has a document type declaration (DTD); none is accepted.');

  const parser = new SaxesParser({ xmlns: true });
  // Lookups of named entities go through this map: the five predefined ones resolve, any
  // other name is refused by name here rather than as saxes' generic "undefined entity".
  parser.ENTITIES = new Proxy(Object.create(null) as Record<string, string>, {
    get(_target, name) {
      const value = typeof name === 'string' ? PREDEFINED_ENTITIES.get(name) : undefined;
      if (value === undefined) throw new LabelError('xml-entity', `The XML refers to the entity "${String(name).slice(0, 64)}"; only the five predefined ones are accepted.`);
      return value;
    },
  });

  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let depth = 0;

  parser.on('error', (error) => {
    throw new LabelError('xml-malformed', `The XML is malformed: ${error.message}`);
  });
  parser.on('doctype', () => {
    throw new LabelError('xml-dtd', 'The XML has a document type declaration (DTD); none is accepted.');
  });
  parser.on('processinginstruction', (pi) => {
    throw new LabelError('xml-processing-instruction', `The XML has a processing instruction "${pi.target.slice(0, 64)}"; none is accepted.`);
  });
  parser.on('xmldecl', (decl) => {
    // Bytes are decoded as UTF-8 before parsing; a document saying otherwise was mis-read.
    if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
      throw new LabelError('xml-encoding', `The XML declares encoding "${decl.encoding.slice(0, 32)}"; only UTF-8 is accepted.`);
    }
  });
  // Counted when a tag's name is read, before its attributes: a megabyte of `<a><a><a>…` stops
  // at maxDepth + 1 elements, and the tree is built with an explicit stack, never recursion.
  parser.on('opentagstart', () => {
    depth += 1;
    if (depth > maxDepth) throw new LabelError('xml-too-deep', `The XML nests elements deeper than ${maxDepth} levels.`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: XmlAttribute[] = [];
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      attributes.push({ uri: attribute.uri, local: attribute.local, value: attribute.value });
    }
    stack.push({ uri: tag.uri, local: tag.local, attributes, children: [], text: '' });
  });
  parser.on('closetag', () => {
    const open = stack.pop();
    depth -= 1;
    if (!open) return;
    const element: XmlElement = { uri: open.uri, local: open.local, attributes: open.attributes, children: open.children, text: open.text };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
  });
  const addText = (chunk: string) => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  parser.write(text).close();
  if (!root) throw new LabelError('xml-malformed', 'The XML has no root element.');
  return root;
}
