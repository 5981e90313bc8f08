/**
 * The Electron shell, run against the stand-in `electron` module: the window's security
 * preferences, the session's refusals, the console scheme, and the contract bound to IPC —
 * every method present, every hostile argument refused with a reason, the process still up.
 */
import { SAVE_EXPORT_CHANNEL, STAGE_BUNDLE_CHANNEL } from '../core/api/channels.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { methodChannel, methodNames, methods } from '../core/api/index.js';
import { findNonPlainData } from '../core/api/plain-data.js';
import { CONSOLE_CSP } from './console-protocol.js';
import { startShellOnTempHome, type StartedShell } from './test/shell-harness.js';
import { CONSOLE_TOP_FRAME, StandInWebContents, app, invokeFromFrame, recorded, type StandInFrame } from './test/stand-in-electron.js';

let shell: StartedShell | undefined;
afterEach(async () => {
  await shell?.stop();
  shell = undefined;
});

interface AnyEnvelope {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

const callFromConsole = (method: string, ...args: unknown[]) =>
  invokeFromFrame(CONSOLE_TOP_FRAME, methodChannel(method as never), ...args) as Promise<AnyEnvelope>;

describe('the console window', () => {
  it('is created with the security checklist applied and loads only the console scheme', async () => {
    shell = await startShellOnTempHome();
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({
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
    });
    expect(window.options.webPreferences?.preload).toBe(`${shell.distDir}/electron/preload.cjs`);
    expect(window.loadedUrls).toEqual(['entente://console/index.html']);
  });

  it('refuses navigation, redirects, webviews and new windows in every web contents', async () => {
    shell = await startShellOnTempHome();
    const contents = recorded.windows[0]!.webContents;
    for (const eventName of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(eventName, { preventDefault: () => (prevented = true) }, 'https://example.com/');
      expect(prevented, eventName).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    // Web contents Electron creates later (devtools, a stray popup) are locked down too.
    const later = new StandInWebContents();
    app.emit('web-contents-created', {}, later);
    expect(later.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission and refuses every request that leaves the console scheme', async () => {
    shell = await startShellOnTempHome();
    const session = recorded.session;
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      session.permissionRequestHandler?.({}, permission, (answer) => granted.push(answer));
    }
    expect(granted).toEqual([false, false, false, false, false]);
    expect(session.permissionCheckHandler?.({}, 'media')).toBe(false);
    expect(session.devicePermissionHandler?.({})).toBe(false);

    const cancelled = (url: string) => {
      let answer: boolean | undefined;
      session.beforeRequest?.({ url }, (response) => (answer = response.cancel));
      return answer;
    };
    expect(cancelled('entente://console/index.html')).toBe(false);
    expect(cancelled('https://example.com/script.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
  });

  it('holds a single-instance lock: a second launch quits without opening the workspace', async () => {
    shell = await startShellOnTempHome({ singleInstanceLock: false });
    expect(recorded.quitCalls).toBe(1);
    expect(recorded.windows).toHaveLength(0);
    expect(recorded.ipcHandlers.size).toBe(0);
  });
});

describe('the console scheme', () => {
  const fetchConsole = (url: string, method = 'GET') => recorded.protocolHandlers.get('entente')!(new Request(url, { method }));

  it('is registered as privileged before ready and serves the built renderer with the CSP', async () => {
    shell = await startShellOnTempHome();
    expect(recorded.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'entente' })]);
    const response = await fetchConsole('entente://console/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await response.text()).toContain('<title>Entente</title>');
  });

  it('serves nothing outside the renderer, from another host, or for other methods', async () => {
    shell = await startShellOnTempHome();
    expect((await fetchConsole('entente://console/../outside.txt')).status).toBe(404);
    expect((await fetchConsole('entente://console/%2e%2e/outside.txt')).status).toBe(404);
    expect((await fetchConsole('entente://other/index.html')).status).toBe(404);
    expect((await fetchConsole('entente://console/index.html', 'POST')).status).toBe(404);
  });

  it('has a CSP that allows no remote content and no inline script', () => {
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('the contract over IPC', () => {
  it('binds exactly one handler per contract method, and the shell\'s staging and export channels, each answering an envelope', async () => {
    shell = await startShellOnTempHome();
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual([...methodNames.map((m) => methodChannel(m)), STAGE_BUNDLE_CHANNEL, SAVE_EXPORT_CHANNEL].sort());
    for (const method of methodNames) {
      const answer = await callFromConsole(method, {});
      expect(typeof answer.ok, method).toBe('boolean');
      // Methods that take no required argument answer; the others say which argument is missing.
      expect(answer.ok || answer.error?.code === 'invalid-arguments', method).toBe(true);
    }
    const info = await callFromConsole('getWorkspaceInfo', {});
    expect(info.value).toMatchObject({ home: shell.home, workspaceId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses calls from any frame but the console top frame', async () => {
    shell = await startShellOnTempHome();
    const strangers: (StandInFrame | null)[] = [
      null,
      { url: 'https://example.com/', parent: null },
      { url: 'file:///tmp/index.html', parent: null },
      { url: 'entente://other/index.html', parent: null },
      { url: 'entente://console/index.html', parent: CONSOLE_TOP_FRAME },
      { url: 'not a url', parent: null },
    ];
    for (const frame of strangers) {
      const answer = (await invokeFromFrame(frame, methodChannel('getAppInfo'), {})) as AnyEnvelope;
      expect(answer, JSON.stringify(frame)).toMatchObject({ ok: false, error: { code: 'refused' } });
    }
  });

  it('refuses a call with more than one argument', async () => {
    shell = await startShellOnTempHome();
    const answer = await callFromConsole('getAppInfo', {}, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });

  // 2,000 payloads for each of ~40 methods through the core's worker: slow on a shared machine.
  it('refuses thousands of hostile argument payloads per method, each with a reason, and stays up', { timeout: 240_000 }, async () => {
    shell = await startShellOnTempHome();
    for (const method of methodNames) {
      await fc.assert(
        fc.asyncProperty(hostileArguments, async (payload) => {
          // The rare random payload that is a valid argument (say {"subject":"x"}) is not hostile.
          fc.pre(!(findNonPlainData(payload) === null && methods[method].args.safeParse(payload).success));
          const answer = await callFromConsole(method, payload);
          expect(answer.ok).toBe(false);
          expect(['invalid-arguments', 'refused']).toContain(answer.error?.code);
          expect(answer.error?.message.length).toBeGreaterThan(10);
        }),
        { numRuns: 2_000 },
      );
      // The main process is still answering.
      expect((await callFromConsole('getAppInfo', {})).ok).toBe(true);
    }
  });
});

/** Arguments a contract method should refuse (the property skips the few that happen to be valid). */
const hostileArguments: fc.Arbitrary<unknown> = fc.oneof(
  // Extra keys, with any JSON value.
  fc.dictionary(fc.string({ minLength: 1, maxLength: 40 }), fc.jsonValue(), { minKeys: 1, maxKeys: 8 }),
  // Prototype-polluting keys, as real own properties (what JSON.parse makes of them).
  fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue())
    .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`) as unknown),
  fc.jsonValue().map((value) => JSON.parse(`{"nested":{"__proto__":{"polluted":${JSON.stringify(value ?? null)}}}}`) as unknown),
  // Huge strings, bare or inside the object.
  fc.constant('x'.repeat(1_100_000)),
  fc.constant({ note: 'y'.repeat(1_100_000) }),
  // Wrong types altogether.
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 6 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, { n: Number.NaN }, { n: Number.NEGATIVE_INFINITY }),
  fc.constantFrom(new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array(4), /regex/, new Error('boom')),
  // Deep nesting, past the boundary's depth limit.
  fc.integer({ min: 33, max: 400 }).map((depth) => {
    let value: unknown = {};
    for (let i = 0; i < depth; i++) value = { inner: value };
    return value;
  }),
  // Anything else fast-check can think of, except the one valid argument (an empty object).
  fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true }).filter(
    (value) => value !== undefined && !isEmptyObject(value),
  ),
);

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Reflect.ownKeys(value).length === 0 && isPlainOrNull(value);
}

function isPlainOrNull(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
