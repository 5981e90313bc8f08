/**
 * Long operations the console follows (core/api/contract/audit.ts, "long operations"): the log's
 * verification, its export and the after-action export, each named by the console's own id. As a
 * staged bundle's import (staged-imports.ts): progress told as events at most every 100 ms, the last
 * always sent; a cancel aborts the operation's signal, which its slices hear (core/app/audit/
 * stepwise.ts), and each new phase is told as it begins; a cancelled export writes nothing, so nothing half-written is ever handed out.
 */
import { Refused } from '../common/refused.js';
import type { StepProgress } from '../app/audit/stepwise.js';
import type { EventPayload } from './contract/index.js';

type Progress = EventPayload<'operationProgress'>;
export type OperationKind = Progress['kind'];

export interface OperationControl {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: StepProgress) => void;
}

export interface LongOperations {
  /** Runs `work` as operation `id`; refused when one of that id is running already. */
  run<T>(id: string, kind: OperationKind, work: (control: OperationControl) => Promise<T>): Promise<T>;
  /** False when no operation of that id is running. */
  cancel(id: string): boolean;
}

const PROGRESS_INTERVAL_MS = 100;

export function longOperations(publish: (event: 'operationProgress', payload: Progress) => void): LongOperations {
  const running = new Map<string, AbortController>();
  return {
    async run(id, kind, work) {
      if (running.has(id)) throw new Refused('operation-running', `The operation ${id} is running already.`);
      const controller = new AbortController();
      running.set(id, controller);
      let last = 0;
      let latest: StepProgress = { phase: 'starting', done: 0, total: null };
      let toldPhase = '';
      const tell = (state: Progress['state'], force = false) => {
        const now = Date.now();
        // A new phase is always told (the officer sees each step named); within one, at most every interval.
        if (!force && latest.phase === toldPhase && now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        toldPhase = latest.phase;
        publish('operationProgress', { operation: id, kind, state, phase: latest.phase.slice(0, 64), done: latest.done, total: latest.total });
      };
      tell('running', true);
      try {
        const result = await work({
          signal: controller.signal,
          onProgress: (progress) => {
            latest = progress;
            tell('running');
          },
        });
        // A cancel that came after the last slice still wins: the officer asked for nothing.
        if (controller.signal.aborted) throw new Refused('cancelled', 'The operation was cancelled: nothing was written.');
        tell('done', true);
        return result;
      } catch (error) {
        tell(controller.signal.aborted ? 'cancelled' : 'failed', true);
        throw error;
      } finally {
        running.delete(id);
      }
    },
    cancel(id) {
      const controller = running.get(id);
      controller?.abort();
      return controller !== undefined;
    },
  };
}
