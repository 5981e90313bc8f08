/**
 * Long operations the console follows with a progress bar and stops with a cancel (issue 16):
 * verifying the log, exporting it, the after-action export. They run in the core's worker, whose
 * one thread also answers the console, so the work is done in slices and yields between them —
 * a cancel (an AbortSignal, as the staged bundle import takes, core/api/staged-imports.ts) is
 * heard at the next slice, and what it stops has written nothing.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Refused } from '../../common/refused.js';

export interface StepProgress {
  /** What is being done: reading the log, proving entries, writing the file… */
  readonly phase: string;
  readonly done: number;
  /** Null when not known yet. */
  readonly total: number | null;
}

export interface LongOperationControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
}

/** A slice of work runs this long at most before the thread answers anything else waiting. */
const SLICE_MS = 20;

/**
 * Call `step` between units of work: it reports progress and yields once per slice, and throws
 * `Refused('cancelled')` once the signal aborted. `cancelled` names what stopping leaves behind.
 */
export class Stepper {
  private sliceStarted = Date.now();

  constructor(
    private readonly control: LongOperationControl,
    private readonly cancelled: string,
  ) {}

  async step(phase: string, done: number, total: number | null): Promise<void> {
    if (Date.now() - this.sliceStarted < SLICE_MS) return;
    this.control.onProgress?.({ phase, done, total });
    await yieldToLoop();
    this.sliceStarted = Date.now();
    this.throwIfCancelled();
  }

  /** Reports without yielding: a phase starting or ending. */
  tell(phase: string, done: number, total: number | null): void {
    this.throwIfCancelled();
    this.control.onProgress?.({ phase, done, total });
  }

  throwIfCancelled(): void {
    if (this.control.signal?.aborted) throw new Refused('cancelled', this.cancelled);
  }
}
