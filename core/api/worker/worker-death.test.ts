/**
 * A core worker that dies — `process.exit` inside it, or an exception nothing caught — answers
 * every pending and later call `unavailable` in one sentence, never a hang or an unhandled
 * rejection; and `close()` leaves nothing behind, so a process that used the core exits by itself.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtCoreWorker } from '../../test-support/built-core-worker.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { startCoreWorker } from './start-core-worker.js';

let workerFile: string;
let dyingWorker: string;
beforeAll(async () => {
  workerFile = await builtCoreWorker();
  // The real worker, with a listener registered before its own: the thread dies while a call is
  // still unanswered (`verifyAuditLog` exits, `getMeshIdentity` throws where nothing catches it).
  dyingWorker = join(dirname(workerFile), 'dying-core-worker.cjs');
  writeFileSync(
    dyingWorker,
    [
      "const { parentPort } = require('node:worker_threads');",
      'parentPort.on("message", (message) => {',
      '  if (message.type === "call" && message.method === "verifyAuditLog") process.exit(3);',
      '  if (message.type === "call" && message.method === "getMeshIdentity") throw new Error("The store went away");',
      '});',
      "require('./core-worker.cjs');",
    ].join('\n'),
  );
}, 60_000);

describe('a core worker that dies', () => {
  it('answers the pending calls and every later one unavailable when the thread exits', async () => {
    const dir = makeTempDir();
    try {
      const connection = await startCoreWorker(dir.file('home'), { workerFile: dyingWorker });
      expect((await connection.call('getAppInfo', {})).ok).toBe(true);
      const pending = await Promise.all([connection.call('verifyAuditLog', {}), connection.call('getAppInfo', {})]);
      const unavailable = { ok: false, error: { code: 'unavailable', message: 'The core stopped unexpectedly (its thread exited with code 3).' } };
      expect(pending).toEqual([unavailable, unavailable]);
      expect(await connection.call('listPrincipals', {})).toEqual(unavailable);
      await connection.close();
      expect(await connection.call('getAppInfo', {})).toEqual(unavailable);
    } finally {
      dir.remove();
    }
  });

  it('names the exception that killed it, in one sentence', async () => {
    const dir = makeTempDir();
    try {
      const connection = await startCoreWorker(dir.file('home'), { workerFile: dyingWorker });
      const unavailable = { ok: false, error: { code: 'unavailable', message: 'The core stopped unexpectedly: The store went away.' } };
      expect(await connection.call('getMeshIdentity', {})).toEqual(unavailable);
      expect(await connection.call('getAppInfo', {})).toEqual(unavailable);
      await connection.close();
    } finally {
      dir.remove();
    }
  });
});

describe('close()', () => {
  it('closes the store and ends the thread: a process that used the core exits on its own', async () => {
    const dir = makeTempDir();
    try {
      const script = join(dirname(workerFile), 'uses-the-core.mjs');
      // No process.exit at the end: the child ends only if close() left no handle open.
      await build({
        stdin: {
          contents: [
            "import { startCoreWorker } from './start-core-worker.ts';",
            'const connection = await startCoreWorker(process.argv[2], { workerFile: process.argv[3] });',
            "const answer = await connection.call('getWorkspaceInfo', {});",
            'await connection.close();',
            "process.stdout.write(answer.ok ? 'answered and closed' : answer.error.message);",
          ].join('\n'),
          resolveDir: import.meta.dirname,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: script,
        logLevel: 'warning',
      });
      const started = Date.now();
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile(process.execPath, [script, dir.file('home'), workerFile], { timeout: 20_000 }, (error, out) =>
          resolve({ code: error ? (child.exitCode ?? -1) : 0, stdout: out }),
        );
      });
      expect(stdout).toBe('answered and closed');
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      dir.remove();
    }
  });
});
