/**
 * STANAG 4774 (ADatP-4774) confidentiality labels as XML, import and export: namespace
 * urn:nato:stanag:4774:confidentialitymetadatalabel:1:0, elements qualified, attributes not.
 */
import { LabelError } from './errors.js';
import { parseLabel, type Category, type ConfidentialityLabel } from './label.js';
import { LABEL_XML_LIMITS, readXml, type XmlElement, type XmlLimits } from './xml-reader.js';

export const STANAG_4774_NS = 'urn:nato:stanag:4774:confidentialitymetadatalabel:1:0';
const PREFIX = 'slab';

const ROOTS = { originatorConfidentialityLabel: 'originator', alternativeConfidentialityLabel: 'alternative' } as const;

/**
 * The 4774 content model this module reads: each element's attributes and its children in
 * sequence, with how often each may occur. Leaves carry text; containers only whitespace.
 */
interface Shape {
  readonly attributes: readonly string[];
  readonly required?: readonly string[];
  readonly children?: readonly { readonly local: string; readonly min: number; readonly max: number }[];
}

const LABEL: Shape = {
  attributes: [],
  children: [
    { local: 'ConfidentialityInformation', min: 1, max: 1 },
    { local: 'OriginatorID', min: 0, max: 1 },
    { local: 'CreationDateTime', min: 1, max: 1 },
    { local: 'ReviewDateTime', min: 0, max: 1 },
  ],
};

const SHAPES: Readonly<Record<string, Shape>> = {
  ConfidentialityInformation: {
    attributes: [],
    children: [
      { local: 'PolicyIdentifier', min: 1, max: 1 },
      { local: 'Classification', min: 1, max: 1 },
      { local: 'PrivacyMark', min: 0, max: 1 },
      { local: 'Category', min: 0, max: 32 },
    ],
  },
  PolicyIdentifier: { attributes: ['URI'] },
  Classification: { attributes: [] },
  PrivacyMark: { attributes: [] },
  Category: { attributes: ['TagName', 'Type', 'URI'], required: ['TagName', 'Type'], children: [{ local: 'GenericValue', min: 1, max: 256 }] },
  GenericValue: { attributes: [] },
  OriginatorID: { attributes: ['IDType'], required: ['IDType'] },
  CreationDateTime: { attributes: [] },
  ReviewDateTime: { attributes: [] },
};

/**
 * Reads a 4774 label document into the JSON form, checked by the label schema and in canonical
 * order. It does not check the label against a policy: that is validate.ts, with the caller's
 * policies. Text is trimmed and put in Unicode NFC, as the JSON form requires.
 * @example labelFromXml(bytes).categories[0]?.values // ['DEU', 'NLD', 'POL']
 */
export function labelFromXml(input: string | Uint8Array, limits: XmlLimits = LABEL_XML_LIMITS): ConfidentialityLabel {
  const root = readXml(input, limits);
  if (root.uri !== STANAG_4774_NS) throw wrongNamespace(root);
  const kind = Object.hasOwn(ROOTS, root.local) ? ROOTS[root.local as keyof typeof ROOTS] : undefined;
  if (!kind) throw new LabelError('xml-unknown-element', `<${root.local.slice(0, 64)}> is not a label this reader takes (originator or alternative confidentiality label).`);
  checkShape(root, LABEL);

  const information = childOf(root, 'ConfidentialityInformation')!;
  const originator = childOf(root, 'OriginatorID');
  const privacyMark = childOf(information, 'PrivacyMark');
  const review = childOf(root, 'ReviewDateTime');
  const policy = childOf(information, 'PolicyIdentifier')!;
  const policyUri = attributeOf(policy, 'URI');
  return parseLabel({
    kind,
    policy: { id: textOf(policy), ...(policyUri === undefined ? {} : { uri: policyUri }) },
    classification: textOf(childOf(information, 'Classification')!),
    ...(privacyMark ? { privacyMark: textOf(privacyMark) } : {}),
    categories: information.children.filter((child) => child.local === 'Category').map(categoryOf),
    ...(originator ? { originator: { idType: attributeOf(originator, 'IDType')!, id: textOf(originator) } } : {}),
    createdAt: textOf(childOf(root, 'CreationDateTime')!),
    ...(review ? { reviewAt: textOf(review) } : {}),
  });
}

function categoryOf(element: XmlElement): Category {
  const uri = attributeOf(element, 'URI');
  return {
    tagName: attributeOf(element, 'TagName')!,
    // The schema refuses anything but the three types, naming the field.
    type: attributeOf(element, 'Type') as Category['type'],
    ...(uri === undefined ? {} : { uri }),
    values: element.children.map(textOf),
  };
}

