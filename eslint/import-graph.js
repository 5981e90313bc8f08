// The project's import graph as it is on disk, read lazily: each file is parsed once and its
// relative import targets kept, re-read only when the file's modification time or size changes
// (so one lint run, or an editor's long-lived ESLint, parses each file once).
import { readFileSync, statSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import { importSites, resolveRelative } from './imports.js';

const PARSED = /\.[cm]?[jt]sx?$/;

/** absolute path → { mtimeMs, size, targets } */
const cache = new Map();

function readTargets(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  let parsed;
  try {
    parsed = tseslint.parser.parseForESLint(text, { filePath: file, sourceType: 'module', ecmaVersion: 'latest', range: false, loc: false });
  } catch {
    // A file that does not parse gets its own parse error when it is linted; here it has no edges.
    return [];
  }
  return moduleTargets(file, importSites(parsed.ast, parsed.visitorKeys));
}

/**
 * The absolute files a file's import sites load with it. `new URL('…', import.meta.url)` is left
 * out: it names a separate entry point (a worker) or an asset, not part of this module's graph.
 */
export function moduleTargets(file, sites) {
  const targets = new Set();
  for (const site of sites) {
    if (site.kind !== 'module') continue;
    const target = resolveRelative(file, site.specifier);
    if (target !== null) targets.add(target.file);
  }
  return [...targets];
}

/** The relative import targets of a file as saved on disk; none for a file that is not code. */
export function targetsOnDisk(file) {
  if (!PARSED.test(file)) return [];
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return [];
  }
  const known = cache.get(file);
  if (known !== undefined && known.mtimeMs === stats.mtimeMs && known.size === stats.size) return known.targets;
  const targets = readTargets(file);
  cache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, targets });
  return targets;
}
