import { expect, test } from '@playwright/test';
import { entente } from './seeded-boundaries.js';
import { seedQueue, type SeededQueue } from './seeded-queue.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededQueue;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  served = await serveConsoleOnTempHome(async (home) => {
    seeded = await seedQueue(home);
  });
});
test.afterAll(async () => served?.stop());

test('seed', () => {
  const list = JSON.parse(entente(served.home, 'DEU', ['queue', 'list', '--json'])) as { items: unknown[] };
  console.log(JSON.stringify(list, null, 1).slice(0, 3000), seeded.contacts);
  expect(list.items.length).toBe(3);
});
