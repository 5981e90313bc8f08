/**
 * National policies, one SPIF-like JSON file per mesh (schema in policy.ts): the demo files for
 * DEU, NLD, POL, FRA, GBR and USA (DOMAIN.md §3, EU Council Decision 2013/488/EU App. B) and a
 * generic default for any other mesh code.
 */
import deu from './data/policies/deu.json' with { type: 'json' };
import fra from './data/policies/fra.json' with { type: 'json' };
import gbr from './data/policies/gbr.json' with { type: 'json' };
import nld from './data/policies/nld.json' with { type: 'json' };
import pol from './data/policies/pol.json' with { type: 'json' };
import usa from './data/policies/usa.json' with { type: 'json' };
import { LabelError } from './errors.js';
import { ISO_3166_ALPHA_3_RULE, parsePolicyFile, type LabelPolicy } from './policy.js';
import { PATTERNS } from '../common/atoms.js';

// Parsed at load: a broken demo file fails the first test that imports this module, loudly.
export const DEMO_NATIONAL_POLICIES: ReadonlyMap<string, LabelPolicy> = new Map(
  [deu, nld, pol, fra, gbr, usa].map((json) => {
    const policy = parsePolicyFile(json);
    return [policy.id, policy] as const;
  }),
);

/**
 * The policy a new mesh starts with unless it brings its own file: the demo policy for a code
 * that has one, otherwise the generic scheme.
 * @example defaultNationalPolicy('DEU').classifications.at(-1)?.name // 'STRENG GEHEIM'
 */
export function defaultNationalPolicy(mesh: string): LabelPolicy {
  return DEMO_NATIONAL_POLICIES.get(mesh) ?? genericNationalPolicy(mesh);
}

/**
 * Four levels under the mesh's code ("XYZ SECRET") and "Releasable To". The names are
 * deliberately plain: a mesh with real markings should bring its own file.
 */
export function genericNationalPolicy(mesh: string): LabelPolicy {
  if (!PATTERNS.meshCode.test(mesh)) throw new LabelError('malformed-policy', `"${mesh.slice(0, 32)}" is not a mesh code such as DEU.`);
  return parsePolicyFile({
    id: mesh,
    name: `${mesh} (generic default)`,
    markingPrefix: mesh,
    classifications: [{ name: 'OFFICIAL' }, { name: 'RESTRICTED' }, { name: 'CONFIDENTIAL' }, { name: 'SECRET' }],
    categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', marking: 'REL TO', values: ISO_3166_ALPHA_3_RULE }],
  });
}
