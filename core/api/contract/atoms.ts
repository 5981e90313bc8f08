/**
 * Schema atoms several parts of the contract write the same way: bounded text, SHA-256 hex,
 * ISO time, mesh code, federation id. Kept here until `core/common/atoms.ts` lands on main;
 * then the contract takes them from there.
 */
import { z } from 'zod';

/** Every string that crosses the boundary is bounded; huge strings are refused, not parsed. */
export const text = (max = 512) => z.string().max(max);
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected lowercase hex SHA-256');
export const isoTime = z.iso.datetime({ offset: true });
export const meshCode = z.string().regex(/^[A-Z0-9]{2,16}$/, 'expected a mesh code such as DEU');
export const federationId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'expected a federation id');
/** A count of rows or entries, as every event and result reports it. */
export const count = z.number().int().nonnegative();

/** Methods without parameters still take an (empty) argument object, and nothing else. */
export const noArguments = z.strictObject({});

/** A part's contract: its methods (argument and result schemas) and its events (payload schemas). */
export type MethodTable = Record<string, { args: z.ZodType; result: z.ZodType }>;
export type EventTable = Record<string, z.ZodType>;
