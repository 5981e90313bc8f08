/**
 * The NATO policy, built in (PolicyIdentifier NATO, OID 1.3.26.1.3.1), as published for
 * ADatP-4774: five classifications, "Releasable To" (OID 1.3.26.1.4.2) and "Additional Sensitivity".
 */
import { parsePolicyFile, type LabelPolicy } from './policy.js';

// Parsed once at load so the built-in policy obeys the same schema as any mesh's file.
export const NATO_POLICY: LabelPolicy = parsePolicyFile({
  id: 'NATO',
  uri: 'urn:oid:1.3.26.1.3.1',
  name: 'North Atlantic Treaty Organization',
  source: 'STANAG 4774 (ADatP-4774) as publicly described; the STANAG text itself is not public',
  markingPrefix: 'NATO',
  classifications: [
    { name: 'UNCLASSIFIED' },
    { name: 'RESTRICTED' },
    { name: 'CONFIDENTIAL' },
    { name: 'SECRET' },
    // NATO marks its top level COSMIC, not "NATO TOP SECRET".
    { name: 'TOP SECRET', marking: 'COSMIC TOP SECRET' },
  ],
  // Listed in marking order: special-handling words follow the level, the release list ends it.
  categories: [
    { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', marking: '', values: ['ATOMAL', 'BOHEMIA', 'CRYPTO'] },
    { tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', marking: 'REL TO', values: 'ISO-3166-alpha-3' },
  ],
});
