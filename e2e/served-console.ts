/**
 * Starts the built `entente serve` on a fresh temporary home, as a user would, and reads the
 * URL it prints. Each spec gets its own home and its own token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServedConsole {
  readonly home: string;
  /** The URL `entente serve` printed, token included. */
  readonly url: string;
  /** The same origin without the token. */
  readonly origin: string;
  stop(): Promise<void>;
}

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');

/** `prepare` gets the fresh home before the console starts on it (to seed a workspace, say); the console waits for it. */
export async function serveConsoleOnTempHome(prepare?: (home: string) => void | Promise<void>): Promise<ServedConsole> {
  const home = mkdtempSync(join(tmpdir(), 'entente-e2e-'));
  await prepare?.(home);
  const child = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = await firstLine(child, () => stderr);
  const { url } = JSON.parse(printed) as { url: string };
  return {
    home,
    url,
    origin: new URL(url).origin,
    async stop() {
      await stopChild(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`entente serve exited with ${code}: ${stderr()}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
