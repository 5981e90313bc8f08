/**
 * STANAG 4774 confidentiality labels as XML (namespace urn:nato:stanag:4774:
 * confidentialitymetadatalabel:1:0): elements namespace-qualified, attributes not. Reads the
 * originator and alternative label forms into the JSON form, and writes them back.
 */
import { ConfidentialityLabel, normaliseLabel } from './label.js';
import { LabelError } from './validate.js';
import { readXml, type XmlElement } from './xml-reader.js';

export const STANAG_4774_NS = 'urn:nato:stanag:4774:confidentialitymetadatalabel:1:0';

const ROOTS = { originatorConfidentialityLabel: 'originator', alternativeConfidentialityLabel: 'alternative' } as const;

export function labelFromXml(xml: string): ConfidentialityLabel {
  const root = readXml(xml);
  if (root.uri !== STANAG_4774_NS) throw new LabelError('xml-wrong-namespace', `The label root is in namespace "${root.uri.slice(0, 100)}", not STANAG 4774's.`);
  const kind = ROOTS[root.local as keyof typeof ROOTS];
  if (!kind) throw new LabelError('xml-unknown-element', `<${root.local.slice(0, 64)}> is not a STANAG 4774 label root.`);

  const info = only(root, 'ConfidentialityInformation');
  const policy = only(info, 'PolicyIdentifier');
  const originator = optional(root, 'OriginatorID');
  const review = optional(root, 'ReviewDateTime');
  const privacy = optional(info, 'PrivacyMark');
  const candidate = {
    kind,
    policy: { id: policy.text.trim(), ...(policy.attributes.URI ? { uri: policy.attributes.URI } : {}) },
    classification: only(info, 'Classification').text.trim(),
    ...(privacy ? { privacyMark: privacy.text.trim() } : {}),
    categories: children(info, 'Category').map((category) => ({
      tagName: category.attributes.TagName ?? '',
      type: category.attributes.Type ?? '',
      ...(category.attributes.URI ? { uri: category.attributes.URI } : {}),
      values: children(category, 'GenericValue').map((value) => value.text.trim()),
    })),
    ...(originator ? { originator: { idType: originator.attributes.IDType ?? '', id: originator.text.trim() } } : {}),
    createdAt: only(root, 'CreationDateTime').text.trim(),
    ...(review ? { reviewAt: review.text.trim() } : {}),
  };
  checkKnownElements(root);
  const parsed = ConfidentialityLabel.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabelError('malformed-label', `The label XML is malformed at ${['label', ...issue.path.map(String)].join('.')}: ${issue.message}.`);
  }
  return normaliseLabel(parsed.data);
}

export function labelToXml(label: ConfidentialityLabel): string {
  const root = label.kind === 'originator' ? 'originatorConfidentialityLabel' : 'alternativeConfidentialityLabel';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<slab:${root} xmlns:slab="${STANAG_4774_NS}">`,
    '  <slab:ConfidentialityInformation>',
    `    <slab:PolicyIdentifier${label.policy.uri ? ` URI="${escape(label.policy.uri)}"` : ''}>${escape(label.policy.id)}</slab:PolicyIdentifier>`,
    `    <slab:Classification>${escape(label.classification)}</slab:Classification>`,
    ...(label.privacyMark ? [`    <slab:PrivacyMark>${escape(label.privacyMark)}</slab:PrivacyMark>`] : []),
    ...label.categories.flatMap((c) => [
      `    <slab:Category TagName="${escape(c.tagName)}" Type="${c.type}"${c.uri ? ` URI="${escape(c.uri)}"` : ''}>`,
      ...c.values.map((v) => `      <slab:GenericValue>${escape(v)}</slab:GenericValue>`),
      '    </slab:Category>',
    ]),
    '  </slab:ConfidentialityInformation>',
    ...(label.originator ? [`  <slab:OriginatorID IDType="${escape(label.originator.idType)}">${escape(label.originator.id)}</slab:OriginatorID>`] : []),
    `  <slab:CreationDateTime>${escape(label.createdAt)}</slab:CreationDateTime>`,
    ...(label.reviewAt ? [`  <slab:ReviewDateTime>${escape(label.reviewAt)}</slab:ReviewDateTime>`] : []),
    `</slab:${root}>`,
  ];
  return `${lines.join('\n')}\n`;
}

const KNOWN = new Set([
  'ConfidentialityInformation', 'PolicyIdentifier', 'Classification', 'PrivacyMark', 'Category', 'GenericValue',
  'OriginatorID', 'CreationDateTime', 'ReviewDateTime',
]);

function checkKnownElements(root: XmlElement): void {
  const stack = [...root.children];
  while (stack.length > 0) {
    const element = stack.pop()!;
    if (element.uri !== STANAG_4774_NS || !KNOWN.has(element.local)) {
      throw new LabelError('xml-unknown-element', `<${element.local.slice(0, 64)}> is not part of a STANAG 4774 label.`);
    }
    stack.push(...element.children);
  }
}

function children(parent: XmlElement, local: string): XmlElement[] {
  return parent.children.filter((c) => c.local === local && c.uri === STANAG_4774_NS);
}

function optional(parent: XmlElement, local: string): XmlElement | undefined {
  const found = children(parent, local);
  if (found.length > 1) throw new LabelError('malformed-label', `The label has ${found.length} <${local}> elements where one is allowed.`);
  return found[0];
}

function only(parent: XmlElement, local: string): XmlElement {
  const found = optional(parent, local);
  if (!found) throw new LabelError('malformed-label', `The label has no <${local}> inside <${parent.local}>.`);
  return found;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
