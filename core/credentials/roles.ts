/**
 * Who a certificate speaks for: extended key usages (RFC 5280 §4.2.1.12) under Entente's own UUID
 * OID arc, and the subject alternative name URI (§4.2.1.6) `urn:entente:<mesh>:<role>:<id>`.
 */
import { PATTERNS } from '../common/atoms.js';

export type PrincipalRole = 'device' | 'operator' | 'boundary-agent';
export const PRINCIPAL_ROLES: readonly PrincipalRole[] = ['device', 'operator', 'boundary-agent'];

/**
 * Entente's OID arc: a UUID OID (ITU-T X.667, arc 2.25), i.e. 2.25 followed by the decimal value
 * of UUID 5b0e6f3a-91c4-4d2e-8a57-2f6c1d9e4b13, generated once for Entente. It needs no
 * registration and cannot clash with anyone else's. Under it, `.1` holds key purposes:
 *   2.25.121034695760258903549271907082826566419.1.1  device
 *   2.25.121034695760258903549271907082826566419.1.2  operator
 *   2.25.121034695760258903549271907082826566419.1.3  boundary agent
 * These values are written into issued certificates: never renumber them.
 */
export const ENTENTE_ARC = '2.25.121034695760258903549271907082826566419';

export const ROLE_OIDS: Readonly<Record<PrincipalRole, string>> = Object.freeze({
  device: `${ENTENTE_ARC}.1.1`,
  operator: `${ENTENTE_ARC}.1.2`,
  'boundary-agent': `${ENTENTE_ARC}.1.3`,
});

/** RFC 5280 Appendix A: ub-common-name is 64; a principal's id becomes its CN. */
export const MAX_PRINCIPAL_ID = 64;

export interface Principal {
  readonly mesh: string;
  readonly role: PrincipalRole;
  readonly id: string;
}

export function isPrincipalRole(value: unknown): value is PrincipalRole {
  return typeof value === 'string' && (PRINCIPAL_ROLES as readonly string[]).includes(value);
}

/** A principal id: 1–64 characters, none of them control characters. */
export function isPrincipalId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PRINCIPAL_ID) return false;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/**
 * The SAN URI naming a principal. The id is percent-encoded (RFC 3986 §2.1) so that any id,
 * including one with ':' in it, stays one URN component.
 *
 * @example principalUri('DEU', 'device', 'uav-7') === 'urn:entente:DEU:device:uav-7'
 */
export function principalUri(mesh: string, role: PrincipalRole, id: string): string {
  return `urn:entente:${mesh}:${role}:${encodeURIComponent(id)}`;
}

/** urn:entente:<mesh>:<role>:<id>, the mesh code as every part spells it. */
const PRINCIPAL_URI = new RegExp(`^urn:entente:(${PATTERNS.meshCode.source.slice(1, -1)}):(device|operator|boundary-agent):([^:]+)$`);

/** The principal a SAN URI names, or undefined when it is not an Entente principal URI. */
export function parsePrincipalUri(uri: string): Principal | undefined {
  const match = PRINCIPAL_URI.exec(uri);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[3]!);
  } catch {
    return undefined;
  }
  return isPrincipalId(id) ? { mesh: match[1]!, role: match[2] as PrincipalRole, id } : undefined;
}

/**
 * The SAN URI naming a federation a cross-certified boundary agent acts under (decision 0005):
 * the partner's authority binds the certificate to it, so it speaks for that federation only.
 *
 * @example federationUri('deu-nld-exercise') === 'urn:entente:federation:deu-nld-exercise'
 */
export function federationUri(id: string): string {
  return `urn:entente:federation:${id}`;
}

const FEDERATION_URI = new RegExp(`^urn:entente:federation:(${PATTERNS.federationId.source.slice(1, -1)})$`);

/** The federation id a SAN URI names, or undefined when it is not an Entente federation URI. */
export function parseFederationUri(uri: string): string | undefined {
  return FEDERATION_URI.exec(uri)?.[1];
}
