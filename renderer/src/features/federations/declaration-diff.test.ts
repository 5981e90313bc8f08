/** The version-to-version diff: leaves by path, partners and scope rules by who they concern. */
import { describe, expect, it } from 'vitest';
import { diffDeclarations } from './declaration-diff.js';

const v1 = {
  version: 1,
  purpose: 'Exercise BALTIC SHIELD',
  partners: [{ mesh: 'DEU', card: { pem: '-----BEGIN CERTIFICATE-----A-----END CERTIFICATE-----' } }, { mesh: 'NLD', card: { pem: 'x' } }],
  scope: [{ from: 'DEU', to: 'NLD', classes: ['track'] }],
  validity: { start: '2026-12-01T00:00:00Z', expires: '2026-12-31T00:00:00Z' },
};

describe('diffDeclarations', () => {
  it('names each changed leaf by its path, nothing for what stayed', () => {
    const v2 = { ...v1, version: 2, scope: [{ from: 'DEU', to: 'NLD', classes: ['track', 'incident'] }], validity: { ...v1.validity, expires: '2027-01-31T00:00:00Z' } };
    expect(diffDeclarations(v1, v2)).toEqual([
      { path: 'version', kind: 'changed', before: '1', after: '2' },
      { path: 'scope.DEU→NLD.classes.1', kind: 'added', before: null, after: 'incident' },
      { path: 'validity.expires', kind: 'changed', before: '2026-12-31T00:00:00Z', after: '2027-01-31T00:00:00Z' },
    ]);
    expect(diffDeclarations(v1, structuredClone(v1))).toEqual([]);
  });

  it('compares partners by mesh, so a new one is one addition, and shows certificates as such', () => {
    const pol = { mesh: 'POL', card: { pem: '-----BEGIN CERTIFICATE-----B-----END CERTIFICATE-----' } };
    const changes = diffDeclarations(v1, { ...v1, partners: [v1.partners[0], pol, v1.partners[1]] });
    expect(changes).toEqual([{ path: 'partners.POL', kind: 'added', before: null, after: JSON.stringify(pol) }]);
    const rotated = diffDeclarations(v1, { ...v1, partners: [{ mesh: 'DEU', card: { pem: '-----BEGIN CERTIFICATE-----C-----END CERTIFICATE-----' } }, v1.partners[1]] });
    expect(rotated).toEqual([{ path: 'partners.DEU.card.pem', kind: 'changed', before: 'certificate', after: 'certificate' }]);
    expect(diffDeclarations(v1, { ...v1, scope: [] })).toEqual([{ path: 'scope.DEU→NLD', kind: 'removed', before: JSON.stringify(v1.scope[0]), after: null }]);
  });
});
