/**
 * The console window, with Electron's security checklist applied: isolated context,
 * sandboxed renderer, no Node in the page, no webviews, no navigation and no new windows.
 */
import { BrowserWindow } from 'electron';
import { CONSOLE_ORIGIN } from './console-protocol.js';

export function createConsoleWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Entente',
    backgroundColor: '#0d141b',
    show: false,
    // Written out in full (not spread from a constant) so that reviewers and Electronegativity
    // see every preference where the window is made.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${CONSOLE_ORIGIN}/index.html`);
  return window;
}
