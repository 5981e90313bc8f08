/**
 * The NATO policy, built in (policy OID 1.3.26.1.3.1). Classifications and the "Releasable To"
 * (OID 1.3.26.1.4.2, ISO 3166 alpha-3 values) and "Additional Sensitivity" categories as
 * published; TOP SECRET is marked COSMIC TOP SECRET.
 */
import type { LabelPolicy } from './policy.js';

export const NATO_POLICY: LabelPolicy = {
  id: 'NATO',
  uri: 'urn:oid:1.3.26.1.3.1',
  markingPrefix: 'NATO',
  classifications: [
    { name: 'UNCLASSIFIED' },
    { name: 'RESTRICTED' },
    { name: 'CONFIDENTIAL' },
    { name: 'SECRET' },
    { name: 'TOP SECRET', marking: 'COSMIC TOP SECRET' },
  ],
  categories: [
    { tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', marking: 'REL TO', values: 'ISO-3166-alpha-3' },
    { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['ATOMAL', 'CRYPTO', 'BOHEMIA'] },
  ],
};

/** A mesh without its own policy file gets a plain four-level national scheme under its code. */
export function defaultNationalPolicy(mesh: string): LabelPolicy {
  return {
    id: mesh,
    markingPrefix: mesh,
    classifications: [{ name: 'OFFICIAL' }, { name: 'RESTRICTED' }, { name: 'CONFIDENTIAL' }, { name: 'SECRET' }],
    categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', marking: 'REL TO', values: 'ISO-3166-alpha-3' }],
  };
}
