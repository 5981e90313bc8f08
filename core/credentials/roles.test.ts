/** Role OIDs under Entente's UUID arc, and principal URIs. */
import { describe, expect, it } from 'vitest';
import { ENTENTE_ARC, parsePrincipalUri, principalUri, PRINCIPAL_ROLES, ROLE_OIDS } from './roles.js';

describe('roles', () => {
  it('live under 2.25.<the UUID as an integer> (ITU-T X.667)', () => {
    const uuid = '5b0e6f3a-91c4-4d2e-8a57-2f6c1d9e4b13';
    expect(ENTENTE_ARC).toBe(`2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString()}`);
    expect(ROLE_OIDS).toEqual({ device: `${ENTENTE_ARC}.1.1`, operator: `${ENTENTE_ARC}.1.2`, 'boundary-agent': `${ENTENTE_ARC}.1.3` });
    expect(new Set(Object.values(ROLE_OIDS)).size).toBe(PRINCIPAL_ROLES.length);
  });

  it('name principals as urn:entente:<mesh>:<role>:<id>, any id surviving the round trip', () => {
    expect(principalUri('DEU', 'device', 'uav-7')).toBe('urn:entente:DEU:device:uav-7');
    for (const id of ['uav-7', 'a:b', 'spaces and ümlauts', '100%', 'x/y?z#w']) {
      expect(parsePrincipalUri(principalUri('NLD', 'boundary-agent', id))).toEqual({ mesh: 'NLD', role: 'boundary-agent', id });
    }
  });

  it('read nothing from URIs that are not Entente principals', () => {
    for (const uri of ['urn:entente:deu:device:x', 'urn:entente:DEU:admin:x', 'urn:entente:DEU:device:', 'https://example.org', 'urn:entente:DEU:device:%E0%A4%A', 'urn:entente:DEU:device:a:b']) {
      expect(parsePrincipalUri(uri)).toBeUndefined();
    }
  });
});
