/**
 * Schema atoms every part writes the same way — SHA-256 hex, mesh codes, principal ids,
 * instants, federation ids — as patterns and as zod schemas, and the one-line description of a
 * schema failure. Written once here so a record, a log entry, a declaration, the contract and
 * the command line all refuse the same strings with the same words.
 */
import { z } from 'zod';

export const PATTERNS = {
  /** Content identity: lowercase hex SHA-256 (64 digits). */
  sha256Hex: /^[0-9a-f]{64}$/,
  /** A national mesh: 2 to 16 capital letters or digits, ISO 3166 alpha-3 in practice (DEU, NLD). */
  meshCode: /^[A-Z0-9]{2,16}$/,
  /** A principal within its mesh: a device, operator or boundary agent. */
  principalId: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  /** A federation: lowercase, digits and hyphens, usable in file names and URLs. */
  federationId: /^[a-z0-9][a-z0-9-]{2,63}$/,
} as const;

export const Sha256Hex = z.string().regex(PATTERNS.sha256Hex, 'expected a lowercase hex SHA-256');
export const MeshCode = z.string().regex(PATTERNS.meshCode, 'expected a mesh code such as DEU');
export const PrincipalId = z.string().regex(PATTERNS.principalId, 'expected an id of letters, digits and . _ : -');
export const FederationId = z.string().regex(PATTERNS.federationId, 'expected a federation id');
/** RFC 3339 date-time with an offset (`Z` or `+01:00`). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** For values that may be anything (a missing argument, a number): true only for the right string. */
export const isSha256Hex = (value: unknown): boolean => typeof value === 'string' && PATTERNS.sha256Hex.test(value);
export const isMeshCode = (value: unknown): boolean => typeof value === 'string' && PATTERNS.meshCode.test(value);

/**
 * The first schema issue as one line, under the name of what was checked:
 * describeIssues(error, 'record') → "record.lineage.sources: must be sorted and unique".
 */
export function describeIssues(error: z.ZodError, what = 'record'): string {
  const issue = error.issues[0];
  if (!issue) return `${what}: invalid`;
  const path = [what, ...issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))].join('.').replaceAll('.[', '[');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${path}: ${issue.message.replaceAll(/\s+/g, ' ')}${more}`;
}
