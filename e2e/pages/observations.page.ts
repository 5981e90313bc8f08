/**
 * The observations card: the table (rows, "N stored"), selecting a row, and the detail pane
 * with the observation's lineage and links to its sources.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class ObservationDetail {
  readonly root: Locator;
  readonly lineage: Locator;
  readonly sources: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('observation-detail');
    this.lineage = this.root.getByTestId('lineage');
    this.sources = this.root.getByTestId('lineage-source');
  }

  /** The pane shows this observation (its full id). */
  async waitForObservation(id: string, wait: Wait = {}): Promise<void> {
    await expect(this.root).toContainText(id, wait);
  }

  /** The lineage says this ("fuse-tracks 1.0", "original observation"…). */
  async waitForLineage(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.lineage).toContainText(says, wait);
  }

  async waitForSourceCount(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.sources).toHaveCount(count, wait);
  }

  /** Follows the link to the source whose id starts with `idPrefix`. */
  async openSource(idPrefix: string): Promise<void> {
    await this.sources.filter({ hasText: idPrefix }).getByRole('button').click();
  }
}

export class ObservationsCard {
  readonly root: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly detail: ObservationDetail;

  constructor(page: Page) {
    this.root = page.getByTestId('observations');
    this.rows = page.getByTestId('observation-row');
    this.total = page.getByTestId('observations-total');
    this.detail = new ObservationDetail(page);
  }

  /** Rows are newest first: row(0) is the latest observation. */
  row(index: number): Locator {
    return this.rows.nth(index);
  }

  /** The card counts `count` stored observations and shows as many rows (one page of them). */
  async waitForObservationCount(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.total).toHaveText(`${count} stored`, wait);
    await expect(this.rows).toHaveCount(count, wait);
  }

  async waitForRow(index: number, shows: string, wait: Wait = {}): Promise<void> {
    await expect(this.row(index)).toContainText(shows, wait);
  }

  /** As many rows carry the "verified" badge. */
  async waitForVerifiedCount(count: number, wait: Wait = {}): Promise<void> {
    await expect(this.rows.filter({ hasText: 'verified' })).toHaveCount(count, wait);
  }

  async select(index: number): Promise<ObservationDetail> {
    await this.row(index).click();
    return this.detail;
  }
}
