/**
 * Events posted by the core's worker reach every subscriber on the shell's side, checked against
 * the contract once more; a malformed one, or a subscriber that throws, is warned about and never
 * rethrown, so the shell keeps serving.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtCoreWorker } from '../../test-support/built-core-worker.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { startCoreWorker } from './start-core-worker.js';

let announcingWorker: string;
let dir: TempDir;
beforeAll(async () => {
  // The real worker, which on `getAppInfo` also posts events as the core's own publisher would,
  // then two that a well-behaved core never posts.
  const workerFile = await builtCoreWorker();
  announcingWorker = join(dirname(workerFile), 'announcing-core-worker.cjs');
  writeFileSync(
    announcingWorker,
    [
      "const { parentPort } = require('node:worker_threads');",
      'const info = { home: "/tmp/h", databasePath: "/tmp/h/entente.db", workspaceId: "a".repeat(64), createdAt: "2026-12-01T00:00:00.000Z", schemaVersion: 3 };',
      'parentPort.on("message", (message) => {',
      '  if (message.type !== "call" || message.method !== "getAppInfo") return;',
      '  parentPort.postMessage({ type: "event", event: "workspaceChanged", payload: info });',
      '  parentPort.postMessage({ type: "event", event: "workspaceChanged", payload: { ...info, schemaVersion: -1 } });',
      '  parentPort.postMessage({ type: "event", event: "dropAllTables", payload: {} });',
      '});',
      "require('./core-worker.cjs');",
    ].join('\n'),
  );
}, 60_000);
afterEach(() => {
  dir?.remove();
  vi.restoreAllMocks();
});

describe('events from the core worker', () => {
  it('are delivered checked; malformed ones and failing subscribers are warned about, never thrown', async () => {
    dir = makeTempDir();
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => void warnings.push(String(warning)));
    const connection = await startCoreWorker(dir.file('home'), { workerFile: announcingWorker });
    try {
      const heard: unknown[] = [];
      connection.subscribe(() => {
        throw new Error('this window went away');
      });
      connection.subscribe((event, payload) => heard.push({ event, payload }));
      expect((await connection.call('getAppInfo', {})).ok).toBe(true);
      // Events and the answer travel on one port in order; the last event is in before the answer.
      expect(heard).toEqual([{ event: 'workspaceChanged', payload: expect.objectContaining({ schemaVersion: 3 }) }]);
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toMatch(/listener of workspaceChanged failed: this window went away/);
      expect(warnings[1]).toMatch(/^An event from the core was dropped/);
      expect(warnings[2]).toMatch(/"dropAllTables" is not an event of the contract/);
      expect((await connection.call('getAppInfo', {})).ok).toBe(true);
    } finally {
      await connection.close();
    }
  });
});
