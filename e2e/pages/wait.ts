/** How long a page object's `waitFor…` may wait; unset, Playwright's own expect timeout applies. */
export interface Wait {
  readonly timeout?: number;
}
