/** The contract's links part: live links between boundary agents and their state (docs/decisions/0006-live-links.md). */
import { z } from 'zod';
import { federationId, isoTime, meshCode, text, type EventTable, type MethodTable } from './atoms.js';

export const LinkView = z.strictObject({
  partner: meshCode,
  federation: federationId,
  state: z.enum(['up', 'intentionally-disconnected', 'unexpectedly-lost', 'never-contacted']),
  /** Why, in one line (the declared window, the silence, the operator). */
  because: text(1000),
  lastContact: isoTime.nullable(),
  /** Items the partner lacks (out) and we lack (in), as of the last exchange. */
  backlog: z.strictObject({ out: z.number().int().nonnegative(), in: z.number().int().nonnegative() }),
  roundTripMs: z.number().nonnegative().nullable(),
  /** The last sync's outcome: converged, diverged, or the reason it was refused or cut. */
  lastOutcome: text(64).nullable(),
  disconnectedBy: text(128).nullable(),
});

export const linkMethods = {
  listLinks: {
    args: z.strictObject({}),
    result: z.strictObject({ links: z.array(LinkView).max(1000) }),
  },
} as const satisfies MethodTable;

/** What `linksChanged` says: how many links have state here and how many syncs have ended; the console asks `listLinks` for the rest. */
export const LinksChanged = z.strictObject({
  links: z.number().int().nonnegative(),
  convergences: z.number().int().nonnegative(),
});

export const linkEvents = {
  /** A sync ended or was refused, or an operator disconnected or reconnected a link (here or by another process). */
  linksChanged: LinksChanged,
} as const satisfies EventTable;
