/**
 * A real loopback host for tests: a temp home with the core in a worker thread (as `entente
 * serve` runs it), a tiny stand-in renderer (with a file outside it to steal and a symlink
 * pointing there), and raw HTTP and WebSocket clients that can set Host, Origin and cookies to
 * whatever a hostile page or local process might send.
 */
import { request as httpRequest } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { CoreConnection } from '../api/connection.js';
import { openCore } from '../api/open-core.js';
import { startCoreWorker } from '../api/worker/start-core-worker.js';
import { startLoopbackHost, type LoopbackHost } from '../serve/loopback-host.js';
import type { WorkspaceInfo } from '../workspace/workspace.js';
import { builtCoreWorker } from './built-core-worker.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface TestHost {
  readonly dir: TempDir;
  readonly core: CoreConnection;
  /** The workspace as this thread created it, before the core's worker opened it. */
  readonly workspace: WorkspaceInfo;
  readonly host: LoopbackHost;
  /** http://127.A.B.C:PORT, what a page served by this host sends as its Origin. */
  readonly origin: string;
  /** Starts one more host on the same core and renderer. */
  another(): Promise<LoopbackHost>;
  /** The session cookie a browser holds for this host after trading the launch URL. */
  session(token?: string): string;
  request(path: string, headers?: Record<string, string>, method?: string, body?: Buffer | string): Promise<Reply>;
  openSocket(headers: Record<string, string>, path?: string): Promise<WebSocket>;
  close(): Promise<void>;
}

export const SECRET = 'outside the renderer';
/** The test host's bound on a staged file. */
export const STAGING_TEST_LIMIT = 64 * 1024;

export async function startTestHost(): Promise<TestHost> {
  const dir = makeTempDir();
  mkdirSync(dir.file('renderer'));
  writeFileSync(dir.file('renderer/index.html'), '<!doctype html><html><head><title>Entente</title></head><body></body></html>');
  writeFileSync(dir.file('renderer/app.js'), 'console.log(1)');
  writeFileSync(dir.file('secret.txt'), SECRET);
  symlinkSync(dir.file('secret.txt'), dir.file('renderer/leak.js'));
  writeFileSync(dir.file('bridge.js'), 'window.entente = {};');
  const created = openCore(dir.file('home'));
  const workspace = created.workspace.info();
  created.close();
  const core = await startCoreWorker(dir.file('home'), { workerFile: await builtCoreWorker() });
  // Staging into the home, with a small bound so a test can pass it.
  const options = { core, rendererDir: dir.file('renderer'), bridgeScript: dir.file('bridge.js'), stagingHome: dir.file('home'), maxStagedBytes: STAGING_TEST_LIMIT };
  const host = await startLoopbackHost(options);

  return {
    dir,
    core,
    workspace,
    host,
    origin: `http://${host.address}:${host.port}`,
    another: () => startLoopbackHost(options),
    session: (token = host.token) => `entente_token_${host.port}=${token}`,
    request: (path, headers = {}, method = 'GET', body) =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: host.address, port: host.port, path, method, headers: { host: `${host.address}:${host.port}`, ...headers } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end(body);
      }),
    openSocket: (headers, path = '/api') =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${host.address}:${host.port}${path}`, { headers });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      }),
    close: async () => {
      await host.close();
      await core.close();
      dir.remove();
    },
  };
}

export function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
}
