// What a source file imports, read from its syntax tree, and where a relative specifier lands on
// disk. Shared by the layering and no-cycle rules so both see the same edges: static imports
// (value and type), `export … from`, `import()` and `require()` of a literal, `import('…').T` in
// a type, and `new URL('…', import.meta.url)` when it names a source file.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {{ specifier: string, node: object, kind: 'module' | 'url' }} ImportSite
 * `url` marks `new URL('…', import.meta.url)`: a path to a file (a worker's entry, an asset),
 * not a module loaded with this one.
 */

function stringValue(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

function isImportMetaUrl(node) {
  return (
    node?.type === 'MemberExpression' &&
    node.object.type === 'MetaProperty' &&
    node.object.meta.name === 'import' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'url'
  );
}

/** The import site a node makes, if it makes one. */
function siteOf(node) {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration':
    case 'ImportExpression': {
      const specifier = stringValue(node.source);
      return specifier === null ? null : { specifier, node: node.source, kind: 'module' };
    }
    case 'TSImportType': {
      // typescript-eslint 8 calls it `source`; older trees wrapped it in `argument.literal`.
      const literal = node.source ?? node.argument?.literal;
      const specifier = stringValue(literal);
      return specifier === null ? null : { specifier, node: literal, kind: 'module' };
    }
    case 'CallExpression': {
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'require') return null;
      const specifier = stringValue(node.arguments[0]);
      return specifier === null ? null : { specifier, node: node.arguments[0], kind: 'module' };
    }
    case 'NewExpression': {
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'URL' || !isImportMetaUrl(node.arguments[1])) return null;
      const specifier = stringValue(node.arguments[0]);
      return specifier === null ? null : { specifier, node: node.arguments[0], kind: 'url' };
    }
    default:
      return null;
  }
}

/** Every import site in a syntax tree, in source order. */
export function importSites(ast, visitorKeys) {
  const sites = [];
  const pending = [ast];
  while (pending.length > 0) {
    const node = pending.pop();
    const site = siteOf(node);
    if (site !== null) sites.push(site);
    const keys = visitorKeys[node.type] ?? [];
    for (let k = keys.length - 1; k >= 0; k -= 1) {
      const child = node[keys[k]];
      if (Array.isArray(child)) {
        for (let c = child.length - 1; c >= 0; c -= 1) if (child[c]?.type) pending.push(child[c]);
      } else if (child?.type) {
        pending.push(child);
      }
    }
  }
  return sites;
}

// TypeScript sources are imported by the name they are emitted as (`./x.js` is `x.ts`).
const SOURCE_NAMES_FOR = {
  '.js': ['.ts', '.tsx', '.js'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
  '.jsx': ['.tsx', '.jsx'],
};

function isFile(candidate) {
  return existsSync(candidate) && statSync(candidate).isFile();
}

/**
 * The absolute path a relative specifier names, preferring a file that exists (the `.ts` source
 * of a `.js` import first). Null for a package or built-in. When nothing exists, the first
 * candidate is returned with `exists: false`, so a path's layer can still be read.
 */
export function resolveRelative(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return null;
  const target = path.resolve(path.dirname(fromFile), specifier);
  const extension = path.extname(target);
  const stem = target.slice(0, target.length - extension.length);
  const candidates =
    extension in SOURCE_NAMES_FOR
      ? SOURCE_NAMES_FOR[extension].map((sourceExtension) => stem + sourceExtension)
      : extension === ''
        ? [target, `${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')]
        : [target];
  const found = candidates.find(isFile);
  return found === undefined ? { file: candidates[0], exists: false } : { file: found, exists: true };
}

/** The project root (this folder's parent), and a path relative to it with forward slashes. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export function projectRelative(absolutePath) {
  const relative = path.relative(PROJECT_ROOT, absolutePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}
