/** The mesh identity card: which national mesh the console stands for, its trust anchor and how its keys are kept. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class MeshIdentityCard {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('mesh-identity');
  }

  fact(label: string): Locator {
    return this.root.locator(`dt:text-is("${label}") + dd`);
  }

  async waitForShown(wait: Wait = {}): Promise<void> {
    await expect(this.root).toBeVisible(wait);
  }

  /** The card names this mesh (its code, then its display name). */
  async waitForMesh(code: string, wait: Wait = {}): Promise<void> {
    await expect(this.fact('Mesh')).toContainText(code, wait);
  }

  async waitForKeysEncrypted(wait: Wait = {}): Promise<void> {
    await expect(this.fact('Private keys')).toHaveText('encrypted under the workspace passphrase', wait);
  }
}
