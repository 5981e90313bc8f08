/**
 * The federations card: each federation's row (state, version, every authority's signature,
 * expiry), selecting one by mouse or keyboard, and its declaration in the detail pane.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class FederationDeclaration {
  readonly root: Locator;
  readonly scope: Locator;
  readonly exit: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('federation-detail');
    this.scope = this.root.getByTestId('federation-scope');
    this.exit = this.root.getByTestId('federation-exit');
  }

  /** The declaration shown says this (its purpose, a partner…). */
  async waitForDeclaration(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.root).toContainText(says, wait);
  }

  async waitForScope(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.scope).toContainText(says, wait);
  }

  async waitForExit(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.exit).toContainText(says, wait);
  }
}

export class FederationsCard {
  readonly root: Locator;
  readonly declaration: FederationDeclaration;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('federations');
    this.declaration = new FederationDeclaration(page);
  }

  federation(id: string): Locator {
    return this.root.getByTestId(`federation-${id}`);
  }

  /** The federation's row shows this (its state "active", its version "v1"…). */
  async waitForFederation(id: string, shows: string, wait: Wait = {}): Promise<void> {
    await expect(this.federation(id)).toContainText(shows, wait);
  }

  /** What the row says of one partner's signature: "signed", "signature missing" or "withdrew". */
  async waitForSignature(id: string, mesh: string, says: string, wait: Wait = {}): Promise<void> {
    await expect(this.root.getByTestId(`signature-${id}-${mesh}`)).toContainText(says, wait);
  }

  async waitForExpiry(id: string, shows: string | RegExp, wait: Wait = {}): Promise<void> {
    await expect(this.root.getByTestId(`expiry-${id}`)).toContainText(shows, wait);
  }

  async select(id: string): Promise<FederationDeclaration> {
    await this.federation(id).click();
    return this.declaration;
  }

  /** Selects the way a keyboard user does: focus the row, press Enter. */
  async selectWithKeyboard(id: string): Promise<FederationDeclaration> {
    await this.federation(id).focus();
    await this.page.keyboard.press('Enter');
    return this.declaration;
  }
}
