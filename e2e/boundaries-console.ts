/**
 * The console served on a home seeded with the CLI as seeded-boundaries.ts builds it, once per
 * spec file: the boundary board's and the after-action export's specs start from the same homes.
 */
import { test } from '@playwright/test';
import { seedBoundaries, type SeededBoundaries } from './seeded-boundaries.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

export interface BoundariesConsole {
  readonly served: ServedConsole;
  readonly seeded: SeededBoundaries;
}

export function useBoundariesConsole(): BoundariesConsole {
  let served: ServedConsole | undefined;
  let seeded: SeededBoundaries | undefined;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    served = await serveConsoleOnTempHome(async (home) => {
      seeded = await seedBoundaries(home);
    });
  });
  test.afterAll(async () => served?.stop());
  return {
    get served() {
      return served!;
    },
    get seeded() {
      return seeded!;
    },
  };
}
