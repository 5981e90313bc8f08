/**
 * Result envelopes: the one shape every answer takes when it crosses a process boundary
 * (Electron IPC, the loopback WebSocket, the core's worker thread). A failure carries a stable
 * code, the core's reason when it refused, and a sentence; never a stack trace or an exception.
 */
import type { Refused } from '../common/refused.js';

export type ErrorCode =
  | 'unknown-method'
  | 'invalid-arguments'
  | 'not-found'
  | 'refused'
  | 'unavailable'
  | 'internal';

export interface ContractError {
  readonly code: ErrorCode;
  /**
   * Set when the core refused (code `refused`, `not-found`, `unavailable`): its reason code,
   * e.g. above-ceiling, revoked, malformed-record — for the console to act on, not to parse.
   */
  readonly reason?: string;
  /** One sentence for a person: what was wrong and why. */
  readonly message: string;
  /** Where the arguments were wrong, one entry per problem (invalid-arguments only). */
  readonly issues?: readonly { readonly path: string; readonly reason: string }[];
}

export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractError };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, issues?: ContractError['issues']): Envelope<never> {
  return issues ? { ok: false, error: { code, message, issues } } : { ok: false, error: { code, message } };
}

/** Reasons that are contract codes of their own; every other reason is answered as `refused`. */
const REASON_CODES: ReadonlySet<string> = new Set<ErrorCode>(['not-found', 'unavailable']);

/** The one place a refusal becomes an envelope: its reason kept, its sentence as written. */
export function refusal(error: Refused): Envelope<never> {
  const code = REASON_CODES.has(error.reason) ? (error.reason as ErrorCode) : 'refused';
  return { ok: false, error: { code, reason: error.reason, message: error.message } };
}
