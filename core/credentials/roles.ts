/**
 * Who a certificate speaks for, as extended key usages (RFC 5280 §4.2.1.12) under Entente's
 * own arc. A UUID-derived OID (ITU-T X.667, arc 2.25) needs no registration and cannot clash.
 */

export type PrincipalRole = 'device' | 'operator' | 'boundary-agent';

/** 2.25 followed by the decimal value of UUID 5b0e6f3a-91c4-4d2e-8a57-2f6c1d9e4b13. */
export const ENTENTE_ARC = '2.25.121034695760258903549271907082826566419';

export const ROLE_OIDS: Readonly<Record<PrincipalRole, string>> = {
  device: `${ENTENTE_ARC}.1.1`,
  operator: `${ENTENTE_ARC}.1.2`,
  'boundary-agent': `${ENTENTE_ARC}.1.3`,
};

/** The subject alternative name URI that names a principal of a mesh. */
export function principalUri(mesh: string, role: PrincipalRole, id: string): string {
  return `urn:entente:${mesh}:${role}:${encodeURIComponent(id)}`;
}
