/**
 * The one error the CoT part throws: a `cot-…` reason a program (the listener's counters, the
 * CLI's exit status) switches on, and a one-line sentence naming what was wrong and why.
 */
import { Refused } from '../common/refused.js';

export type CotReason =
  // The gate before any parser (guard.ts).
  | 'cot-too-large'
  | 'cot-dtd'
  | 'cot-entity'
  | 'cot-malformed'
  // The event as an observation (event.ts).
  | 'cot-unknown-type'
  | 'cot-stale-before-time';

export class CotError extends Refused {
  constructor(
    override readonly reason: CotReason,
    message: string,
  ) {
    super(reason, message);
    this.name = 'CotError';
  }
}
