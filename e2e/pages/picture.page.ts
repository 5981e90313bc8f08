/**
 * The joint picture view: the summary (digest, counts), the virtualized subject table with its
 * filter, and the subject opened beside it.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class PictureView {
  readonly root: Locator;
  readonly summary: Locator;
  readonly rows: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('picture');
    this.summary = page.getByTestId('picture-summary');
    this.rows = this.root.getByTestId('picture-row');
    this.detail = this.root.getByTestId('picture-detail');
  }

  row(subject: string): Locator {
    return this.rows.filter({ hasText: subject });
  }

  /** Rows drawn with their data (a row still on its way has no subject cell). */
  async waitForRows(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.rows.filter({ has: this.page.locator('td .mono') })).toHaveCount(count, wait);
  }

  async digest(): Promise<string> {
    await expect(this.summary.getByTestId('picture-digest')).toHaveText(/^[0-9a-f]{64}$/);
    return (await this.summary.getByTestId('picture-digest').textContent()) ?? '';
  }

  async filterBySubject(prefix: string): Promise<void> {
    await this.root.getByTestId('picture-filter-subject').fill(prefix);
  }

  async filterByState(state: '' | 'merged' | 'held'): Promise<void> {
    await this.root.getByTestId('picture-filter-state').selectOption(state);
  }

  async waitForDetail(subject: string, wait: Wait = {}): Promise<void> {
    await expect(this.detail.getByTestId('picture-detail-subject')).toHaveText(subject, wait);
  }

  field(name: string): Locator {
    return this.detail.locator(`[data-testid="picture-field"][data-field="${name}"]`);
  }
}
