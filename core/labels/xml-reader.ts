/**
 * A small, strict XML reader for label files: namespace-aware (saxes), and refusing what makes
 * XML dangerous to read — any DOCTYPE (so no external entities, no entity expansion), entity
 * references beyond the five predefined ones, processing instructions, oversized input and deep
 * nesting (counted as elements open, never by recursion).
 */
import { SaxesParser } from 'saxes';
import { LabelError } from './validate.js';

export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const LABEL_XML_LIMITS: XmlLimits = { maxBytes: 64 * 1024, maxDepth: 16 };

export function readXml(xml: string, limits: XmlLimits = LABEL_XML_LIMITS): XmlElement {
  if (Buffer.byteLength(xml, 'utf8') > limits.maxBytes) {
    throw new LabelError('xml-too-large', `The label XML is larger than ${limits.maxBytes} bytes.`);
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  parser.on('doctype', () => {
    throw new LabelError('xml-dtd', 'The label XML declares a DOCTYPE; DTDs and their entities are refused.');
  });
  parser.on('processinginstruction', (pi) => {
    throw new LabelError('xml-processing-instruction', `The label XML holds a processing instruction (<?${pi.target.slice(0, 32)} …?>), which is refused.`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= limits.maxDepth) throw new LabelError('xml-too-deep', `The label XML nests deeper than ${limits.maxDepth} elements.`);
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === '' || attribute.uri === undefined) attributes[attribute.local] = attribute.value;
    }
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    if (stack.length === 0) {
      if (root) throw new LabelError('xml-malformed', 'The label XML has more than one root element.');
      root = element;
    } else {
      stack.at(-1)!.children.push(element);
    }
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('error', (error) => {
    // saxes reports undefined entities (all but the five XML ones) as errors.
    const reason = /entity/i.test(error.message) ? 'xml-entity' : 'xml-malformed';
    throw new LabelError(reason, `The label XML is not acceptable: ${error.message.split('\n')[0]}.`);
  });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof LabelError) throw error;
    throw new LabelError('xml-malformed', `The label XML cannot be read: ${(error as Error).message.split('\n')[0]}.`);
  }
  if (!root) throw new LabelError('xml-malformed', 'The label XML has no root element.');
  return root;
}
