/** STANAG 4774 confidentiality labels: the JSON form, policies, validation and markings. */
export { Category, CategoryType, ConfidentialityLabel, normaliseLabel } from './label.js';
export { markingOf } from './markings.js';
export { defaultNationalPolicy, NATO_POLICY } from './nato-policy.js';
export { PolicyFile, type LabelPolicy } from './policy.js';
export { LabelError, validateLabel, type LabelReason } from './validate.js';
export { labelFromXml, labelToXml, STANAG_4774_NS } from './xml-4774.js';
