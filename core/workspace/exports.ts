/**
 * Prepared exports: a file the console asked the core for (the after-action bundle and report, an
 * audit export), written by the core into the workspace's `exports/` directory under a fresh random
 * id, then handed to the officer by the shell — a download from the loopback host, a save dialog
 * in Electron. The mirror of staging.ts: the renderer names an export by its id and kind alone,
 * never a path. Each file appears under its final name only once whole (written beside it, then
 * renamed), so a cancelled or failed export leaves nothing a shell could hand out.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXPORTS_DIR = 'exports';
/** An export id: 128 random bits in hex, neither guessable nor a path. */
export const EXPORT_ID_PATTERN = /^[0-9a-f]{32}$/;
/** What an export holds: the file kinds a shell may hand out, each with its file extension and type. */
export const EXPORT_KINDS = {
  bundle: { extension: '.bundle.json', contentType: 'application/json; charset=utf-8' },
  html: { extension: '.html', contentType: 'text/html; charset=utf-8' },
  json: { extension: '.json', contentType: 'application/json; charset=utf-8' },
} as const;
export type ExportKind = keyof typeof EXPORT_KINDS;

export const isExportKind = (kind: unknown): kind is ExportKind => typeof kind === 'string' && Object.hasOwn(EXPORT_KINDS, kind);

export function newExportId(): string {
  return randomBytes(16).toString('hex');
}

function exportsDir(home: string): string {
  const dir = join(home, EXPORTS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Where an export's file lives; refuses anything but an export id and a known kind, so no caller reaches another path. */
export function exportFilePath(home: string, id: string, kind: ExportKind): string {
  if (!EXPORT_ID_PATTERN.test(id) || !isExportKind(kind)) throw new RangeError('An export is named by 32 hex digits and a known kind.');
  return join(exportsDir(home), `${id}${EXPORT_KINDS[kind].extension}`);
}

/** Writes every file of one export, each beside its name first; none appears unless all were written. */
export function writeExport(home: string, id: string, files: readonly { readonly kind: ExportKind; readonly text: string }[]): { kind: ExportKind; bytes: number }[] {
  const planned = files.map((f) => ({ ...f, path: exportFilePath(home, id, f.kind) }));
  try {
    for (const f of planned) writeFileSync(`${f.path}.part`, f.text, { flag: 'wx', mode: 0o600 });
    for (const f of planned) renameSync(`${f.path}.part`, f.path);
  } catch (error) {
    for (const f of planned) {
      rmSync(`${f.path}.part`, { force: true });
      rmSync(f.path, { force: true });
    }
    throw error;
  }
  return planned.map((f) => ({ kind: f.kind, bytes: statSync(f.path).size }));
}

/** The file of an export, or null when there is none (never written, or cleared). */
export function exportFile(home: string, id: string, kind: ExportKind): { path: string; bytes: number; contentType: string } | null {
  if (!EXPORT_ID_PATTERN.test(id) || !isExportKind(kind)) return null;
  const path = exportFilePath(home, id, kind);
  try {
    const stat = statSync(path);
    return stat.isFile() ? { path, bytes: stat.size, contentType: EXPORT_KINDS[kind].contentType } : null;
  } catch {
    return null;
  }
}

/** Exports older than `maxAgeMs` are removed when the next is prepared: they are copies, handed out already. */
export function clearOldExports(home: string, maxAgeMs: number, now = Date.now()): void {
  const dir = exportsDir(home);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > maxAgeMs) rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by another process: nothing to do.
    }
  }
}
