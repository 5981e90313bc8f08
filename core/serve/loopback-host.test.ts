/** The loopback host over real HTTP and WebSockets: token, Host and Origin checks, and the contract. */
import { request as httpRequest } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openCore, type Core } from '../app/core.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { startLoopbackHost, type LoopbackHost } from './loopback-host.js';

let dir: TempDir;
let core: Core;
let host: LoopbackHost;

beforeAll(async () => {
  dir = makeTempDir();
  mkdirSync(dir.file('renderer'));
  writeFileSync(dir.file('renderer/index.html'), '<!doctype html><html><head><title>Entente</title></head><body></body></html>');
  writeFileSync(dir.file('renderer/app.js'), 'console.log(1)');
  writeFileSync(dir.file('secret.txt'), 'outside the renderer');
  writeFileSync(dir.file('bridge.js'), 'window.entente = {};');
  core = openCore(dir.file('home'));
  host = await startLoopbackHost({ core, rendererDir: dir.file('renderer'), bridgeScript: dir.file('bridge.js') });
});
afterAll(async () => {
  await host.close();
  core.close();
  dir.remove();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so Host and Origin can be set to anything a hostile page might send. */
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const withToken = (extra: Record<string, string> = {}) => ({ 'x-entente-token': host.token, ...extra });

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
}

describe('loopback host over HTTP', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(43);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { 'x-entente-token': `${host.token}x` })).status).toBe(401);
    expect((await get('/', { cookie: 'entente_token=nope' })).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie', async () => {
    const reply = await get(`/?token=${host.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    expect(String(reply.headers['set-cookie'])).toMatch(/^entente_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
  });

  it('serves the console with the bridge injected and a strict CSP to a holder of the cookie', async () => {
    const reply = await get('/', { cookie: `entente_token=${host.token}` });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<script src="/entente-bridge.js"></script></head>');
    expect(String(reply.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with the token', async () => {
    expect((await get('/', withToken({ host: `evil.example:${host.port}` }))).status).toBe(403);
    expect((await get('/', withToken({ host: '127.0.0.1:1' }))).status).toBe(403);
    expect((await get('/', withToken({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await get('/', withToken({ origin: `http://127.0.0.1:${host.port}` }))).status).toBe(200);
  });

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/app.js/../../secret.txt']) {
      const reply = await get(path, withToken());
      expect(reply.body, path).not.toContain('outside the renderer');
    }
    expect((await get('/app.js', withToken())).status).toBe(200);
  });
});

describe('loopback host over WebSocket', () => {
  const origin = () => `http://127.0.0.1:${host.port}`;

  it('refuses a socket without the token or from a foreign Origin', async () => {
    await expect(openSocket({ origin: origin() })).rejects.toThrow(/401/);
    await expect(openSocket({ origin: 'https://evil.example', cookie: `entente_token=${host.token}` })).rejects.toThrow(/403/);
  });

  it('answers contract calls, and refuses malformed frames without closing', async () => {
    const ws = await openSocket({ origin: origin(), cookie: `entente_token=${host.token}` });
    ws.send(JSON.stringify({ id: 1, method: 'getWorkspaceInfo', args: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 1, result: { ok: true, value: { workspaceId: expect.stringMatching(/^[0-9a-f]{64}$/) } } });

    for (const frame of ['not json', '[]', '{"id":"x","method":"getAppInfo"}']) {
      ws.send(frame);
      expect(await nextMessage(ws)).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-arguments' } } });
    }
    ws.send(JSON.stringify({ id: 2, method: 'getAppInfo', args: { __proto__: 1, extra: true } }));
    expect(await nextMessage(ws)).toMatchObject({ id: 2, result: { ok: false } });

    ws.send(JSON.stringify({ id: 3, method: 'getAppInfo', args: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 3, result: { ok: true } });
    ws.close();
  });

  it('drops a socket that sends an oversized frame, and keeps serving others', async () => {
    const big = await openSocket({ origin: origin(), cookie: `entente_token=${host.token}` });
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: { pad: 'x'.repeat(2_000_000) } }));
    expect(await closed).toBe(1009);

    const next = await openSocket({ origin: origin(), cookie: `entente_token=${host.token}` });
    next.send(JSON.stringify({ id: 9, method: 'getAppInfo', args: {} }));
    expect(await nextMessage(next)).toMatchObject({ id: 9, result: { ok: true } });
    next.close();
  });
});
