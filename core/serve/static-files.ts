/**
 * Serving the built renderer from one directory: only files inside it, never a path that
 * climbs out, with a fixed table of content types.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Returns null for anything that is not a file inside `root` with a known type. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').includes('..')) return null;
  const contentType = CONTENT_TYPES[extname(decoded)];
  if (!contentType) return null;
  try {
    const realRoot = await realpath(root);
    const target = await realpath(join(realRoot, decoded));
    if (!target.startsWith(realRoot + sep)) return null;
    return { body: await readFile(target), contentType };
  } catch {
    return null;
  }
}
