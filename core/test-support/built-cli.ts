/**
 * The built `entente` command, for tests that run it as a user would: a child process of
 * `node bin/entente.mjs`. The build runs once if dist/ lacks the CLI or the console.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/entente.mjs', import.meta.url));
const BUILT = ['dist/cli/entente.mjs', 'dist/core/core-worker.cjs', 'dist/bridge/entente-bridge.js', 'dist/renderer/index.html'];

export function ensureBuilt(): void {
  if (BUILT.every((file) => existsSync(`${ROOT}${file}`))) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `entente …args` with no browser to open (and `extraEnv` on top of ours); the caller reads, signals or awaits it. */
export function startCli(args: readonly string[], extraEnv: Record<string, string> = {}): { child: ChildProcessWithoutNullStreams; finished: Promise<Finished> } {
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ...extraEnv };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

export function runCli(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Finished> {
  return startCli(args, extraEnv).finished;
}

/** Resolves with the first line the child prints on stdout, or rejects after `ms`. */
export function firstLine(child: ChildProcessWithoutNullStreams, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${ms} ms`)), ms);
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(buffered.slice(0, end));
    };
    child.stdout.on('data', onData);
    child.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`exited before printing a line: ${buffered}`));
    });
  });
}
