/**
 * The one error a refusal is thrown as, in every layer: a stable reason code a program can act
 * on (`above-ceiling`, `revoked`, `malformed-record`, …) and one sentence for a person. The
 * domain parts' own errors extend it with their typed reasons; the contract turns it into an
 * envelope in one place (core/api/dispatch.ts), the CLI into an exit status and a line.
 */
export class Refused extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'Refused';
  }
}
