/**
 * Staged files: a bundle the officer dropped on the console, written by the shell (the
 * loopback host's upload endpoint, Electron's main process) into the workspace's `staging/`
 * directory under a fresh random name, then imported by the core by that name alone. The
 * renderer never names a path: a staged id is 32 hex digits, and nothing else resolves.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const STAGING_DIR = 'staging';
/** A staged id: 128 random bits in hex, so it is neither guessable nor a path. */
export const STAGED_ID_PATTERN = /^[0-9a-f]{32}$/;
/** The largest bundle a shell stages (a bundle of 100,000 observations is about 150 MB). */
export const MAX_STAGED_BUNDLE_BYTES = 512 * 1024 * 1024;

export function newStagedId(): string {
  return randomBytes(16).toString('hex');
}

/** The staging directory of `home`, created owner-only when missing. */
export function stagingDir(home: string): string {
  const dir = join(home, STAGING_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Where a staged bundle lives; refuses anything but a staged id, so no caller can reach another path. */
export function stagedBundlePath(home: string, id: string): string {
  if (!STAGED_ID_PATTERN.test(id)) throw new RangeError('A staged id is 32 hex digits.');
  return join(stagingDir(home), `${id}.bundle`);
}

/** Why a shell refused to stage a file, with the HTTP status the loopback host answers. */
export class StagingRefused extends Error {
  constructor(
    readonly reason: 'too-large' | 'empty' | 'incomplete',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes `source` into the staging directory under a fresh id, at most `maxBytes`; the file
 * appears under its final name only once complete (written beside it, then renamed), so the
 * core never imports half a file. A source that grows past the bound is cut off and removed.
 */
export async function stageBundle(home: string, source: AsyncIterable<Uint8Array>, maxBytes = MAX_STAGED_BUNDLE_BYTES): Promise<{ staged: string; bytes: number }> {
  const staged = newStagedId();
  const path = stagedBundlePath(home, staged);
  const partial = `${path}.part`;
  const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new StagingRefused('too-large', `The file is larger than ${maxBytes.toLocaleString('en')} bytes, the most a dropped bundle may be.`);
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    if (bytes === 0) throw new StagingRefused('empty', 'The file is empty: a bundle has at least its manifest line.');
    sink.end();
    await once(sink, 'finish');
    renameSync(partial, path);
    return { staged, bytes };
  } catch (error) {
    sink.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}
