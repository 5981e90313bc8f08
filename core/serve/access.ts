/**
 * Who may talk to the loopback host: only a browser on this machine that holds the
 * per-launch token, at the per-launch loopback address. Host and Origin headers are checked so
 * that a web page elsewhere cannot reach the host through DNS rebinding or a cross-site
 * request, even if it guessed the address and port.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'entente_token';

/**
 * The session cookie's name for the host on `port`. Cookies are not isolated by port
 * (RFC 6265 §8.5): with one name for all, opening a second console on this machine would
 * overwrite the first one's session.
 */
export function tokenCookieName(port: number): string {
  return `${TOKEN_COOKIE}_${port}`;
}
export const TOKEN_HEADER = 'x-entente-token';

export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A fresh loopback address for each launch, 127.A.B.C with A and C never 0 or 255 (so never
 * the 127.0.0.1 every other local server uses). Cookies are kept per host, not per port
 * (RFC 6265 §8.5): on an address of its own the session cookie goes to no other local server.
 */
export function newLaunchAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${1 + (a! % 254)}.${b!}.${1 + (c! % 254)}`;
}

/** Only the address the host listens on: not `localhost`, which names 127.0.0.1, another host for cookies. */
export function allowedHosts(address: string, port: number): Set<string> {
  return new Set([`${address}:${port}`]);
}

export type AccessRefusal = { status: 403 | 401; reason: 'foreign-host' | 'foreign-origin' | 'missing-token' | 'wrong-token'; message: string };

/** Host must name this loopback listener; Origin, when a browser sends one, must too. */
export function checkHostAndOrigin(request: IncomingMessage, address: string, port: number, requireOrigin: boolean): AccessRefusal | null {
  const hosts = allowedHosts(address, port);
  const host = request.headers.host ?? '';
  if (!hosts.has(host)) {
    return { status: 403, reason: 'foreign-host', message: `Refused: Host "${host.slice(0, 100)}" is not this loopback console.` };
  }
  const origin = request.headers.origin;
  if (origin === undefined) {
    return requireOrigin ? { status: 403, reason: 'foreign-origin', message: 'Refused: a browser connection must state its Origin.' } : null;
  }
  const originHost = origin.startsWith('http://') ? origin.slice('http://'.length) : null;
  if (originHost === null || !hosts.has(originHost)) {
    return { status: 403, reason: 'foreign-origin', message: `Refused: Origin "${origin.slice(0, 100)}" is not this loopback console.` };
  }
  return null;
}

/** The token may come from the launch URL's query, the session cookie, or a header (scripts). */
export function presentedToken(request: IncomingMessage, url: URL, port: number): { token: string | null; fromQuery: boolean } {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) return { token: fromQuery, fromQuery: true };
  const header = request.headers[TOKEN_HEADER];
  if (typeof header === 'string') return { token: header, fromQuery: false };
  return { token: readCookie(request.headers.cookie, tokenCookieName(port)), fromQuery: false };
}

export function checkToken(presented: string | null, expected: string): AccessRefusal | null {
  if (presented === null) {
    return { status: 401, reason: 'missing-token', message: 'Refused: this console needs the per-launch token from the URL that `entente serve` printed.' };
  }
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { status: 401, reason: 'wrong-token', message: 'Refused: the token does not match this launch of the console.' };
  }
  return null;
}

export function sessionCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}
