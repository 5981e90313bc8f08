/** The loopback host's WebSocket at /api: who may connect, the contract over it, and what a bad client cannot break. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMessage, startTestHost, type TestHost } from '../test-support/loopback.js';

let t: TestHost;
beforeAll(async () => (t = await startTestHost()));
afterAll(() => t.close());

const browser = () => ({ origin: t.origin, cookie: t.session() });

describe('loopback host over WebSocket', () => {
  it('refuses a socket without the token, or from a foreign Host or Origin', async () => {
    await expect(t.openSocket({ origin: t.origin })).rejects.toThrow(/401/);
    await expect(t.openSocket({ origin: t.origin, cookie: t.session('wrong') })).rejects.toThrow(/401/);
    await expect(t.openSocket({ ...browser(), origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(t.openSocket({ ...browser(), host: `evil.example:${t.host.port}` })).rejects.toThrow(/403/);
    // A browser always states its Origin; only a script presenting the header may leave it out.
    await expect(t.openSocket({ cookie: t.session() })).rejects.toThrow(/403/);
    (await t.openSocket({ 'x-entente-token': t.host.token })).close();
  });

  it('offers no socket anywhere but /api', async () => {
    await expect(t.openSocket(browser(), '/other')).rejects.toThrow(/403/);
  });

  it('answers contract calls, and refuses malformed frames without closing', async () => {
    const ws = await t.openSocket(browser());
    ws.send(JSON.stringify({ id: 1, method: 'getWorkspaceInfo', args: {} }));
    expect(await nextMessage(ws)).toEqual({ id: 1, result: { ok: true, value: t.workspace } });

    const malformed = ['not json', '[]', 'null', '{"id":"x","method":"getAppInfo"}', '{"id":1.5,"method":"getAppInfo"}', Buffer.from('{"id":4,"method":"getAppInfo"}')];
    for (const frame of malformed) {
      ws.send(frame);
      expect(await nextMessage(ws)).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-arguments' } } });
    }
    ws.send('{"id":2,"method":"getAppInfo","args":{"__proto__":{"admin":true}}}');
    expect(await nextMessage(ws)).toMatchObject({ id: 2, result: { ok: false, error: { code: 'invalid-arguments', message: expect.stringContaining('__proto__') } } });
    ws.send(JSON.stringify({ id: 3, method: 'dropAllTables', args: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 3, result: { ok: false, error: { code: 'unknown-method' } } });

    ws.send(JSON.stringify({ id: 4, method: 'getAppInfo' }));
    expect(await nextMessage(ws)).toMatchObject({ id: 4, result: { ok: true, value: { name: 'Entente' } } });
    ws.close();
  });

  it('refuses a frame that repeats a key, naming it, and keeps the socket', async () => {
    const ws = await t.openSocket(browser());
    // JSON.parse would keep the last "method" and call it; the strict reader refuses the frame.
    ws.send('{"id":5,"method":"getAppInfo","method":"getWorkspaceInfo","args":{}}');
    const refused = (await nextMessage(ws)) as { id: unknown; result: { ok: boolean; error: { code: string; message: string } } };
    expect(refused).toMatchObject({ id: 5, result: { ok: false, error: { code: 'invalid-arguments' } } });
    expect(refused.result.error.message).toMatch(/^The message is not usable JSON: .*repeats the key "method"/);
    expect(refused.result.error.message).not.toMatch(/\n/);
    ws.send('{"id":6,"method":"getAppInfo","args":{"x":1,"x":2}}');
    expect(await nextMessage(ws)).toMatchObject({ id: 6, result: { ok: false, error: { code: 'invalid-arguments', message: expect.stringContaining('repeats the key "x"') } } });

    ws.send(JSON.stringify({ id: 7, method: 'getAppInfo', args: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 7, result: { ok: true, value: { name: 'Entente' } } });
    ws.close();
  });

  it('drops a socket that sends an oversized frame, and keeps serving others', async () => {
    const big = await t.openSocket(browser());
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: { pad: 'x'.repeat(2_000_000) } }));
    expect(await closed).toBe(1009);

    const next = await t.openSocket(browser());
    next.send(JSON.stringify({ id: 9, method: 'getAppInfo', args: {} }));
    expect(await nextMessage(next)).toMatchObject({ id: 9, result: { ok: true } });
    next.close();
  });

  it('survives clients that reset the connection while being refused', async () => {
    const upgrade = [`GET /api HTTP/1.1`, `Host: ${t.host.address}:${t.host.port}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', ''].join('\r\n');
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect({ host: t.host.address, port: t.host.port }, () => {
          socket.write(upgrade);
          socket.resetAndDestroy();
          setTimeout(resolve, 2);
        });
        socket.on('error', () => resolve());
      });
    }
    const ws = await t.openSocket(browser());
    ws.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: {} }));
    expect(await nextMessage(ws)).toMatchObject({ id: 1, result: { ok: true } });
    ws.close();
  });
});
