#!/usr/bin/env node
// The `entente` command. The CLI is bundled by `npm run build` (run by `npm ci` through the
// prepare script); say so plainly if that has not happened.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/entente.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('entente: the command is not built yet; run `npm run build` in the Entente folder.\n');
  process.exit(1);
}
await import(entry.href);
