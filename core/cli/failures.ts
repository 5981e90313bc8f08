/**
 * How the CLI says no. A usage error (exit 2) is the caller's mistake in the command line;
 * a refusal (exit 1) is an operation that was understood but refused or failed. Both carry
 * reason codes and sentences, listed one per failure in --json output.
 */

export interface Failure {
  /** Lowercase hex SHA-256 of the thing refused, where there is one. */
  readonly id?: string;
  readonly reason: string;
  readonly message: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class Refusal extends Error {
  constructor(readonly failures: readonly Failure[]) {
    super(failures.map((f) => f.message).join(' '));
    this.name = 'Refusal';
  }

  static one(reason: string, message: string, id?: string): Refusal {
    return new Refusal([id ? { id, reason, message } : { reason, message }]);
  }
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
