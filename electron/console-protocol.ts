/**
 * The console is loaded from a private `entente://console` scheme rather than file://, so
 * it has a real origin that IPC senders are checked against, and every response carries
 * the content security policy. Only files inside the built renderer are served.
 */
import { protocol } from 'electron';
import { readStaticFile } from '../core/serve/static-files.js';

export const CONSOLE_SCHEME = 'entente';
export const CONSOLE_ORIGIN = `${CONSOLE_SCHEME}://console`;

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerConsoleScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: CONSOLE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

export function serveConsole(rendererDir: string): void {
  protocol.handle(CONSOLE_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'console' || request.method !== 'GET') return new Response('Not found.', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return new Response('Not found.', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': CONSOLE_CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** True only for the top frame of our own console: IPC from anything else is refused. */
export function isConsoleTopFrame(frame: SenderFrame | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${CONSOLE_SCHEME}:` && url.host === 'console';
  } catch {
    return false;
  }
}
