/** The console as a liaison officer sees it: what is on screen, found by role and test id. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ConsolePage {
  readonly connectionStatus: Locator;
  readonly workspace: Locator;
  readonly meshIdentity: Locator;

  constructor(readonly page: Page) {
    this.connectionStatus = page.getByTestId('connection-status');
    this.workspace = page.getByTestId('workspace-info');
    this.meshIdentity = page.getByTestId('mesh-identity');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.connectionStatus).toContainText('Core connected');
  }

  /** A fact from the workspace card, by its label. */
  workspaceFact(label: string): Locator {
    return this.workspace.locator(`dt:text-is("${label}") + dd`);
  }
}
