/** The workspace card: where the workspace lives, its store, id, creation time and schema. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class WorkspaceCard {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('workspace-info');
  }

  /** A fact from the card, by its label ("Home", "Store", "Schema"…). */
  fact(label: string): Locator {
    return this.root.locator(`dt:text-is("${label}") + dd`);
  }

  async waitForFact(label: string, value: string | RegExp, wait: Wait = {}): Promise<void> {
    await expect(this.fact(label)).toHaveText(value, wait);
  }
}
