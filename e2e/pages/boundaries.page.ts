/** The boundary board as the officer reads it: a card per partner, each link's state by its word. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class BoundaryBoard {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('boundaries');
  }

  card(partner: string): Locator {
    return this.root.getByTestId(`boundary-${partner}`);
  }

  link(partner: string, federation: string): Locator {
    return this.card(partner).getByTestId(`link-${partner}-${federation}`);
  }

  /** Waits until the link shows this state (its data-state and its word), without reloading. */
  async waitForLinkState(partner: string, federation: string, state: string, word: string, wait: Wait = {}): Promise<void> {
    await expect(this.link(partner, federation)).toHaveAttribute('data-state', state, wait);
    await expect(this.link(partner, federation)).toContainText(word, wait);
  }
}
