/**
 * The log survives its writer being killed mid-append (SIGKILL, no chance to clean up): every
 * transaction holds entries with their checkpoint, so what is left verifies. The writer is
 * `test/append-until-killed.ts`, bundled and run as its own process.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { createServices } from '../services.js';

let dir: TempDir;
const cleanups: (() => void)[] = [];
beforeEach(() => (dir = makeTempDir('entente-append-killed-')));
afterEach(() => {
  dir.remove();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('a writer killed mid-append', () => {
  it('survives being killed in the middle of appending: what is left verifies', async () => {
    const path = dir.file('entente.db');
    const db = openDatabase(path);
    await createServices(db).mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
    db.close();
    // Bundled inside the project, so the writer finds the project's packages as the CLI does.
    const script = new URL(`../../../.tmp/append-until-killed-${process.pid}-${Date.now()}.mjs`, import.meta.url).pathname;
    cleanups.push(() => rmSync(script, { force: true }));
    buildSync({ entryPoints: [new URL('./test/append-until-killed.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: script, logLevel: 'silent' });
    const child = spawn(process.execPath, [script, path], { cwd: new URL('../../../', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => setTimeout(resolve, 150));
      child.once('exit', () => reject(new Error(`the writer stopped by itself: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const reopened = openDatabase(path);
    try {
      const report = createServices(reopened).audit.verify();
      expect(report.failures).toEqual([]);
      expect(report.entries).toBeGreaterThan(20);
    } finally {
      reopened.close();
    }
  });
});
