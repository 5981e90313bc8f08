/**
 * The layering and no-cycle rules refuse what decision 0004 forbids, through the project's own
 * eslint.config.js: planted upward imports, a production import of test support, and cycles.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The entente/* messages for code linted as if it were saved at `filePath`. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId?.startsWith('entente/')).map((m) => m.message);
}

const ORDER = '(primitives ← domain ← store ← app ← api ← shell)';

describe('entente/layers', () => {
  it('refuses a domain part importing the store', async () => {
    expect(await refusals('core/audit/planted.ts', "import { openDatabase } from '../store/database.js';\nexport const o = openDatabase;\n")).toEqual([
      `core/audit (domain) may not import core/store (store): a layer imports only its own or a lower one ${ORDER}; see docs/decisions/0004-layers.md.`,
    ]);
  });

  it('refuses the app importing the api, a type-only import included', async () => {
    const messages = await refusals(
      'core/app/planted.ts',
      "import type { MethodResult } from '../api/contract.js';\nimport { dispatch } from '../api/dispatch.js';\nexport type R = MethodResult<'getAppInfo'>;\nexport const d = dispatch;\n",
    );
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(message).toMatch(/^core\/app \(app\) may not import core\/api \(api\): /);
  });

  it('refuses the store importing the app', async () => {
    expect(await refusals('core/store/planted.ts', "export { verifyAuditLog } from '../app/audit-service.js';\n")).toEqual([
      expect.stringMatching(/^core\/store \(store\) may not import core\/app \(app\): /),
    ]);
  });

  it('refuses every other upward step: primitives → domain, api → shell, and by dynamic import or URL', async () => {
    expect(await refusals('core/canonical/planted.ts', "import { parseLabel } from '../labels/label.js';\nexport const p = parseLabel;\n")).toEqual([
      expect.stringMatching(/^core\/canonical \(primitives\) may not import core\/labels \(domain\): /),
    ]);
    expect(await refusals('core/api/planted.ts', "import { main } from '../cli/main.js';\nexport const m = main;\n")).toEqual([
      expect.stringMatching(/^core\/api \(api\) may not import core\/cli \(shell\): /),
    ]);
    expect(await refusals('core/labels/planted.ts', "export const later = () => import('../app/audit-service.js');\n")).toEqual([
      expect.stringMatching(/^core\/labels \(domain\) may not import core\/app \(app\): /),
    ]);
    expect(await refusals('core/observation/planted.ts', "export const worker = new URL('../app/verify-worker.js', import.meta.url);\n")).toEqual([
      expect.stringMatching(/^core\/observation \(domain\) may not import core\/app \(app\): /),
    ]);
  });

  it('refuses production code importing test support, and lets tests import it', async () => {
    const code = "import { T } from '../credentials/test-fixtures.js';\nexport const times = T;\n";
    expect(await refusals('core/labels/planted.ts', code)).toEqual([
      'core/labels/planted.ts is production code and may not import test support (core/credentials/test-fixtures.ts); move what both need out of the test support.',
    ]);
    expect(await refusals('electron/planted.ts', "import { startShellOnTempHome } from './test/shell-harness.js';\nexport const start = startShellOnTempHome;\n")).toEqual([
      expect.stringMatching(/^electron\/planted\.ts is production code and may not import test support \(electron\/test\/shell-harness\.ts\)/),
    ]);
    expect(await refusals('core/labels/planted.test.ts', code)).toEqual([]);
  });

  it('lets each layer import its own and lower layers, and test support import any', async () => {
    expect(await refusals('core/app/planted.ts', "import { openDatabase } from '../store/database.js';\nexport const o = openDatabase;\n")).toEqual([]);
    expect(await refusals('core/audit/planted.ts', "import { canonicalize } from '../canonical/jcs.js';\nimport type { ConfidentialityLabel } from '../labels/label.js';\nexport const c = canonicalize;\nexport type L = ConfidentialityLabel;\n")).toEqual([]);
    expect(await refusals('core/api/planted.ts', "import { verifyAuditLog } from '../app/audit-service.js';\nexport const v = verifyAuditLog;\n")).toEqual([]);
    expect(await refusals('electron/planted.ts', "import { dispatch } from '../core/api/dispatch.js';\nexport const d = dispatch;\n")).toEqual([]);
    expect(await refusals('core/audit/test/planted.ts', "import { verifyAuditLog } from '../../app/audit-service.js';\nexport const v = verifyAuditLog;\n")).toEqual([]);
  });

  it('refuses a core folder that is in no layer', async () => {
    expect(await refusals('core/unplaced/planted.ts', 'export const x = 1;\n')).toEqual([
      'core/unplaced is in no layer: place it in eslint/layer-map.js (docs/decisions/0004-layers.md).',
    ]);
  });

  it('applies an exception to its exact file pair only', async () => {
    const code = "import { CONTRACT_VERSION } from '../api/contract/index.js';\nexport const v = CONTRACT_VERSION;\n";
    expect(await refusals('core/app/identity.ts', code)).toEqual([]);
    expect(await refusals('core/app/planted.ts', code)).toHaveLength(1);
  });
});

describe('entente/no-cycle', () => {
  // Real files, because a cycle is read from the files on disk. The folder is gitignored, and
  // outside what `eslint .`, tsc and vitest collect (eslint.config.js ignores `.lint-plant-*`).
  let plant: string;
  const planted = new ESLint({ cwd: root, ignore: false });

  beforeAll(() => {
    plant = mkdtempSync(path.join(root, 'eslint', '.lint-plant-'));
  });
  afterAll(() => rmSync(plant, { recursive: true, force: true }));

  function write(files: Record<string, string>): string[] {
    return Object.entries(files).map(([name, code]) => {
      writeFileSync(path.join(plant, name), code);
      return path.join(plant, name);
    });
  }

  async function cycles(files: string[]): Promise<Record<string, string[]>> {
    const results = await planted.lintFiles(files);
    return Object.fromEntries(
      results.map((r) => [path.basename(r.filePath), r.messages.filter((m) => m.ruleId === 'entente/no-cycle').map((m) => m.message)]),
    );
  }

  const at = (...names: string[]) => names.map((name) => `${path.relative(root, plant)}/${name}`).join(' → ');

  it('refuses a two-file cycle, on both files', async () => {
    const files = write({
      'two-a.ts': "import { b } from './two-b.js';\nexport const a = () => b;\n",
      'two-b.ts': "import { a } from './two-a.js';\nexport const b = () => a;\n",
    });
    expect(await cycles(files)).toEqual({
      'two-a.ts': [`Import cycle: ${at('two-a.ts', 'two-b.ts', 'two-a.ts')}; move what both sides need into a module below them.`],
      'two-b.ts': [`Import cycle: ${at('two-b.ts', 'two-a.ts', 'two-b.ts')}; move what both sides need into a module below them.`],
    });
  });

  it('refuses a three-file cycle, naming its whole path', async () => {
    const files = write({
      'three-a.ts': "import { b } from './three-b.js';\nexport const a = () => b;\n",
      'three-b.ts': "import { c } from './three-c.js';\nexport const b = () => c;\n",
      'three-c.ts': "import { a } from './three-a.js';\nexport const c = () => a;\n",
    });
    const found = await cycles(files);
    expect(found['three-a.ts']).toEqual([expect.stringContaining(at('three-a.ts', 'three-b.ts', 'three-c.ts', 'three-a.ts'))]);
    expect(found['three-c.ts']).toEqual([expect.stringContaining(at('three-c.ts', 'three-a.ts', 'three-b.ts', 'three-c.ts'))]);
  });

  it('counts a type-only import in a cycle', async () => {
    const files = write({
      'type-a.ts': "import type { B } from './type-b.js';\nexport interface A { b: B }\n",
      'type-b.ts': "import type { A } from './type-a.js';\nexport interface B { a: A }\n",
    });
    expect((await cycles(files))['type-a.ts']).toHaveLength(1);
  });

  it('passes once the cycle is broken, reading the changed file again', async () => {
    const [a, b] = write({
      'broken-a.ts': "import { b } from './broken-b.js';\nexport const a = () => b;\n",
      'broken-b.ts': "import { a } from './broken-a.js';\nexport const b = () => a;\n",
    });
    expect((await cycles([a!]))['broken-a.ts']).toHaveLength(1);
    write({ 'broken-b.ts': 'export const b = () => 2;\n' });
    expect(await cycles([a!, b!])).toEqual({ 'broken-a.ts': [], 'broken-b.ts': [] });
  });
});
