/**
 * Process-wide defences that do not depend on one window: every permission request and
 * check denied, navigation and new windows refused in every web contents, webviews never
 * attached. The console needs none of these, so the answer is always no.
 */
import { app, session, type WebContents } from 'electron';

export function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Nothing remote is ever loaded: refuse any request that leaves our own scheme.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith('entente://') || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
}

export function lockDownWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function lockDownEveryWebContents(): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
}
