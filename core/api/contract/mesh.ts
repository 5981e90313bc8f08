/** The contract's mesh part: this workspace's national identity and the principals it enrolled. */
import { z } from 'zod';
import { count, isoTime, meshCode, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const MeshIdentity = z.strictObject({
  /** Null until `entente mesh init` has given this workspace a national authority. */
  mesh: z
    .strictObject({
      code: meshCode,
      displayName: text(128),
      trustAnchorSha256: sha256Hex,
      issuerSha256: sha256Hex,
      /** False for a home made for tests or a demo with --insecure-keys: shown, never hidden. */
      keysEncrypted: z.boolean(),
      labelPolicy: text(64),
      createdAt: isoTime,
    })
    .nullable(),
});

export const PrincipalRole = z.enum(['device', 'operator', 'boundary-agent']);

export const Principal = z.strictObject({
  role: PrincipalRole,
  id: text(128),
  certificateSha256: sha256Hex,
  algorithm: z.enum(['Ed25519', 'P-256']),
  /** Computed now: revoked wins over expired, expired over not-yet-valid. */
  status: z.enum(['active', 'revoked', 'expired', 'not-yet-valid']),
  notBefore: isoTime,
  notAfter: isoTime,
  enrolledAt: isoTime,
  revokedAt: isoTime.nullable(),
});

/**
 * The markings the console can rank for its classification banner: each level's display marking
 * as the console shows it, with its NATO tier (0 UNCLASSIFIED … 4 TOP SECRET) from the NATO
 * policy itself or from an equivalence attestation held here; a marking absent from the list is
 * unranked, and the banner then never understates (it shows the marking as not ranked).
 */
export const MarkingLevels = z.strictObject({
  /** This mesh's label policy id. */
  policy: text(64),
  tiers: z.array(text(64)).max(16),
  levels: z
    .array(
      z.strictObject({
        policy: text(64),
        classification: text(128),
        marking: text(256),
        tier: z.number().int().min(0).max(15),
        /** A level of this mesh's own policy. */
        own: z.boolean(),
      }),
    )
    .max(2000),
});

export const meshMethods = {
  getMarkingLevels: { args: noArguments, result: MarkingLevels },
  getMeshIdentity: { args: noArguments, result: MeshIdentity },
  listPrincipals: {
    args: z.strictObject({ role: PrincipalRole.optional() }),
    result: z.strictObject({ principals: z.array(Principal).max(10_000) }),
  },
} as const satisfies MethodTable;

/** What `meshChanged` says: the mesh as it stands after the change. */
export const MeshChange = z.strictObject({
  /** Null while the workspace has no mesh yet. */
  mesh: meshCode.nullable(),
  principals: count,
  revocations: count,
});

export const meshEvents = {
  /** The mesh was initialised, or a principal enrolled or revoked (here or by another process). */
  meshChanged: MeshChange,
} as const satisfies EventTable;
