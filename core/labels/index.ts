/**
 * STANAG 4774 confidentiality labels (ADatP-4774): the JSON form, policies (NATO built in,
 * national SPIF-like files), validation, alternative labels, markings and the 4774 XML form.
 */
export { LabelError, type LabelReason } from './errors.js';
export {
  Category,
  CategoryType,
  ConfidentialityLabel,
  isCanonicalLabel,
  normaliseLabel,
  Originator,
  parseLabel,
  PolicyRef,
  type LabelKind,
} from './label.js';
export { addAlternativeLabel, LabelSet, labelSetOf } from './label-set.js';
export { markingOf } from './markings.js';
export { DEMO_NATIONAL_POLICIES, defaultNationalPolicy, genericNationalPolicy } from './national-policy.js';
export { NATO_POLICY } from './nato-policy.js';
export {
  allowsValue,
  classificationRank,
  ISO_3166_ALPHA_3_RULE,
  parsePolicyFile,
  PolicyFile,
  readPolicyFile,
  type LabelPolicy,
  type PolicyCategory,
} from './policy.js';
export { checkAgainstPolicy, validateLabel } from './validate.js';
export { STANAG_4774_NS, labelFromXml, labelToXml } from './xml-4774.js';
export { LABEL_XML_LIMITS, readXml, type XmlAttribute, type XmlElement, type XmlLimits } from './xml-reader.js';
