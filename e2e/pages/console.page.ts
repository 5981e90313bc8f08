/**
 * The console as a liaison officer sees it: the frame (its connection to the core) and one
 * page object per view. Every `waitFor…` is Playwright's auto-waiting expect, never a sleep.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { AuditLogCard } from './audit-log.page.js';
import { FederationsCard } from './federations.page.js';
import { MeshIdentityCard } from './mesh-identity.page.js';
import { ObservationsCard } from './observations.page.js';
import { PrincipalsCard } from './principals.page.js';
import type { Wait } from './wait.js';
import { WorkspaceCard } from './workspace.page.js';

export class ConsolePage {
  readonly connectionStatus: Locator;
  readonly workspace: WorkspaceCard;
  readonly meshIdentity: MeshIdentityCard;
  readonly principals: PrincipalsCard;
  readonly observations: ObservationsCard;
  readonly federations: FederationsCard;
  readonly auditLog: AuditLogCard;

  constructor(readonly page: Page) {
    this.connectionStatus = page.getByTestId('connection-status');
    this.workspace = new WorkspaceCard(page);
    this.meshIdentity = new MeshIdentityCard(page);
    this.principals = new PrincipalsCard(page);
    this.observations = new ObservationsCard(page);
    this.federations = new FederationsCard(page);
    this.auditLog = new AuditLogCard(page);
  }

  /** Goes to a view by its rail link, and waits until the view is shown. */
  async go(view: string): Promise<void> {
    await this.page.getByTestId(`rail-${view}`).click();
    await this.waitForView(view);
  }

  async waitForView(view: string, wait: Wait = {}): Promise<void> {
    await expect(this.page.getByTestId(`view-${view}`)).toBeVisible(wait);
    await expect(this.page.getByTestId(`rail-${view}`)).toHaveAttribute('aria-current', 'page', wait);
  }

  async waitForUnreachable(wait: Wait = {}): Promise<void> {
    await expect(this.connectionStatus).toContainText('Core unreachable', wait);
  }

  /** Opens the console at `url` and waits until it says the core is connected. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForConnected();
  }

  async waitForConnected(wait: Wait = {}): Promise<void> {
    await expect(this.connectionStatus).toContainText('Core connected', wait);
  }

  /** Nothing of the console was served (a refused request): not even its header. */
  async waitForNotServed(wait: Wait = {}): Promise<void> {
    await expect(this.connectionStatus).toHaveCount(0, wait);
  }
}
