/** The console served by `entente serve`, opened in Chromium the way a user opens it. */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
test.beforeEach(async () => {
  served = await serveConsoleOnTempHome();
});
test.afterEach(async () => {
  await served.stop();
});

test('the console renders the workspace it was started on', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  const console = new ConsolePage(page);
  await console.open(served.url);

  await expect(page).toHaveTitle(/Entente/);
  await console.workspace.waitForFact('Home', served.home);
  await console.workspace.waitForFact('Store', `${served.home}/entente.db`);
  await console.workspace.waitForFact('Schema', /^v\d+$/);
  await console.meshIdentity.waitForShown();
  // The token has left the address bar: it lives on in an HttpOnly cookie.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  await page.screenshot({ path: testInfo.outputPath('console.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
});

test('a request without the token is refused, and the console does not load', async ({ page, request }) => {
  const bare = await request.get(`${served.origin}/`);
  expect(bare.status()).toBe(401);
  expect(await bare.text()).not.toContain('<script');

  const wrong = await request.get(`${served.origin}/?token=not-the-token`);
  expect(wrong.status()).toBe(401);

  await page.goto(`${served.origin}/`);
  await new ConsolePage(page).waitForNotServed();
});

test('the API refuses a foreign Origin even with the token', async ({ request }) => {
  const token = new URL(served.url).searchParams.get('token')!;
  const response = await request.get(`${served.origin}/`, {
    headers: { 'x-entente-token': token, origin: 'https://evil.example' },
  });
  expect(response.status()).toBe(403);
});
