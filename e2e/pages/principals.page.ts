/** The devices and operators card: each enrolled principal with its role, key and certificate status. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class PrincipalsCard {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('principals');
  }

  principal(id: string): Locator {
    return this.root.getByTestId(`principal-${id}`);
  }

  /** The principal's row shows this (its status "active", its key "P-256"…). */
  async waitForPrincipal(id: string, shows: string, wait: Wait = {}): Promise<void> {
    await expect(this.principal(id)).toContainText(shows, wait);
  }
}
