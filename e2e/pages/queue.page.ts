/**
 * The divergence queue view: the virtualized table (rows, keyboard focus, filters, sort), the
 * selected item's detail (time axis, histories, cause, policy, lineage), the decision dialog and
 * the replay panel.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class QueueView {
  readonly root: Locator;
  readonly rows: Locator;
  readonly detail: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('queue');
    this.rows = this.root.getByTestId('queue-row');
    this.detail = this.root.getByTestId('queue-detail');
    this.dialog = page.getByTestId('passphrase-dialog');
  }

  row(subject: string): Locator {
    return this.rows.filter({ hasText: subject });
  }

  async waitForRows(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.rows.filter({ has: this.page.locator('td .mono') })).toHaveCount(count, wait);
  }

  /** The row the keyboard is on has the focus and names this subject. */
  async waitForFocusedRow(subject: string, wait: Wait = {}): Promise<void> {
    await expect(this.page.locator('tr[data-testid="queue-row"]:focus')).toContainText(subject, wait);
  }

  async waitForDetail(subject: string, wait: Wait = {}): Promise<void> {
    await expect(this.detail.getByTestId('queue-detail-subject')).toHaveText(subject, wait);
  }

  async waitForStatus(status: string, wait: Wait = {}): Promise<void> {
    await expect(this.detail.getByTestId('queue-detail-status')).toHaveText(status, wait);
  }

  /** Opens the decision dialog, fills it, and signs with the passphrase. */
  async decide(options: { action: 'choose' | 'merge' | 'reject' | 'escalate'; chooseMesh?: string; reason: string; passphrase: string }): Promise<void> {
    await this.detail.getByTestId('queue-decide').click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByTestId(`decide-action-${options.action}`).check();
    if (options.chooseMesh) await this.dialog.locator(`[data-testid="decide-choose-option"][data-mesh="${options.chooseMesh}"]`).check();
    await this.dialog.getByTestId('decide-reason').fill(options.reason);
    await this.dialog.getByTestId('passphrase-input').fill(options.passphrase);
    await this.dialog.getByTestId('passphrase-submit').click();
  }

  async waitForRecorded(wait: Wait = {}): Promise<{ seq: string; hash: string }> {
    const recorded = this.detail.getByTestId('queue-recorded');
    await expect(recorded.getByTestId('queue-recorded-seq')).toHaveText(/^#\d+$/, wait);
    return { seq: (await recorded.getByTestId('queue-recorded-seq').innerText()).slice(1), hash: (await recorded.getByTestId('queue-recorded-hash').innerText()).replace('…', '') };
  }
}
