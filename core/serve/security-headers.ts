/**
 * Response headers for everything the loopback host serves: the same strict content
 * policy the Electron window enforces, plus framing, sniffing and referrer protection.
 */

export function contentSecurityPolicy(address: string, port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The WebSocket carries the contract; the page's own origin takes a dropped bundle (POST /staging).
    `connect-src ws://${address}:${port} http://${address}:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(address: string, port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(address, port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
