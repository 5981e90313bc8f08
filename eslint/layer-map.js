// The layer map of docs/decisions/0004-layers.md: which layer each folder belongs to, and which
// files are test support. The lint rules in eslint/rules/ read it; a new folder under core/ must
// be placed here before it lints (a folder in no layer is refused, so none is missed by accident).

/** Lowest first: a file may import its own layer or one before it in this list. */
export const LAYERS = ['primitives', 'domain', 'store', 'app', 'api', 'shell'];

/** Folder (project-relative, with trailing slash) → layer. The longest matching prefix wins. */
const FOLDER_LAYERS = {
  'core/canonical/': 'primitives',
  'core/crypto/': 'primitives',
  'core/time/': 'primitives',
  'core/common/': 'primitives',

  'core/labels/': 'domain',
  'core/credentials/': 'domain',
  'core/observation/': 'domain',
  'core/audit/': 'domain',
  'core/federation/': 'domain',
  'core/taxonomy/': 'domain',
  'core/boundary/': 'domain',
  'core/reconcile/': 'domain',
  'core/cot/': 'domain',

  'core/store/': 'store',
  'core/workspace/': 'store',

  'core/app/': 'app',
  // The coalition exercise and the simulator drive several homes' app services in-process.
  'core/exercise/': 'app',

  'core/api/': 'api',

  // core/serve/browser/ (the page-side bridge) is a shell too; its own browser rules apply on top.
  'core/cli/': 'shell',
  'core/serve/': 'shell',
  'electron/': 'shell',
  // The renderer is the console's UI shell; its import rules (contract types only) live in
  // eslint.config.js, and nothing sits above a shell for this map to refuse.
  'renderer/': 'shell',
  'bench/': 'shell',
  'scripts/': 'shell',
  'build/': 'shell',
  'bin/': 'shell',
};

const prefixesLongestFirst = Object.keys(FOLDER_LAYERS).sort((a, b) => b.length - a.length);

/**
 * The layer of a project-relative path (forward slashes), or null when the path is in no layer:
 * root configs and eslint/ itself are tooling, outside the map.
 */
export function layerOf(relativePath) {
  const prefix = prefixesLongestFirst.find((candidate) => relativePath.startsWith(candidate));
  return prefix === undefined ? null : FOLDER_LAYERS[prefix];
}

/** core/ is fully mapped: a file there in no layer is a folder someone forgot to place. */
export function mustHaveLayer(relativePath) {
  return relativePath.startsWith('core/');
}

/** The folder a message names: `core/audit`, `electron`, `renderer`… */
export function areaOf(relativePath) {
  const parts = relativePath.split('/');
  return parts[0] === 'core' && parts.length > 2 ? `core/${parts[1]}` : parts[0];
}

/**
 * Test support: tests, fixtures and harnesses. It may import any layer (a test reaches where it
 * must), but production code never imports it.
 */
export function isTestSupport(relativePath) {
  const parts = relativePath.split('/');
  const name = parts.at(-1) ?? '';
  return (
    relativePath.startsWith('core/test-support/') ||
    relativePath.startsWith('e2e/') ||
    parts.slice(0, -1).includes('test') ||
    name === 'test-fixtures.ts' ||
    /\.test\.[cm]?tsx?$/.test(name)
  );
}

/** One line naming the order, for messages. */
export const LAYER_ORDER = 'primitives ← domain ← store ← app ← api ← shell';
