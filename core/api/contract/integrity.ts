/** The contract's integrity part: the integrity events this mesh recorded (docs/decisions/0005-crossing.md). */
import { z } from 'zod';
import { federationId, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const IntegrityEventView = z.strictObject({
  /** The id of the `integrity` log entry that records it. */
  id: sha256Hex,
  /** A reason code; the known ones are listed in core/boundary/integrity-kinds.ts. */
  kind: text(64),
  partner: meshCode.nullable(),
  federation: federationId.nullable(),
  at: isoTime,
  /** What the event rests on, as recorded (ids, a CRL's issuer and number, a refusal's reason). */
  evidence: z.json(),
  message: text(1000),
  logSeq: z.number().int().nonnegative(),
});

export const integrityMethods = {
  listIntegrityEvents: {
    args: z.strictObject({
      kind: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/).optional(),
      partner: meshCode.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    result: z.strictObject({ total: z.number().int().nonnegative(), events: z.array(IntegrityEventView).max(500) }),
  },
} as const satisfies MethodTable;

export const integrityEvents = {} as const satisfies EventTable;
