/**
 * `entente agent serve|sync|status|disconnect|connect`: live links between boundary agents
 * (docs/decisions/0006-live-links.md) — listening for partners' agents on 127.0.0.1, one sync
 * (or a watch that re-syncs) with a partner's agent, the links' state, and an operator's
 * disconnection.
 */
import type { LinkView, SyncReport, WatchEvent } from '../../app/links/service.js';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../failures.js';
import { printResult } from '../output.js';
import { refusing, withMesh } from './shared.js';

function optional(values: CommandContext['values'], name: string, what: string, pattern: RegExp): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw new UsageError(`--${name} needs ${what}.`);
  return value;
}
const federationOf = (values: CommandContext['values']) => optional(values, 'federation', 'a federation id: 3–64 lowercase letters, digits and hyphens', /^[a-z0-9][a-z0-9-]{2,63}$/);
const agentOf = (values: CommandContext['values']) => optional(values, 'agent', 'a boundary agent id', /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

function portOf(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port needs a number from 0 to 65535 (0 picks a free port), not "${String(value ?? '').slice(0, 16)}".`);
  return Number(value);
}

function syncLine(r: SyncReport): string {
  const counts = r.counts;
  return [
    `${r.converged ? 'Converged' : 'Not converged'} with ${r.partner} under ${r.federation} v${r.version}: ${r.count} item(s) here, ${r.peerCount} there, digest ${r.digest}${r.converged ? '' : ` / ${r.peerDigest}`}`,
    `sent ${r.sent} (admitted there ${r.peerCounts.admitted + r.peerCounts.tainted}), received ${r.received}: admitted ${counts.admitted + counts.tainted}, duplicate ${counts.duplicate}, refused ${counts.rejected}, quarantined ${counts.quarantined}`,
    `${r.rounds} round(s), ${r.bytes.out} bytes out, ${r.bytes.in} in${r.roundTripMs === null ? '' : `, round trip ${r.roundTripMs} ms`}${r.converged ? '' : `; left: ${r.missingHere} here, ${r.missingThere} there`}`,
  ].join('\n');
}

/** How often, at most, the text output sums up the idle rounds it kept quiet about. */
export const IDLE_SUMMARY_MS = 60_000;

/**
 * The idle rounds a long-running command's text output does not print one by one (they are the
 * link's heartbeat, every couple of seconds): counted per partner and summed up in one line at
 * most once a minute, and once more on exit for what is left. `now` is the process's clock in ms.
 */
export class IdleRounds {
  private readonly counts = new Map<string, number>();
  private since: number;
  constructor(private readonly now: () => number = Date.now) {
    this.since = now();
  }

  /** Counts an idle round; the summary line when the last was a minute ago or more, else null. */
  note(report: SyncReport): string | null {
    this.counts.set(report.partner, (this.counts.get(report.partner) ?? 0) + 1);
    return this.now() - this.since >= IDLE_SUMMARY_MS ? this.flush() : null;
  }

  /** The summary of what was counted since the last one (null when nothing was), and starts again. */
  flush(): string | null {
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const seconds = Math.round((this.now() - this.since) / 1000);
    this.since = this.now();
    if (total === 0) return null;
    const partners = [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([partner, n]) => `${n} with ${partner}`).join(', ');
    this.counts.clear();
    return `${total} idle round(s) in the last ${seconds} s (${partners}): the sets agreed, nothing moved.`;
  }
}

function stateLine(event: WatchEvent): string {
  if (event.state === 'up') return `Link up with ${event.partner} under ${event.federation} (session ${event.session.slice(0, 16)}…).`;
  if (event.state === 'lost') return `Link lost (${event.reason}): ${event.message} Trying again in ${Math.round(event.retryInMs / 100) / 10} s.`;
  return `Link ended (${event.reason}): ${event.message}`;
}

function syncJson(r: SyncReport): Record<string, unknown> {
  return {
    partner: r.partner, federation: r.federation, version: r.version, session: r.session, converged: r.converged,
    sent: r.sent, received: r.received, admitted: r.counts.admitted + r.counts.tainted, duplicate: r.counts.duplicate, refused: r.counts.rejected, quarantined: r.counts.quarantined,
    peerCounts: r.peerCounts, round: r.round, idle: r.idle, rounds: r.rounds, bytes: r.bytes, roundTripMs: r.roundTripMs, count: r.count, digest: r.digest, peerCount: r.peerCount, peerDigest: r.peerDigest,
    missingHere: r.missingHere, missingThere: r.missingThere,
  };
}

export const agentServeCommand: Command = {
  name: 'agent serve',
  summary: "Listen on 127.0.0.1 for partners' boundary agents and answer their syncs, until stopped.",
  usage: 'entente agent serve --port P [--federation ID] [--agent ID] [--home DIR] [--json]',
  options: { port: { type: 'string' }, federation: { type: 'string' }, agent: { type: 'string' } },
  run: async (context) => {
    const port = portOf(context.values.port);
    const federation = federationOf(context.values);
    const agent = agentOf(context.values);
    const { io, json } = context;
    const idle = new IdleRounds();
    const quietly = (line: string | null) => {
      if (line) io.stdout(line);
    };
    return withMesh(context, "use the boundary agent's key", async (services) => {
      const server = await refusing(() =>
        services.links.serve({
          port,
          ...(federation ? { federation } : {}),
          ...(agent ? { agent } : {}),
          // Idle rounds of a watching partner (every 2 s) go to JSON one by one; the text sums them up (IdleRounds).
          onSync: (r) => {
            if (json || !r.idle) printResult(io, json, { json: { event: 'sync', ...syncJson(r) }, text: syncLine(r) });
            else quietly(idle.note(r));
          },
          onRefused: (r) => printResult(io, json, { json: { event: 'refused', ...r }, text: `Refused a link (${r.reason}): ${r.message}` }),
        }),
      );
      printResult(io, json, { json: { event: 'listening', address: '127.0.0.1', port: server.port }, text: `Listening for partner agents on 127.0.0.1:${server.port}. Press Ctrl+C to stop.` });
      await io.untilStopped();
      await server.close();
      if (!json) quietly(idle.flush());
      printResult(io, json, { json: { event: 'stopped', port: server.port }, text: 'Stopped.' });
      return null;
    });
  },
};

export const agentSyncCommand: Command = {
  name: 'agent sync',
  summary: "Sync with a partner's boundary agent at HOST:PORT, both directions, ending in signed convergence statements.",
  usage: 'entente agent sync --peer HOST:PORT [--federation ID] [--agent ID] [--watch] [--frames 1|2] [--home DIR] [--json]',
  options: { peer: { type: 'string' }, federation: { type: 'string' }, agent: { type: 'string' }, watch: { type: 'boolean' }, frames: { type: 'string' } },
  run: async (context) => {
    const peer = context.values.peer;
    if (typeof peer !== 'string' || peer.length === 0) throw new UsageError('--peer needs the partner agent as HOST:PORT, such as 127.0.0.1:7400.');
    const federation = federationOf(context.values);
    const agent = agentOf(context.values);
    // Frame set 1 for a partner's agent that has not been upgraded (0006 "Rounds"): no clock echoes, no nudges.
    const frames = optional(context.values, 'frames', 'the frame set to speak, 1 or 2', /^[12]$/);
    const request = { peer, ...(federation ? { federation } : {}), ...(agent ? { agent } : {}), ...(frames ? { frames: Number(frames) as 1 | 2 } : {}) };
    const { io, json } = context;
    return withMesh(context, "use the boundary agent's key", async (services) => {
      if (context.values.watch !== true) {
        const report = await refusing(() => services.links.sync(request));
        return { json: syncJson(report), text: syncLine(report) };
      }
      // Watch: one link kept open, a round on it as observations arrive here, as the server nudges
      // and every couple of seconds; a drop is reported (lost) and the link reopened with backoff (up); a refusal ends it.
      const idle = new IdleRounds();
      const watch = services.links.watch({
        ...request,
        onRound: (report) => {
          // Idle rounds are the link's heartbeat: reported in JSON, summed up in the text at most once a minute.
          if (json || !report.idle) printResult(io, json, { json: { event: 'sync', ...syncJson(report) }, text: syncLine(report) });
          else {
            const line = idle.note(report);
            if (line) io.stdout(line);
          }
        },
        onEvent: (event) => printResult(io, json, { json: { event: 'state', ...event }, text: stateLine(event) }),
      });
      const ended = await Promise.race([io.untilStopped().then(() => 'stopped' as const), watch.done.then(() => 'stopped' as const, (error: unknown) => error)]);
      await watch.stop();
      const left = json ? null : idle.flush();
      if (left) io.stdout(left);
      if (ended !== 'stopped') await refusing(() => Promise.reject(ended));
      return null;
    });
  },
};

function statusLine(l: LinkView): string {
  return `${l.partner.padEnd(6)} ${l.federation.padEnd(24)} ${l.state.padEnd(26)} last contact ${l.lastContact ?? 'never'}  backlog out ${l.backlog.out} in ${l.backlog.in}${l.roundTripMs === null ? '' : `  rtt ${l.roundTripMs} ms`}\n       ${l.because}`;
}

export const agentStatusCommand: Command = {
  name: 'agent status',
  summary: "Show each partner link's state: up, intentionally disconnected, unexpectedly lost, or never contacted.",
  usage: 'entente agent status [--home DIR] [--json]',
  options: {},
  run: async (context) =>
    withMesh(context, 'sign an integrity event', async (services) => {
      const links = await refusing(() => services.links.status());
      return { json: { links }, text: links.length === 0 ? 'No active federation calls for a link.' : links.map(statusLine).join('\n') };
    }),
};

function operatorCommand(name: 'disconnect' | 'connect'): Command {
  return {
    name: `agent ${name}`,
    summary: name === 'disconnect' ? 'End the link with a partner on purpose: syncs are refused both ways until `agent connect`.' : 'Resume the link with a partner after `agent disconnect`.',
    usage: `entente agent ${name} --partner CODE [--federation ID] [--home DIR] [--json]`,
    options: { partner: { type: 'string' }, federation: { type: 'string' } },
    run: async (context) => {
      const partner = optional(context.values, 'partner', "the partner's mesh code, such as NLD", /^[A-Z0-9]{2,16}$/);
      if (!partner) throw new UsageError("--partner needs the partner's mesh code, such as NLD.");
      const federation = federationOf(context.values);
      return withMesh(context, 'record the change', async (services) => {
        const result = await refusing(async () => services.links[name]({ partner, ...(federation ? { federation } : {}) }));
        return { json: { ...result, state: name === 'disconnect' ? 'intentionally-disconnected' : 'connected' }, text: name === 'disconnect' ? `Disconnected the link with ${result.partner} under ${result.federation}.` : `Reconnected the link with ${result.partner} under ${result.federation}.` };
      });
    },
  };
}

export const agentDisconnectCommand = operatorCommand('disconnect');
export const agentConnectCommand = operatorCommand('connect');
