// `npm run screenshots`: the console's views on the coalition exercise, as docs/screenshots/ holds
// them. Builds the exercise with `entente demo` into a temporary folder, serves GBR's home on the
// loopback host, and photographs each view in the dark and the light theme in a real Chromium
// (the same one the e2e tests use: ENTENTE_CHROMIUM, /usr/bin/chromium, or @sparticuz/chromium).
// Run `npm run build` first (the npm script does).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'entente.mjs');
const out = join(root, 'docs', 'screenshots');
const entente = (...args) => JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));

function chromiumPath() {
  if (process.env.ENTENTE_CHROMIUM) return process.env.ENTENTE_CHROMIUM;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return execFileSync(process.execPath, [join(root, 'scripts', 'registry-chromium.mjs')], { encoding: 'utf8' }).trim();
}

const dir = join(mkdtempSync(join(tmpdir(), 'entente-screenshots-')), 'exercise');
let server;
try {
  console.log(`Building the exercise in ${dir}…`);
  entente('demo', '--home', dir);
  // The deepest lineage of the exercise (DEU's confirmation of FRA's fusion of GBR's assessment), and the open queue item.
  const deep = entente('picture', '--home', dir, '--subject', 'assessment:coalition:K-21:deu').picture.items[0]?.fields[0]?.observation ?? '';
  const item = entente('queue', 'list', '--home', dir).items[0]?.id ?? '';
  const federation = entente('federation', 'status', '--home', dir).federations.find((f) => f.state === 'active')?.id;

  server = spawn(process.execPath, [cli, 'serve', '--home', dir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  mkdirSync(out, { recursive: true });
  const views = [['overview'], ['picture'], ['observations'], ['lineage', deep], ['provenance', deep], ['boundaries'], ['queue', item], ['quarantine'], ['federations'], ['audit'], ['integrity']];
  for (const scheme of ['dark', 'light']) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: scheme });
    for (const [view, selected] of views) {
      await page.goto(`${url}#/${view}${selected ? `/${selected}` : ''}`);
      await page.waitForLoadState('networkidle');
      // Views fill in from the core's answers; the lineage graph also lays out.
      await page.waitForTimeout(view === 'lineage' ? 5_000 : 2_000);
      // The picture keeps its subject out of the URL: open the contact the meshes disagreed on, to show a field's provenance.
      if (view === 'picture') {
        await page.getByTestId('picture-row').filter({ hasText: 'contact:K-17' }).first().click();
        await page.getByTestId('picture-detail-subject').waitFor();
        await page.waitForTimeout(1_000);
      }
      const file = join(out, `${view}${scheme === 'light' ? '-light' : ''}.png`);
      await page.screenshot({ path: file });
      console.log(`  ${file}`);
    }
    // The federation editor's effect preview: the active federation amended, its first ceiling lowered.
    if (federation) {
      await page.goto(`${url}#/federations/${federation}`);
      await page.getByTestId('amend-federation').click();
      await page.locator('[data-path="scope.0.ceiling"]').fill('CONFIDENTIAL');
      const effect = page.getByTestId('effect-preview');
      await effect.getByTestId('effect-change').first().waitFor({ timeout: 30_000 });
      const file = join(out, `federation-editor-effect${scheme === 'light' ? '-light' : ''}.png`);
      // The viewport, not the element: the banners frame the panel as the officer sees it.
      await effect.scrollIntoViewIfNeeded();
      await page.screenshot({ path: file });
      console.log(`  ${file}`);
    }
    await page.close();
  }
  await browser.close();
} finally {
  server?.kill('SIGTERM');
  rmSync(join(dir, '..'), { recursive: true, force: true });
}
