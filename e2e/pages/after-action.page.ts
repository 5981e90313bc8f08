/** The provenance browser's search and its after-action export, and the long operations' progress as the page hears it. */
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export interface ProvenanceQuery {
  readonly subject?: string;
  readonly mesh?: string;
  readonly federation?: string;
  readonly label?: string;
}

export class AfterActionPage {
  readonly search: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByTestId('provenance-search');
    this.results = page.getByTestId('search-results').locator('li');
  }

  /** Starts recording every `operationProgress` the page hears (the bar itself may pass faster than a look). */
  async recordProgress(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: unknown[] = [];
      (globalThis as unknown as { __progress: unknown[] }).__progress = seen;
      (globalThis as unknown as { entente: { on: (e: string, l: (p: unknown) => void) => void } }).entente.on('operationProgress', (p) => seen.push(p));
    });
  }

  async progressHeard(): Promise<{ kind: string; state: string; phase: string; done: number; total: number | null }[]> {
    return this.page.evaluate(() => (globalThis as unknown as { __progress: never[] }).__progress);
  }

  async query(query: ProvenanceQuery): Promise<void> {
    if (query.subject !== undefined) await this.page.getByTestId('search-subject').fill(query.subject);
    if (query.mesh !== undefined) await this.page.getByTestId('search-mesh').fill(query.mesh);
    if (query.federation !== undefined) await this.page.getByTestId('search-federation').fill(query.federation);
    if (query.label !== undefined) await this.page.getByTestId('search-label').fill(query.label);
  }

  async waitForResults(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.results).toHaveCount(count, wait);
  }

  /** Export after-action…, signed with the passphrase; waits for the files to be prepared. */
  async exportSigned(passphrase: string): Promise<void> {
    await this.page.getByTestId('after-action-export').click();
    const dialog = this.page.getByTestId('passphrase-dialog');
    await dialog.getByTestId('passphrase-input').fill(passphrase);
    await dialog.getByTestId('passphrase-submit').click();
    await expect(this.page.getByTestId('after-action-done')).toBeVisible({ timeout: 30_000 });
  }

  async save(kind: 'bundle' | 'html'): Promise<Download> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId(`after-action-save-${kind}`).click();
    return downloading;
  }
}
