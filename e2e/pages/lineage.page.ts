/** The lineage graph: its canvas (how many nodes, how long the last layout took), the controls, the detail pane. */
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

interface CanvasElement {
  getBoundingClientRect(): { left: number; top: number };
  _cyreg?: { cy?: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } };
}

export class LineageGraphPage {
  readonly canvas: Locator;
  readonly summary: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId('lineage-canvas');
    this.summary = page.getByTestId('lineage-summary');
    this.detail = page.getByTestId('lineage-detail');
  }

  /** Opens the console at `url` (the one `entente serve` printed) on the graph of `id`. */
  async open(url: string, id: string): Promise<void> {
    await this.page.goto(`${url}#/lineage/${id}`);
  }

  /** Waits until at least `layouts` layouts have finished with `nodes` nodes drawn; answers the last layout's milliseconds. */
  async waitForLaidOut(nodes: number, layouts = 1, wait: Wait = {}): Promise<number> {
    await expect(this.canvas).toHaveAttribute('data-nodes', String(nodes), wait);
    await expect.poll(async () => Number(await this.canvas.getAttribute('data-layouts')), wait).toBeGreaterThanOrEqual(layouts);
    return Number(await this.canvas.getAttribute('data-layout-ms'));
  }

  async nodeCount(): Promise<number> {
    return Number(await this.canvas.getAttribute('data-nodes'));
  }

  async layouts(): Promise<number> {
    return Number(await this.canvas.getAttribute('data-layouts'));
  }

  /** Clicks a node where Cytoscape drew it (read from the instance Cytoscape registers on its container), as the officer would; the detail pane follows. */
  async select(id: string): Promise<void> {
    const point = await this.page.evaluate((nodeId) => {
      // Runs in the page; the e2e project has no DOM types, so the few members used are named here.
      const page = globalThis as unknown as { document: { querySelector(selector: string): CanvasElement } };
      const container = page.document.querySelector('[data-testid="lineage-canvas"]');
      const cy = container._cyreg?.cy;
      if (!cy) return null;
      const at = cy.getElementById(nodeId).renderedPosition();
      const box = container.getBoundingClientRect();
      return { x: box.left + at.x, y: box.top + at.y };
    }, id);
    if (!point) throw new Error('The lineage canvas has no Cytoscape instance.');
    await this.page.mouse.click(point.x, point.y);
    await expect(this.detail).toContainText(id.includes(':') ? id.slice(id.indexOf(':') + 1) : id);
  }

  async setSteps(steps: number): Promise<void> {
    await this.page.getByTestId('lineage-depth').fill(String(steps));
  }

  async exportPng(): Promise<Download> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId('lineage-export-png').click();
    return downloading;
  }

  async exportSvg(): Promise<Download> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId('lineage-export-svg').click();
    return downloading;
  }
}