/** Checks the tree against SHAPES. It only descends into elements SHAPES allows there, so its recursion is three deep at most. */
function checkShape(element: XmlElement, shape: Shape): void {
  for (const attribute of element.attributes) {
    if (attribute.uri !== '' || !shape.attributes.includes(attribute.local)) {
      throw new LabelError('xml-unknown-attribute', `<${element.local}> has an attribute "${attribute.local.slice(0, 64)}" that 4774 does not define there.`);
    }
  }
  for (const name of shape.required ?? []) {
    if (attributeOf(element, name) === undefined) throw new LabelError('xml-structure', `<${element.local}> lacks its ${name} attribute.`);
  }
  const expected = shape.children ?? [];
  if (expected.length > 0 && element.text.trim() !== '') throw new LabelError('xml-structure', `<${element.local}> holds text; it should hold only elements.`);

  // Children in the schema's sequence, each within its bounds.
  let slot = 0;
  let count = 0;
  for (const child of element.children) {
    if (child.uri !== STANAG_4774_NS) throw wrongNamespace(child);
    const childShape = Object.hasOwn(SHAPES, child.local) ? SHAPES[child.local] : undefined;
    if (!childShape) throw new LabelError('xml-unknown-element', `<${child.local.slice(0, 64)}> is not an element of a 4774 label.`);
    while (slot < expected.length && expected[slot]!.local !== child.local) {
      if (count < expected[slot]!.min) break;
      slot += 1;
      count = 0;
    }
    const current = expected[slot];
    if (!current || current.local !== child.local) throw new LabelError('xml-structure', `<${child.local}> is out of place in <${element.local}>.`);
    count += 1;
    if (count > current.max) throw new LabelError('xml-structure', `<${element.local}> has more than ${current.max} <${child.local}>.`);
    checkShape(child, childShape);
  }
  for (; slot < expected.length; slot++, count = 0) {
    if (count < expected[slot]!.min) throw new LabelError('xml-structure', `<${element.local}> lacks <${expected[slot]!.local}>.`);
  }
}

function wrongNamespace(element: XmlElement): LabelError {
  const where = element.uri === '' ? 'no namespace' : `namespace ${element.uri.slice(0, 128)}`;
  return new LabelError('xml-wrong-namespace', `<${element.local.slice(0, 64)}> is in ${where}, not ${STANAG_4774_NS}.`);
}

function childOf(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((child) => child.local === local);
}

function attributeOf(element: XmlElement, local: string): string | undefined {
  return element.attributes.find((attribute) => attribute.uri === '' && attribute.local === local)?.value;
}

function textOf(element: XmlElement): string {
  return element.text.trim().normalize('NFC');
}

/**
 * Writes the label as a 4774 document, UTF-8, elements under the `slab` prefix, in canonical
 * order; labelFromXml reads back the same label.
 */
export function labelToXml(candidate: ConfidentialityLabel): string {
  // Re-checked so that nothing the schema refuses (a control character, say) reaches the XML.
  const label = parseLabel(candidate);
  const rootName = `${PREFIX}:${label.kind === 'originator' ? 'originatorConfidentialityLabel' : 'alternativeConfidentialityLabel'}`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<${rootName} xmlns:${PREFIX}="${STANAG_4774_NS}">`];
  const leaf = (indent: number, name: string, text: string, attributes: Record<string, string | undefined> = {}) =>
    lines.push(`${'  '.repeat(indent)}<${PREFIX}:${name}${attributesText(attributes)}>${escapeText(text)}</${PREFIX}:${name}>`);

  lines.push(`  <${PREFIX}:ConfidentialityInformation>`);
  leaf(2, 'PolicyIdentifier', label.policy.id, { URI: label.policy.uri });
  leaf(2, 'Classification', label.classification);
  if (label.privacyMark !== undefined) leaf(2, 'PrivacyMark', label.privacyMark);
  for (const category of label.categories) {
    lines.push(`    <${PREFIX}:Category${attributesText({ TagName: category.tagName, Type: category.type, URI: category.uri })}>`);
    for (const value of category.values) leaf(3, 'GenericValue', value);
    lines.push(`    </${PREFIX}:Category>`);
  }
  lines.push(`  </${PREFIX}:ConfidentialityInformation>`);
  if (label.originator) leaf(1, 'OriginatorID', label.originator.id, { IDType: label.originator.idType });
  leaf(1, 'CreationDateTime', label.createdAt);
  if (label.reviewAt !== undefined) leaf(1, 'ReviewDateTime', label.reviewAt);
  lines.push(`</${rootName}>`, '');
  return lines.join('\n');
}

function attributesText(attributes: Record<string, string | undefined>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
}

// `>` is escaped too so that "]]>" can never appear in character data (XML 1.0 §2.4).
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Tab, newline and CR as references survive attribute-value normalisation (XML 1.0 §3.3.3);
// the label schema refuses them anyway, so this only guards against a future relaxation.
function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
