/**
 * Bundles the shell staged (dropped on the console, core/workspace/staging.ts) imported through
 * the contract: the import reads the staged file by its id alone, tells its progress as
 * `bundleImportProgress` (bytes read of the file's size, lines verified or admitted), and stops
 * when the officer cancels — the import is resumable (one transaction per block, 0005
 * "Bundles"), so a cancelled one changes nothing half-way and a second call continues it.
 */
import { createReadStream, rmSync, statSync } from 'node:fs';
import type { CrossingService } from '../app/crossing/service.js';
import { Refused } from '../common/refused.js';
import { stagedBundlePath } from '../workspace/staging.js';
import type { EventPayload, MethodResult } from './contract/index.js';

type Progress = EventPayload<'bundleImportProgress'>;

export interface StagedImports {
  /** `passphrase`: for this import only, as the console asks the officer for it. */
  import(staged: string, passphrase?: string | null): Promise<MethodResult<'importStagedBundle'>>;
  /** False when no import of that id is running. */
  cancel(staged: string): boolean;
}

/** At most one progress event per this many milliseconds, the last always sent. */
const PROGRESS_INTERVAL_MS = 100;

export function stagedImports(home: string, crossing: CrossingService, publish: (event: 'bundleImportProgress', payload: Progress) => void): StagedImports {
  const running = new Map<string, AbortController>();
  return {
    async import(staged, passphrase) {
      if (running.has(staged)) throw new Refused('import-running', `The staged bundle ${staged} is being imported already.`);
      const path = stagedBundlePath(home, staged);
      let bytes: number;
      try {
        bytes = statSync(path).size;
      } catch {
        throw new Refused('not-staged', `No bundle is staged as ${staged}: drop the file on the console again.`);
      }
      const controller = new AbortController();
      running.set(staged, controller);
      let bytesRead = 0;
      let last = 0;
      let lines = 0;
      let totalLines: number | null = null;
      const tell = (phase: Progress['phase'], force = false) => {
        const now = Date.now();
        if (!force && now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        publish('bundleImportProgress', { staged, phase, bytesRead: Math.min(bytesRead, bytes), bytes, lines, totalLines });
      };
      const source = {
        name: `dropped bundle ${staged}`,
        async *open(): AsyncIterable<Buffer> {
          for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
            bytesRead += chunk.length;
            yield chunk;
          }
        },
      };
      tell('verifying', true);
      try {
        const report = await crossing.importBundle(
          source,
          {
            signal: controller.signal,
            onProgress: (progress) => {
              lines = progress.lines;
              totalLines = progress.totalLines;
              tell(progress.phase);
            },
          },
          passphrase,
        );
        tell('done', true);
        rmSync(path, { force: true });
        return {
          staged,
          bundle: report.bundle,
          from: report.from,
          alreadyImported: report.alreadyImported,
          resumed: report.resumed,
          counts: report.counts,
          refusals: report.refusals.slice(0, 500).map((r) => ({ ...r, reason: r.reason.slice(0, 64), message: r.message.slice(0, 1000) })),
        };
      } catch (error) {
        if (controller.signal.aborted) {
          // Kept staged: importing it again resumes where the cancel stopped it.
          tell('cancelled', true);
          throw new Refused('cancelled', 'The import was cancelled; what was admitted stays, and importing the same file again resumes it.');
        }
        tell('failed', true);
        // A passphrase refused before any work leaves the file staged, to try again with the right one.
        const reason = (error as { reason?: unknown }).reason;
        if (reason !== 'passphrase-required' && reason !== 'wrong-passphrase') rmSync(path, { force: true });
        throw error;
      } finally {
        running.delete(staged);
      }
    },
    cancel(staged) {
      const controller = running.get(staged);
      controller?.abort();
      return controller !== undefined;
    },
  };
}
