/**
 * The contract's own atoms — bounded text, counts, the empty argument object — beside the
 * schema atoms every part of the core writes the same way (core/common/atoms.ts), under the
 * names the contract's files use.
 */
import { z } from 'zod';
import { FederationId, IsoDateTime, MeshCode, Sha256Hex } from '../../common/atoms.js';

/** Every string that crosses the boundary is bounded; huge strings are refused, not parsed. */
export const text = (max = 512) => z.string().max(max);
export const sha256Hex = Sha256Hex;
export const isoTime = IsoDateTime;
export const meshCode = MeshCode;
export const federationId = FederationId;
/** A count of rows or entries, as every event and result reports it. */
export const count = z.number().int().nonnegative();

/** Methods without parameters still take an (empty) argument object, and nothing else. */
export const noArguments = z.strictObject({});

/** A part's contract: its methods (argument and result schemas) and its events (payload schemas). */
export type MethodTable = Record<string, { args: z.ZodType; result: z.ZodType }>;
export type EventTable = Record<string, z.ZodType>;
