/**
 * The reconciliation log card: its size and last checkpoint, the timeline of entries (newest
 * first), the filter form, and verification on request with its failures by name.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export interface LogFilter {
  /** An entry type, or '' for any. */
  readonly type?: string;
  readonly subject?: string;
}

export class AuditLogCard {
  readonly root: Locator;
  readonly entries: Locator;
  readonly state: Locator;
  readonly verification: Locator;
  readonly failures: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('audit-log');
    this.entries = this.root.getByTestId('audit-entry');
    this.state = this.root.getByTestId('audit-state');
    this.verification = this.root.getByTestId('audit-verification');
    this.failures = this.root.getByTestId('audit-failure');
  }

  /** The log holds `count` entries in all, whatever the filter (the card's heading). */
  async waitForLogSize(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.root.getByTestId('audit-total')).toHaveText(`${count} entries`, wait);
  }

  /** The timeline shows `count` entries (under the current filter). */
  async waitForEntryCount(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.entries).toHaveCount(count, wait);
  }

  /** `count` of the entries shown mention this (a reason such as "enrolled"). */
  async waitForEntriesWith(text: string, count: number, wait: Wait = {}): Promise<void> {
    await expect(this.entries.filter({ hasText: text })).toHaveCount(count, wait);
  }

  async waitForNewestEntry(shows: string, wait: Wait = {}): Promise<void> {
    await expect(this.entries.first()).toContainText(shows, wait);
  }

  async waitForOldestEntry(shows: string, wait: Wait = {}): Promise<void> {
    await expect(this.entries.last()).toContainText(shows, wait);
  }

  async waitForCheckpoint(size: number, wait: Wait = {}): Promise<void> {
    await expect(this.state).toContainText(`Last checkpoint: size ${size}`, wait);
  }

  async waitForNotVerified(wait: Wait = {}): Promise<void> {
    await expect(this.verification).toContainText('Not verified in this session', wait);
  }

  /** Sets the filter form's fields given (others stay as they are) and applies it. */
  async filter(filter: LogFilter): Promise<void> {
    if (filter.type !== undefined) await this.root.getByTestId('audit-filter-type').selectOption(filter.type);
    if (filter.subject !== undefined) await this.root.getByTestId('audit-filter-subject').fill(filter.subject);
    await this.root.getByRole('button', { name: 'Apply' }).click();
  }

  async verify(): Promise<void> {
    await this.root.getByRole('button', { name: 'Verify log' }).click();
  }

  async waitForVerified(entries: number, checkpoints: number, wait: Wait = {}): Promise<void> {
    await expect(this.verification).toContainText(`verified: ${entries} entries, ${checkpoints} checkpoints`, wait);
  }

  async waitForVerificationFailed(wait: Wait = {}): Promise<void> {
    await expect(this.verification).toContainText('does not verify', wait);
  }

  /** The first failure named says this (its reason code, its sentence). */
  async waitForFirstFailure(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.failures.first()).toContainText(says, wait);
  }

  /** `count` failures carry this reason code. */
  async waitForFailureCount(reason: string, count: number, wait: Wait = {}): Promise<void> {
    await expect(this.failures.filter({ hasText: reason })).toHaveCount(count, wait);
  }
}
