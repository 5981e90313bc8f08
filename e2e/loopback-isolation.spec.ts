/**
 * The console's secret stays with the console: another web server on this machine, visited by
 * the same browser after the console was opened, receives neither the session cookie nor the
 * token; and the console keeps its session across a reload.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

let served: ServedConsole;
let other: Server;
const seen: Seen[] = [];

test.beforeEach(async () => {
  served = await serveConsoleOnTempHome();
  seen.length = 0;
  // Any local web server the officer might visit: a dev server, a printer's page, a hostile tool.
  other = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Another local server</title><p>hello</p>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
});
test.afterEach(async () => {
  await new Promise<void>((resolve) => other.close(() => resolve()));
  await served.stop();
});

test('another server on 127.0.0.1 receives no cookie and no token, and the console survives a reload', async ({ page, context }) => {
  const token = new URL(served.url).searchParams.get('token')!;
  const console = new ConsolePage(page);
  await console.open(served.url);
  await console.workspace.waitForFact('Home', served.home);

  const port = (other.address() as AddressInfo).port;
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page.getByText('hello')).toBeVisible();
  const second = await context.newPage();
  await second.goto(`http://localhost:${port}/other`);
  await expect(second.getByText('hello')).toBeVisible();
  await second.close();

  expect(seen.length).toBeGreaterThanOrEqual(2);
  for (const request of seen) {
    expect(request.headers.cookie, request.url).toBeUndefined();
    expect(JSON.stringify(request), request.url).not.toContain(token);
  }

  // Back on the console: the session holds across a reload, without the token in the URL.
  await page.goto(`${served.origin}/`);
  await console.workspace.waitForFact('Home', served.home);
  await page.reload();
  await console.waitForConnected();
  await console.workspace.waitForFact('Home', served.home);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
});
