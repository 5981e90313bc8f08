/**
 * The loopback host (`entente serve`): the built console and the contract over a WebSocket,
 * on a loopback address of its own (127.A.B.C, fresh each launch), behind a per-launch secret
 * token. It exists so the console runs where
 * Electron's runtime cannot be installed, so end-to-end tests drive the real UI in
 * Chromium, and so a headless boundary agent can be inspected from a browser.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CoreConnection } from '../api/connection.js';
import { EXPORTS_PATH, STAGING_PATH, safeFileName } from '../api/channels.js';
import { fail } from '../api/envelope.js';
import { JsonError, readStrictJson } from '../canonical/strict-json.js';
import { checkHostAndOrigin, checkToken, newLaunchAddress, newLaunchToken, presentedToken, sessionCookie, type AccessRefusal } from './access.js';
import { securityHeaders } from './security-headers.js';
import { readStaticFile } from './static-files.js';
import { MAX_STAGED_BUNDLE_BYTES, StagingRefused, stageBundle } from '../workspace/staging.js';
import { exportFile, isExportKind } from '../workspace/exports.js';

export interface LoopbackHostOptions {
  /** The core as the shells hold it: `entente serve` runs it in a worker thread of its process. */
  readonly core: CoreConnection;
  /** Directory of the built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** The browser bridge script that provides `window.entente` over the WebSocket. */
  readonly bridgeScript: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** For tests: a fixed token instead of a fresh random one. */
  readonly token?: string;
  /** For tests: a fixed loopback address instead of a fresh 127.A.B.C. */
  readonly address?: string;
  /** The workspace home whose staging/ a dropped bundle is written to (core/workspace/staging.ts), and whose exports/ are downloaded from; without it, neither. */
  readonly stagingHome?: string;
  /** The largest file the staging endpoint takes (default MAX_STAGED_BUNDLE_BYTES). */
  readonly maxStagedBytes?: number;
}

