/** Display markings: "NATO SECRET // REL TO DEU, NLD", COSMIC at the top, national markings as each policy writes them. */
import { describe, expect, it } from 'vitest';
import { parseLabel, type ConfidentialityLabel } from './label.js';
import { markingOf } from './markings.js';
import { defaultNationalPolicy } from './national-policy.js';
import { NATO_POLICY } from './nato-policy.js';

const label = (policy: string, classification: string, categories: object[] = [], extra: object = {}): ConfidentialityLabel =>
  parseLabel({ kind: 'originator', policy: { id: policy }, classification, categories, createdAt: '2026-11-23T08:00:00Z', ...extra });
const rel = (...values: string[]) => ({ tagName: 'Releasable To', type: 'PERMISSIVE', values });

describe('markings', () => {
  it('marks NATO labels with the NATO prefix and COSMIC at the top', () => {
    expect(markingOf(label('NATO', 'SECRET', [rel('NLD', 'DEU')]), NATO_POLICY)).toBe('NATO SECRET // REL TO DEU, NLD');
    expect(markingOf(label('NATO', 'RESTRICTED'), NATO_POLICY)).toBe('NATO RESTRICTED');
    expect(markingOf(label('NATO', 'TOP SECRET'), NATO_POLICY)).toBe('COSMIC TOP SECRET');
  });

  it('puts categories in the policy order, special-handling words bare, the privacy mark last', () => {
    const atomal = { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['CRYPTO', 'ATOMAL'] };
    const marked = label('NATO', 'TOP SECRET', [rel('POL', 'DEU', 'NLD'), atomal], { privacyMark: 'EXERCISE' });
    expect(markingOf(marked, NATO_POLICY)).toBe('COSMIC TOP SECRET // ATOMAL, CRYPTO // REL TO DEU, NLD, POL // EXERCISE');
  });

  it('marks national labels as the national policy writes them', () => {
    expect(markingOf(label('DEU', 'GEHEIM', [rel('DEU', 'NLD')]), defaultNationalPolicy('DEU'))).toBe('GEHEIM // REL TO DEU, NLD');
    expect(markingOf(label('NLD', 'Stg. GEHEIM'), defaultNationalPolicy('NLD'))).toBe('Stg. GEHEIM');
    const restreinte = { tagName: 'Mention de protection', type: 'RESTRICTIVE', values: ['DIFFUSION RESTREINTE'] };
    expect(markingOf(label('FRA', 'NON PROTÉGÉ', [restreinte]), defaultNationalPolicy('FRA'))).toBe('NON PROTÉGÉ // DIFFUSION RESTREINTE');
    const sensitive = { tagName: 'Handling', type: 'RESTRICTIVE', values: ['SENSITIVE'] };
    expect(markingOf(label('GBR', 'OFFICIAL', [sensitive]), defaultNationalPolicy('GBR'))).toBe('OFFICIAL // SENSITIVE');
    expect(markingOf(label('EST', 'CONFIDENTIAL', [rel('EST')]), defaultNationalPolicy('EST'))).toBe('EST CONFIDENTIAL // REL TO EST');
  });

  it('never passes off an unknown level or policy as a known marking', () => {
    expect(markingOf(label('DEU', 'GEHEIM'), undefined)).toBe('DEU GEHEIM');
    expect(markingOf(label('DEU', 'GEHEIM'), NATO_POLICY)).toBe('DEU GEHEIM');
    expect(markingOf(label('DEU', 'GANZ GEHEIM'), defaultNationalPolicy('DEU'))).toBe('DEU GANZ GEHEIM');
    expect(markingOf(label('XYZ', 'LOW', [{ tagName: 'Eyes Only', type: 'INFORMATIVE', values: ['A'] }]), undefined)).toBe('XYZ LOW // EYES ONLY A');
  });
});
