/** Policies: NATO built in, the demo national files, the generic default, and policy files refused by field. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISO_3166_ALPHA_3 } from './data/iso3166-alpha3.js';
import { LabelError } from './errors.js';
import { DEMO_NATIONAL_POLICIES, defaultNationalPolicy, genericNationalPolicy } from './national-policy.js';
import { NATO_POLICY } from './nato-policy.js';
import { allowsValue, classificationRank, parsePolicyFile, readPolicyFile } from './policy.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LabelError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

const minimal = { id: 'XYZ', classifications: [{ name: 'LOW' }, { name: 'HIGH' }], categories: [] };

describe('the NATO policy', () => {
  it('has the five levels in order, COSMIC at the top, and its two categories', () => {
    expect(NATO_POLICY.uri).toBe('urn:oid:1.3.26.1.3.1');
    expect(NATO_POLICY.classifications.map((c) => c.name)).toEqual(['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET']);
    expect(NATO_POLICY.classifications.at(-1)?.marking).toBe('COSMIC TOP SECRET');
    expect(classificationRank(NATO_POLICY, 'RESTRICTED')).toBe(1);
    expect(classificationRank(NATO_POLICY, 'TOP SECRET')).toBe(4);
    expect(classificationRank(NATO_POLICY, 'GEHEIM')).toBeUndefined();
    const releasable = NATO_POLICY.categories.find((c) => c.tagName === 'Releasable To')!;
    expect(releasable).toMatchObject({ type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2' });
    expect(allowsValue(releasable, 'DEU') && allowsValue(releasable, 'NLD') && allowsValue(releasable, 'POL')).toBe(true);
    expect(allowsValue(releasable, 'XXX') || allowsValue(releasable, 'deu') || allowsValue(releasable, 'DE')).toBe(false);
    expect(NATO_POLICY.categories.find((c) => c.tagName === 'Additional Sensitivity')).toMatchObject({ type: 'RESTRICTIVE' });
  });

  it('takes its country codes from the full ISO 3166-1 alpha-3 list', () => {
    expect(ISO_3166_ALPHA_3.size).toBe(249);
    for (const code of ISO_3166_ALPHA_3) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});

describe('national policies', () => {
  it('loads each demo policy from its file, with the DOMAIN.md §3 markings', () => {
    expect([...DEMO_NATIONAL_POLICIES.keys()].sort()).toEqual(['DEU', 'FRA', 'GBR', 'NLD', 'POL', 'USA']);
    const names = (mesh: string) => defaultNationalPolicy(mesh).classifications.map((c) => c.name);
    expect(names('DEU')).toEqual(['OFFEN', 'VS-NUR FÜR DEN DIENSTGEBRAUCH', 'VS-VERTRAULICH', 'GEHEIM', 'STRENG GEHEIM']);
    expect(names('NLD')).toEqual(['ONGERUBRICEERD', 'Dep. VERTROUWELIJK', 'Stg. CONFIDENTIEEL', 'Stg. GEHEIM', 'Stg. ZEER GEHEIM']);
    expect(names('POL')).toEqual(['JAWNE', 'ZASTRZEŻONE', 'POUFNE', 'TAJNE', 'ŚCIŚLE TAJNE']);
    expect(names('FRA')).toEqual(['NON PROTÉGÉ', 'SECRET', 'TRÈS SECRET']);
    expect(names('GBR')).toEqual(['OFFICIAL', 'SECRET', 'TOP SECRET']);
    expect(names('USA')).toEqual(['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET']);
    for (const policy of DEMO_NATIONAL_POLICIES.values()) {
      expect(policy.source).toMatch(/2013\/488\/EU/);
      expect(policy.categories.find((c) => c.tagName === 'Releasable To')?.values).toBe('ISO-3166-alpha-3');
    }
  });

  it('reads each demo file as a mesh would hand it in', () => {
    for (const code of DEMO_NATIONAL_POLICIES.keys()) {
      const text = readFileSync(new URL(`./data/policies/${code.toLowerCase()}.json`, import.meta.url), 'utf8');
      expect(readPolicyFile(text)).toEqual(DEMO_NATIONAL_POLICIES.get(code));
    }
  });

  it('gives any other mesh the generic four levels under its code', () => {
    const policy = defaultNationalPolicy('EST');
    expect(policy).toEqual(genericNationalPolicy('EST'));
    expect(policy).toMatchObject({ id: 'EST', markingPrefix: 'EST' });
    expect(policy.classifications.map((c) => c.name)).toEqual(['OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET']);
    expect(policy.categories.map((c) => c.tagName)).toEqual(['Releasable To']);
    expect(refusal(() => defaultNationalPolicy('d e'))).toMatch(/^malformed-policy: "d e" is not a mesh code/);
  });

  it('still reads a policy stored by the first version (the old generic default)', () => {
    const stored = {
      id: 'DEU',
      markingPrefix: 'DEU',
      classifications: [{ name: 'OFFICIAL' }, { name: 'RESTRICTED' }, { name: 'CONFIDENTIAL' }, { name: 'SECRET' }],
      categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', marking: 'REL TO', values: 'ISO-3166-alpha-3' }],
    };
    expect(parsePolicyFile(stored)).toEqual(stored);
  });
});

describe('policy files', () => {
  it('refuses each mistake in one line that names the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...minimal, extra: true }, /^malformed-policy: The policy file is wrong at policy: Unrecognized key: "extra"\.$/],
      [{ ...minimal, id: 'has space' }, /at policy\.id: expected a policy id/],
      [{ ...minimal, uri: 'not a uri' }, /at policy\.uri: expected a URI/],
      [{ ...minimal, classifications: [] }, /at policy\.classifications:/],
      [{ ...minimal, classifications: [{ name: 'LOW' }, { name: '' }] }, /at policy\.classifications\.1\.name:/],
      [{ ...minimal, classifications: [{ name: 'LOW' }, { name: 'LOW' }] }, /at policy\.classifications\.1\.name: classification "LOW" appears twice/],
      [{ ...minimal, classifications: [{ name: 'LOW', level: 1 }] }, /at policy\.classifications\.0: Unrecognized key: "level"/],
      [{ ...minimal, categories: [{ tagName: 'Caveat', type: 'OPEN', values: ['A'] }] }, /at policy\.categories\.0\.type:/],
      [{ ...minimal, categories: [{ tagName: 'Caveat', type: 'RESTRICTIVE', values: 'ISO-3166' }] }, /at policy\.categories\.0\.values: expected "ISO-3166-alpha-3" or a list/],
      [{ ...minimal, categories: [{ tagName: 'Caveat', type: 'RESTRICTIVE', values: ['A', 7] }] }, /at policy\.categories\.0\.values\.1: .*expected string/],
      [{ ...minimal, categories: [{ tagName: 'Caveat', type: 'RESTRICTIVE', values: ['A', 'A'] }] }, /at policy\.categories\.0\.values\.1: value "A" appears twice/],
      [{ ...minimal, categories: [{ tagName: 'C', type: 'RESTRICTIVE', values: ['A'] }, { tagName: 'C', type: 'PERMISSIVE', values: ['B'] }] }, /policy\.categories\.1\.tagName: category "C" appears twice/],
      [{ ...minimal, classifications: [{ name: 'LOW\tHIGH' }] }, /at policy\.classifications\.0\.name: must not contain control/],
      [[], /at policy: /],
    ];
    for (const [json, expected] of cases) {
      const message = refusal(() => parsePolicyFile(json));
      expect(message).toMatch(expected);
      expect(message).not.toContain('\n');
    }
  });

  it('reads the text strictly: not JSON, duplicate keys and deep nesting are refused', () => {
    expect(refusal(() => readPolicyFile('{'))).toMatch(/^malformed-policy: The policy file is not usable JSON/);
    expect(refusal(() => readPolicyFile('{"id":"A","id":"B"}'))).toMatch(/^malformed-policy: .*repeats the key "id"/);
    expect(refusal(() => readPolicyFile('['.repeat(100) + ']'.repeat(100)))).toMatch(/^malformed-policy/);
    expect(readPolicyFile(JSON.stringify(minimal))).toEqual(minimal);
  });
});
