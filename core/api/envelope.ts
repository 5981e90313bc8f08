/**
 * Result envelopes: the one shape every answer takes when it crosses a process boundary
 * (Electron IPC, the loopback WebSocket). A failure carries a stable code and a sentence;
 * it never carries a stack trace or an exception object.
 */

export type ErrorCode =
  | 'unknown-method'
  | 'invalid-arguments'
  | 'not-found'
  | 'refused'
  | 'unavailable'
  | 'internal';

export interface ContractError {
  readonly code: ErrorCode;
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

/** Thrown by core handlers to refuse with a specific code; anything else is reported as internal. */
export class ContractFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractFailure';
  }
}