export interface LoopbackHost {
  readonly url: string;
  /** The loopback address it listens on: 127.A.B.C, or 127.0.0.1 where only that one is routed. */
  readonly address: string;
  /** True when it fell back to 127.0.0.1, whose cookies every other local server receives. */
  readonly sharedAddress: boolean;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const BRIDGE_PATH = '/entente-bridge.js';
export const API_PATH = '/api';
/** POST a dropped bundle's bytes here; the answer names the staged id to import through the contract. */
export { STAGING_PATH };
/** A single contract call never needs more; larger frames are refused by the socket itself. */
const MAX_FRAME_BYTES = 1_048_576;

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = options.token ?? newLaunchToken();
  const bridge = await readFile(options.bridgeScript);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server = createServer((request, response) => {
    handleHttp(request, response).catch(() => respond(response, 500, 'Internal error.'));
  });
  let port = 0;
  let address = options.address ?? newLaunchAddress();

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://loopback');
    const refusal = checkHostAndOrigin(request, address, port, false) ?? tokenRefusal(request, url);
    if (refusal) return respond(response, refusal.status, refusal.message);
    if (url.pathname === STAGING_PATH) return stage(request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(response, 405, 'Only GET is served.');

    if (url.pathname.startsWith(`${EXPORTS_PATH}/`)) return sendExport(url, response);
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      response.writeHead(303, { ...securityHeaders(address, port), 'Set-Cookie': sessionCookie(token, port), Location: url.pathname });
      return void response.end();
    }
    if (url.pathname === BRIDGE_PATH) return send(response, bridge, 'text/javascript; charset=utf-8');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const index = await readStaticFile(options.rendererDir, '/index.html');
      if (!index) return respond(response, 500, 'The console is not built: run `npm run build`.');
      return send(response, injectBridge(index.body.toString('utf8')), index.contentType);
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) return respond(response, 404, 'Not found.');
    send(response, file.body, file.contentType);
  }

  /**
   * A dropped bundle, streamed to the workspace's staging/ (the renderer never touches the file
   * system: the browser hands the host the bytes the officer dropped). Only a POST from this
   * console's own page: the token was checked, and here the Origin must be present too, so no
   * other site's form can post (a cross-site form always states its Origin).
   */
  async function stage(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return respond(response, 405, 'Only POST stages a bundle.');
    const originRefusal = checkHostAndOrigin(request, address, port, true);
    if (originRefusal) return respond(response, originRefusal.status, originRefusal.message);
    if (!options.stagingHome) return respond(response, 404, 'This host stages no files.');
    const max = options.maxStagedBytes ?? MAX_STAGED_BUNDLE_BYTES;
    const declared = Number(request.headers['content-length']);
    // Refused before a byte is read when the size is stated; counted as it streams otherwise.
    if (Number.isFinite(declared) && declared > max) return respondJson(response, 413, { reason: 'too-large', message: `The file is larger than ${max.toLocaleString('en')} bytes, the most a dropped bundle may be.` });
    try {
      respondJson(response, 200, await stageBundle(options.stagingHome, request, max));
    } catch (error) {
      if (!(error instanceof StagingRefused)) throw error;
      // Stop reading what is left of an oversized body; the answer still goes out.
      request.unpipe();
      request.resume();
      respondJson(response, error.reason === 'too-large' ? 413 : 400, { reason: error.reason, message: error.message }, true);
    }
  }

  /**
   * A prepared export (core/workspace/exports.ts), downloaded by the officer: named by its id and
   * kind only, behind the token like every request, always as an attachment — an HTML report is
   * saved, never rendered in the console's origin.
   */
  function sendExport(url: URL, response: ServerResponse): void {
    const [id, kind, ...rest] = url.pathname.slice(EXPORTS_PATH.length + 1).split('/');
    const home = options.stagingHome;
    const file = home && id !== undefined && rest.length === 0 && isExportKind(kind) ? exportFile(home, id, kind) : null;
    if (!file) return respond(response, 404, 'No such export: prepare it again from the console.');
    const name = safeFileName(url.searchParams.get('name') ?? '', `entente-export-${id}`);
    response.writeHead(200, {
      ...securityHeaders(address, port),
      'Content-Type': file.contentType,
      'Content-Length': String(file.bytes),
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    createReadStream(file.path).on('error', () => response.destroy()).pipe(response);
  }

  function respondJson(response: ServerResponse, status: number, body: unknown, close = false): void {
    response.writeHead(status, { ...securityHeaders(address, port), 'Content-Type': 'application/json; charset=utf-8', ...(close ? { Connection: 'close' } : {}) });
    response.end(JSON.stringify(body));
  }

  function tokenRefusal(request: IncomingMessage, url: URL): AccessRefusal | null {
    return checkToken(presentedToken(request, url, port).token, token);
  }

  function send(response: ServerResponse, body: Buffer | string, contentType: string): void {
    response.writeHead(200, { ...securityHeaders(address, port), 'Content-Type': contentType });
    response.end(body);
  }

  function respond(response: ServerResponse, status: number, message: string): void {
    if (response.headersSent) return void response.destroy();
    response.writeHead(status, { ...securityHeaders(address, port), 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${message}\n`);
  }

  server.on('upgrade', (request, socket, head) => {
    // Node hands an upgrading socket over without its error listener: a client that resets
    // the connection while being refused would otherwise crash the host (ECONNRESET).
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://loopback');
    // A browser always sends Origin on a WebSocket; a script authenticating by header may not.
    const byHeader = typeof request.headers['x-entente-token'] === 'string';
    const refusal =
      (url.pathname === API_PATH ? null : ({ status: 403, reason: 'foreign-host', message: 'Refused: no such endpoint.' } as const)) ??
      checkHostAndOrigin(request, address, port, !byHeader) ??
      tokenRefusal(request, url);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.message}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, options.core));
  });

  const listen = (on: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, on, () => resolve());
    });
  try {
    await listen(address);
  } catch (error) {
    // macOS routes only 127.0.0.1 unless told otherwise: there the host still runs, and says so.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL' || options.address !== undefined) throw error;
    address = '127.0.0.1';
    await listen(address);
  }
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${address}:${port}/?token=${token}`,
    address,
    sharedAddress: address === '127.0.0.1',
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Adds the bridge before the app's own module script, so `window.entente` exists first. */
function injectBridge(html: string): string {
  const tag = `<script src="${BRIDGE_PATH}"></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : tag + html;
}

/** One socket: requests `{id, method, args}` answered `{id, result}`; events pushed `{event, payload}`. */
function serveContract(ws: WebSocket, core: CoreConnection): void {
  const unsubscribe = core.subscribe((event, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
  });
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    void (async () => {
      const request = isBinary ? NOT_A_REQUEST : readRequest(data.toString());
      if ('refused' in request) {
        ws.send(JSON.stringify({ id: request.id, result: fail('invalid-arguments', request.refused) }));
        return;
      }
      const result = await core.call(request.method, request.args);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, result }));
    })();
  });
}

type FrameReading = { readonly id: number; readonly method: unknown; readonly args: unknown } | { readonly id: number | null; readonly refused: string };

const NOT_A_REQUEST = { id: null, refused: 'The message is not a contract request {id, method, args}.' } as const;

/**
 * Reads a frame with the strict reader, as the CLI reads its files: with a repeated key
 * JSON.parse keeps the last value, so the core could act on other arguments than the ones a
 * check in between saw.
 */
function readRequest(text: string): FrameReading {
  let message: unknown;
  try {
    message = readStrictJson(text, { maxBytes: MAX_FRAME_BYTES });
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    return { id: leadingId(text), refused: `The message is not usable JSON: ${error.message}` };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return NOT_A_REQUEST;
  const { id, method, args } = message as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return NOT_A_REQUEST;
  return { id, method, args };
}

/**
 * The id of a frame that could not be read, so the caller waiting on it hears the refusal. The
 * bridge writes the id first; only that exact prefix is trusted, and a refusal is all it addresses.
 */
function leadingId(text: string): number | null {
  const match = /^\{"id":(\d{1,15})[,}]/.exec(text);
  return match ? Number(match[1]) : null;
}
