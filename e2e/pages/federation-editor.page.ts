/**
 * The federation editor as an officer uses it: start a draft with partners, type into a field and
 * read the core's reason beside it, read the preview and the diff, sign with the passphrase.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Wait } from './wait.js';

export class FederationEditor {
  readonly root: Locator;
  readonly state: Locator;
  readonly preview: Locator;
  /** The "Preview effect" panel: the draft judged against this mesh's history. */
  readonly effect: Locator;
  readonly passphrase: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('federation-editor');
    this.state = this.root.getByTestId('draft-state');
    this.preview = this.root.getByTestId('draft-preview');
    this.effect = this.root.getByTestId('effect-preview');
    this.passphrase = page.getByTestId('passphrase-dialog');
  }

  /** New federation… with these known partners ticked. */
  async startNew(partners: readonly string[]): Promise<void> {
    await this.page.getByTestId('new-federation').click();
    const dialog = this.page.getByTestId('new-federation-dialog');
    for (const mesh of partners) await dialog.getByTestId(`partner-${mesh}`).check();
    await dialog.getByTestId('start-draft').click();
    await expect(this.root).toBeVisible();
  }

  /** The control of the field at this path of the declaration (`purpose`, `scope.0.classes`). */
  field(path: string): Locator {
    return this.root.locator(`[data-path="${path}"]`);
  }

  async fill(path: string, value: string): Promise<void> {
    await this.field(path).fill(value);
  }

  /** The core's reason shows beside the field. */
  async waitForIssue(path: string, says: string | RegExp, wait: Wait = {}): Promise<void> {
    await expect(this.root.getByTestId(`issue-${path}`)).toContainText(says, wait);
    await expect(this.field(path)).toHaveAttribute('aria-invalid', 'true', wait);
  }

  async waitForNoIssue(path: string, wait: Wait = {}): Promise<void> {
    await expect(this.root.getByTestId(`issue-${path}`)).toHaveCount(0, wait);
  }

  async waitForState(says: string, wait: Wait = {}): Promise<void> {
    await expect(this.state).toHaveText(says, wait);
  }

  async tab(name: 'form' | 'raw' | 'diff'): Promise<void> {
    await this.root.getByTestId(`tab-${name}`).click();
  }

  /** Sign and propose…, then the passphrase; resolves once the dialog answered (closed, or a refusal shown). */
  async signAndPropose(passphrase: string): Promise<void> {
    await this.root.getByTestId('sign-and-propose').click();
    await signInDialog(this.page, passphrase);
  }
}

/** Types the passphrase into the open dialog and submits it. */
export async function signInDialog(page: Page, passphrase: string): Promise<void> {
  const dialog = page.getByTestId('passphrase-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('passphrase-input').fill(passphrase);
  await dialog.getByTestId('passphrase-submit').click();
}
