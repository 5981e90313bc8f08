/** The loopback host over real HTTP: where it listens, the token, Host and Origin checks, what it serves. */
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, STAGING_TEST_LIMIT, startTestHost, type TestHost } from '../test-support/loopback.js';
import { stagedBundlePath } from '../workspace/staging.js';
import { newExportId, writeExport } from '../workspace/exports.js';
import { EXPORTS_PATH } from '../api/channels.js';
import { STAGING_PATH } from './loopback-host.js';

let t: TestHost;
beforeAll(async () => (t = await startTestHost()));
afterAll(() => t.close());

const withToken = (extra: Record<string, string> = {}) => ({ 'x-entente-token': t.host.token, ...extra });

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

describe('loopback host over HTTP', () => {
  it('prints a URL carrying a fresh 256-bit token', () => {
    expect(t.host.url).toBe(`http://${t.host.address}:${t.host.port}/?token=${t.host.token}`);
    expect(t.host.token).toMatch(/^[\w-]{43}$/);
  });

  it.skipIf(externalAddress === undefined)('listens on its loopback address only, not on the network', async () => {
    expect(await accepts(t.host.address, t.host.port)).toBe(true);
    expect(await accepts(externalAddress!, t.host.port)).toBe(false);
  });

  it('listens on a fresh loopback address of its own, not the 127.0.0.1 other servers share', async () => {
    const second = await t.another();
    try {
      for (const launched of [t.host, second]) {
        expect(launched.address).toMatch(/^127\.\d+\.\d+\.\d+$/);
        expect(launched.address).not.toBe('127.0.0.1');
        expect(launched.sharedAddress).toBe(false);
        expect(await accepts('127.0.0.1', launched.port)).toBe(false);
      }
      expect(second.address).not.toBe(t.host.address);
    } finally {
      await second.close();
    }
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await t.request('/')).status).toBe(401);
    expect((await t.request('/?token=wrong')).status).toBe(401);
    expect((await t.request('/', { 'x-entente-token': `${t.host.token}x` })).status).toBe(401);
    expect((await t.request('/', { cookie: t.session('nope') })).status).toBe(401);
  });

  it('refuses with the security headers and without the page', async () => {
    for (const reply of [await t.request('/'), await t.request('/', withToken({ host: `evil.example:${t.host.port}` }))]) {
      expect(reply.body).not.toContain('<html');
      expect(String(reply.headers['content-security-policy'])).toContain("default-src 'none'");
      expect(reply.headers['cache-control']).toBe('no-store');
    }
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie', async () => {
    const reply = await t.request(`/?token=${t.host.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    expect(String(reply.headers['set-cookie'])).toBe(`${t.session()}; HttpOnly; SameSite=Strict; Path=/`);
    // The token leaves the address bar wherever it was presented.
    expect((await t.request(`/app.js?token=${t.host.token}`)).headers.location).toBe('/app.js');
  });

  it('keeps the session of each console when two run at once', async () => {
    // A browser keeps one cookie per name and host, whatever the port (RFC 6265 §8.5).
    const second = await t.another();
    try {
      const jar = new Map<string, string>();
      for (const launched of [t.host, second]) {
        const traded = await fetch(launched.url, { redirect: 'manual' });
        const [name, value] = traded.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
        jar.set(name, value);
      }
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      for (const launched of [t.host, second]) expect((await fetch(`http://${launched.address}:${launched.port}/`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('serves the console with the bridge injected and a strict CSP to a holder of the cookie', async () => {
    const reply = await t.request('/', { cookie: t.session() });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<script src="/entente-bridge.js"></script></head>');
    expect(String(reply.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect((await t.request('/entente-bridge.js', { cookie: t.session() })).body).toBe('window.entente = {};');
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with the token', async () => {
    expect((await t.request('/', withToken({ host: `evil.example:${t.host.port}` }))).status).toBe(403);
    expect((await t.request(`/?token=${t.host.token}`, { host: `evil.example:${t.host.port}` })).status).toBe(403);
    expect((await t.request('/', withToken({ host: '127.0.0.1:1' }))).status).toBe(403);
    // 127.0.0.1 and localhost name another host for cookies: a page there is not this console.
    expect((await t.request('/', withToken({ host: `127.0.0.1:${t.host.port}` }))).status).toBe(403);
    expect((await t.request('/', withToken({ host: `localhost:${t.host.port}` }))).status).toBe(403);
    expect((await t.request('/', withToken({ origin: `http://127.0.0.1:${t.host.port}` }))).status).toBe(403);
    expect((await t.request('/', withToken({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await t.request('/', withToken({ origin: 'null' }))).status).toBe(403);
    expect((await t.request('/', withToken({ origin: t.origin }))).status).toBe(200);
  });

  it('serves GET only', async () => {
    expect((await t.request('/', withToken(), 'POST')).status).toBe(405);
    expect((await t.request('/', withToken(), 'DELETE')).status).toBe(405);
    expect((await t.request('/', {}, 'POST')).status).toBe(401);
  });

  it('serves nothing outside the built renderer', async () => {
    const escapes = ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/app.js/../../secret.txt', '/leak.js'];
    for (const path of escapes) {
      const reply = await t.request(path, withToken());
      expect(reply.body, path).not.toContain(SECRET);
      expect(reply.status, path).toBe(404);
    }
    expect((await t.request('/app.js', withToken())).status).toBe(200);
  });
});

describe('loopback host staging a dropped bundle', () => {
  const post = (body: Buffer | string, headers: Record<string, string> = {}) => t.request(STAGING_PATH, { origin: t.origin, 'content-type': 'application/octet-stream', ...withToken(), ...headers }, 'POST', body);

  it('writes the bytes into the workspace’s staging/ under a fresh id, and nowhere else', async () => {
    const reply = await post('{"manifest":1}\n');
    expect(reply.status).toBe(200);
    const { staged, bytes } = JSON.parse(reply.body) as { staged: string; bytes: number };
    expect(staged).toMatch(/^[0-9a-f]{32}$/);
    expect(bytes).toBe(15);
    expect(readFileSync(stagedBundlePath(t.dir.file('home'), staged), 'utf8')).toBe('{"manifest":1}\n');
    const again = JSON.parse((await post('x')).body) as { staged: string };
    expect(again.staged).not.toBe(staged);
  });

  it('refuses a post without the token, from another origin or without one, and any other method', async () => {
    const before = readdirSync(t.dir.file('home/staging')).length;
    expect((await t.request(STAGING_PATH, { origin: t.origin }, 'POST', 'x')).status).toBe(401);
    expect((await post('x', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await t.request(STAGING_PATH, withToken(), 'POST', 'x')).status).toBe(403);
    expect((await t.request(STAGING_PATH, { origin: t.origin, ...withToken() }, 'GET')).status).toBe(405);
    expect((await t.request(STAGING_PATH, { origin: t.origin, ...withToken() }, 'PUT', 'x')).status).toBe(405);
    expect(readdirSync(t.dir.file('home/staging')).length).toBe(before);
  });

  it('refuses an empty file and one over the bound, stated or streamed, leaving nothing behind', async () => {
    const before = readdirSync(t.dir.file('home/staging')).length;
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body)).toMatchObject({ reason: 'empty' });
    const large = await post(Buffer.alloc(STAGING_TEST_LIMIT + 1, 0x61));
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body)).toMatchObject({ reason: 'too-large', message: expect.stringMatching(/larger than 65,536 bytes/) });
    // Chunked, with no length stated: cut off once the count passes the bound.
    const streamed = await post(Buffer.alloc(STAGING_TEST_LIMIT * 2, 0x62), { 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(readdirSync(t.dir.file('home/staging')).length).toBe(before);
  });
});

describe('downloading a prepared export', () => {
  it('hands out the file as an attachment to a holder of the token, named by its id and kind alone', async () => {
    const id = newExportId();
    writeExport(t.dir.file('home'), id, [{ kind: 'html', text: '<!doctype html><p>after-action</p>' }]);
    const path = `${EXPORTS_PATH}/${id}/html?name=${encodeURIComponent('after-action-DEU.html')}`;
    const got = await t.request(path, { cookie: t.session() });
    expect(got.status).toBe(200);
    expect(got.body).toBe('<!doctype html><p>after-action</p>');
    // Saved, never rendered in the console's origin; the suggested name cleaned of anything but a file name's characters.
    expect(got.headers['content-disposition']).toBe('attachment; filename="after-action-DEU.html"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const odd = await t.request(`${EXPORTS_PATH}/${id}/html?name=${encodeURIComponent('../"x\r\ny.html')}`, { cookie: t.session() });
    expect(odd.headers['content-disposition']).toBe('attachment; filename="__x__y.html"');
  });

  it('refuses without the token, and finds nothing but a prepared export', async () => {
    const id = newExportId();
    writeExport(t.dir.file('home'), id, [{ kind: 'bundle', text: '{}' }]);
    expect((await t.request(`${EXPORTS_PATH}/${id}/bundle`)).status).toBe(401);
    for (const path of [`${EXPORTS_PATH}/${id}/html`, `${EXPORTS_PATH}/${id}/exe`, `${EXPORTS_PATH}/${'0'.repeat(32)}/bundle`, `${EXPORTS_PATH}/..%2F..%2Fentente.db/bundle`, `${EXPORTS_PATH}/${id}/bundle/x`, `${EXPORTS_PATH}/${id.toUpperCase()}/bundle`]) {
      expect((await t.request(path, { cookie: t.session() })).status, path).toBe(404);
    }
  });
});
