/** The provenance browser: the chain's steps, each with its crossing facts and log entries. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class ProvenancePage {
  readonly steps: Locator;

  constructor(readonly page: Page) {
    this.steps = page.getByTestId('chain-step');
  }

  async waitForSteps(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.steps).toHaveCount(count, wait);
  }

  step(index: number): Locator {
    return this.steps.nth(index);
  }

  async verifyLog(): Promise<void> {
    await this.page.getByTestId('verify-log').click();
    await expect(this.page.getByTestId('log-verification')).toContainText('verified');
  }
}
