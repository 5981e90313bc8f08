/**
 * The import boundaries in eslint.config.js do their job: each part is refused the imports
 * that would break the architecture, and allowed the ones it needs.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictedImportsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('import boundaries', () => {
  it('keep core/ free of Electron, React and the DOM', async () => {
    expect(await restrictedImportsIn('core/app/example.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('core/app/example.ts', "import { useState } from 'react';\nexport const s = useState;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('core/app/example.ts', 'export const title = document.title;\n')).toHaveLength(1);
    expect(await restrictedImportsIn('core/app/example.ts', "import { join } from 'node:path';\nexport const j = join;\n")).toEqual([]);
  });

  it('keep the renderer free of Node and core runtime code, but let it import the contract types', async () => {
    expect(await restrictedImportsIn('renderer/src/example.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('renderer/src/example.ts', "import fs from 'fs';\nexport const r = fs;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('renderer/src/example.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('renderer/src/example.ts', "import { dispatch } from '../../core/api/dispatch.js';\nexport const d = dispatch;\n")).toHaveLength(1);
    expect(
      await restrictedImportsIn('renderer/src/example.ts', "import type { Envelope } from '../../core/api/envelope.js';\nexport type E = Envelope<number>;\n"),
    ).toEqual([]);
  });

  it('keep electron/ free of UI code', async () => {
    expect(await restrictedImportsIn('electron/example.ts', "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;\n")).toHaveLength(1);
  });
});
