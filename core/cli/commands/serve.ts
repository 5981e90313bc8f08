/** `entente serve`: the console and the contract on a loopback address of its own, behind a per-launch token. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoopbackHost } from '../../serve/loopback-host.js';
import type { Command } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { openInBrowser } from '../open-browser.js';
import { startCoreWorkerForCli } from '../open-core.js';
import { printResult } from '../output.js';

/** Where the build puts the console and the bridge, relative to the bundled CLI (dist/cli/). */
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const BRIDGE_SCRIPT = fileURLToPath(new URL('../bridge/entente-bridge.js', import.meta.url));
/** The core runs in a worker thread, so a long call never stalls the host's other sockets. */
const CORE_WORKER = fileURLToPath(new URL('../core/core-worker.cjs', import.meta.url));

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the console on a fresh loopback address (for browsers, tests and headless agents).',
  usage: 'entente serve [--home DIR] [--port N] [--open] [--json]',
  options: { port: { type: 'string' }, open: { type: 'boolean' } },
  run: async ({ home, json, values, io }) => {
    const port = parsePort(values.port);
    const core = await startCoreWorkerForCli(home, io.env.ENTENTE_CORE_WORKER ?? CORE_WORKER);
    const workspaceHome = resolve(home);
    try {
      const host = await startLoopbackHost({
        core,
        port,
        rendererDir: io.env.ENTENTE_RENDERER_DIR ?? RENDERER_DIR,
        bridgeScript: io.env.ENTENTE_BRIDGE_SCRIPT ?? BRIDGE_SCRIPT,
        stagingHome: workspaceHome,
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
          throw Refusal.one('port-unavailable', `Port ${port} on the loopback address cannot be used (${error.code}); choose another with --port.`);
        }
        if (error.code === 'ENOENT') throw Refusal.one('console-not-built', 'The console is not built: run `npm run build` first.');
        throw error;
      });
      const opened = values.open === true && openInBrowser(host.url, io.env);
      // Said, not hidden: on 127.0.0.1 the session cookie reaches every other local web server.
      const shared = host.sharedAddress ? 'Warning: this system routes only 127.0.0.1, so other local web servers your browser visits receive this console\'s session cookie.\n' : '';
      printResult(io, json, {
        json: { url: host.url, address: host.address, port: host.port, home: workspaceHome, sharedAddress: host.sharedAddress },
        text: `Entente console for ${workspaceHome}\n${host.url}\n${shared}${opened ? 'Opened in your browser. ' : ''}Press Ctrl+C to stop.`,
      });
      await io.untilStopped();
      await host.close();
    } finally {
      await core.close();
    }
    return null;
  },
};

function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port), not "${String(value)}".`);
  }
  return port;
}
