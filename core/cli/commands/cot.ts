/**
 * `entente ingest cot` turns Cursor on Target events from the TAK ecosystem into this mesh's
 * observations, signed by the ingesting device (a file of events, or a UDP/TCP listener on
 * 127.0.0.1); `entente export cot` writes the joint picture back out as CoT with its provenance
 * (to a file, standard output, or each TAK client connecting to a TCP listener on 127.0.0.1).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { CotOutcome } from '../../app/cot/ingest.js';
import type { CotCounters } from '../../app/cot/listeners.js';
import { LABEL_XML_LIMITS } from '../../labels/index.js';
import type { CliIo, Command, CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { printResult } from '../output.js';
import { passphrasePrompt } from '../passphrase.js';
import { readInputFile, refusing } from './shared.js';

/** A file of CoT events is read whole; past this it is refused unread (256 events at the per-event bound). */
export const MAX_COT_FILE_BYTES = 16 * 1024 * 1024;

/** Refusal lines a listener prints per second at most; the rest are counted and said so. */
const REFUSAL_LINES_PER_SECOND = 10;

interface ListenAddress {
  readonly transport: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
}

function listenAddress(value: unknown, transports: readonly ('udp' | 'tcp')[]): ListenAddress {
  const schemes = transports.map((t) => `${t}://127.0.0.1:PORT`).join(' or ');
  const match = typeof value === 'string' ? /^(udp|tcp):\/\/(\[[0-9A-Fa-f:.]+\]|[^:/[\]]{1,253}):(\d{1,5})$/.exec(value) : null;
  if (!match || Number(match[3]) > 65535) throw new UsageError(`--listen needs ${schemes} (port 0 picks a free one), not "${String(value ?? '').slice(0, 64)}".`);
  const transport = match[1] as 'udp' | 'tcp';
  if (!transports.includes(transport)) throw new UsageError(`--listen needs ${schemes}: ${transport} is not offered here.`);
  // Refused as the core refuses it, before anything is opened: the listener is for this workstation only.
  if (match[2] !== '127.0.0.1') throw Refusal.one('not-loopback', `CoT listeners bind to 127.0.0.1 only, not ${match[2]}: a wider network reaches this mesh through its boundary agents.`);
  return { transport, host: match[2], port: Number(match[3]) };
}

function required(values: CommandContext['values'], name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required (usage: ${usage})`);
  return value;
}

function countsOf(outcomes: readonly CotOutcome[]): { admitted: number; refused: Record<string, number> } {
  const refused: Record<string, number> = {};
  let admitted = 0;
  for (const o of outcomes) {
    if (o.outcome === 'admitted') admitted += 1;
    else refused[o.reason] = (refused[o.reason] ?? 0) + 1;
  }
  return { admitted, refused };
}

function countsLine(counters: { admitted: number; refused: Readonly<Record<string, number>> }): string {
  const refused = Object.entries(counters.refused).sort(([a], [b]) => (a < b ? -1 : 1));
  const total = refused.reduce((sum, [, n]) => sum + n, 0);
  return `${counters.admitted} admitted, ${total} refused${total > 0 ? ` (${refused.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : ''}`;
}

/** At most REFUSAL_LINES_PER_SECOND lines a second on stderr; what is held back is counted on the next line. */
function refusalPrinter(io: CliIo): (outcome: CotOutcome) => void {
  let windowStart = 0;
  let printed = 0;
  let held = 0;
  return (outcome) => {
    if (outcome.outcome !== 'refused') return;
    const now = Date.now();
    if (now - windowStart >= 1_000) {
      windowStart = now;
      printed = 0;
    }
    if (printed >= REFUSAL_LINES_PER_SECOND) {
      held += 1;
      return;
    }
    printed += 1;
    const more = held > 0 ? ` (${held} more refusal(s) not shown)` : '';
    held = 0;
    io.stderr(`entente: refused a CoT event (${outcome.reason}): ${outcome.message}${more}`);
  };
}

const INGEST_USAGE = 'entente ingest cot (--file F.xml | --listen udp://127.0.0.1:P | --listen tcp://127.0.0.1:P) --device ID --label FILE [--home DIR] [--json]';

export const ingestCotCommand: Command = {
  name: 'ingest cot',
  summary: "Record Cursor on Target events (a file of them, or a UDP/TCP listener on 127.0.0.1) as observations signed by a device's key.",
  usage: INGEST_USAGE,
  options: { file: { type: 'string' }, listen: { type: 'string' }, device: { type: 'string' }, label: { type: 'string' } },
  run: async ({ home, values, io, json }) => {
    const device = required(values, 'device', INGEST_USAGE);
    const labelFile = required(values, 'label', INGEST_USAGE);
    if ((values.file === undefined) === (values.listen === undefined)) throw new UsageError(`ingest cot takes one of --file or --listen (usage: ${INGEST_USAGE})`);
    const address = values.listen === undefined ? null : listenAddress(values.listen, ['udp', 'tcp']);
    if (values.file !== undefined && (typeof values.file !== 'string' || values.file === '')) throw new UsageError('--file needs the CoT file to read.');
    const labelText = readInputFile(labelFile, 'label', LABEL_XML_LIMITS.maxBytes);
    const text = address === null ? readInputFile(values.file as string, 'CoT', MAX_COT_FILE_BYTES) : '';
    const request = { device, labelText };
    return withCore(
      home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        if (address === null) {
          const outcomes = await refusing(() => services.cot.ingestDocument(request, text));
          const counts = countsOf(outcomes);
          const numbered = outcomes.map((o, i) => ({ event: i + 1, ...o }));
          // Nothing admitted: the command was refused as a whole, each event's reason listed.
          if (counts.admitted === 0) {
            throw new Refusal(
              numbered.length === 0
                ? [{ reason: 'cot-empty', message: `The file ${values.file as string} holds no CoT event.` }]
                : numbered.map((o) => (o.outcome === 'refused' ? { reason: o.reason, message: `Event ${o.event}: ${o.message}` } : { reason: 'cot-admitted', message: `Event ${o.event}: admitted.` })),
            );
          }
          if (!json) for (const o of numbered) if (o.outcome === 'refused') io.stderr(`entente: event ${o.event} refused (${o.reason}): ${o.message}`);
          return {
            json: { ...counts, outcomes: numbered },
            text: [...numbered.filter((o) => o.outcome === 'admitted').map((o) => (o.outcome === 'admitted' ? `${o.id} ${o.subject}` : '')), countsLine(counts)].join('\n'),
          };
        }
        const printRefusal = refusalPrinter(io);
        const listener = await refusing(() => services.cot.listen({ ...request, transport: address.transport, port: address.port, host: address.host, onOutcome: printRefusal }));
        printResult(io, json, {
          json: { event: 'listening', transport: listener.transport, address: '127.0.0.1', port: listener.port },
          text: `Listening for CoT on ${listener.transport}://127.0.0.1:${listener.port} as device ${device}. Press Ctrl+C to stop.`,
        });
        await io.untilStopped();
        await listener.close();
        const counters: CotCounters = listener.counters();
        printResult(io, json, { json: { event: 'stopped', ...counters }, text: `Stopped: ${countsLine(counters)}${counters.droppedConnections > 0 ? `; ${counters.droppedConnections} connection(s) dropped` : ''}.` });
        return null;
      },
      passphrasePrompt(io.env, 'use the device key'),
    );
  },
};

const EXPORT_USAGE = 'entente export cot [--out F.xml | --listen tcp://127.0.0.1:P] [--home DIR] [--json]';

export const exportCotCommand: Command = {
  name: 'export cot',
  summary: 'Write the joint picture as Cursor on Target events with their provenance (to a file, stdout, or TAK clients on 127.0.0.1).',
  usage: EXPORT_USAGE,
  options: { out: { type: 'string' }, listen: { type: 'string' } },
  run: async ({ home, values, io, json }) => {
    if (values.out !== undefined && values.listen !== undefined) throw new UsageError(`export cot takes --out or --listen, not both (usage: ${EXPORT_USAGE})`);
    if (values.out !== undefined && (typeof values.out !== 'string' || values.out === '')) throw new UsageError('--out needs the file to write the events to.');
    const address = values.listen === undefined ? null : listenAddress(values.listen, ['tcp']);
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      if (address !== null) {
        const server = await refusing(() => services.cot.serveExport({ port: address.port, host: address.host, onError: (e) => io.stderr(`entente: the CoT export could not read the picture: ${e.message}`) }));
        printResult(io, json, {
          json: { event: 'listening', transport: 'tcp', address: '127.0.0.1', port: server.port },
          text: `Serving the picture as CoT on tcp://127.0.0.1:${server.port}: each client gets it whole, then its changes. Press Ctrl+C to stop.`,
        });
        await io.untilStopped();
        await server.close();
        const stats = server.stats();
        printResult(io, json, { json: { event: 'stopped', ...stats }, text: `Stopped: ${stats.sent} event(s) sent${stats.droppedClients > 0 ? `, ${stats.droppedClients} slow client(s) dropped` : ''}.` });
        return null;
      }
      const picture = await services.cot.exportPicture();
      const document = picture.events.map((e) => `${e.xml}\n`).join('');
      // Subjects CoT cannot show (no place or type) may be most of a picture: counted, the first few named.
      const summary = { digest: picture.digest, events: picture.events.length, skipped: picture.skipped.length, skippedFirst: picture.skipped.slice(0, 100) };
      if (typeof values.out === 'string') {
        // Written beside and renamed over: a reader never sees half a file.
        const partial = `${values.out}.partial`;
        try {
          writeFileSync(partial, document, { flag: 'w' });
          renameSync(partial, values.out);
        } catch (error) {
          rmSync(partial, { force: true });
          throw Refusal.one('unwritable-file', `The CoT file ${values.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
        return { json: { ...summary, out: values.out }, text: `Wrote ${picture.events.length} CoT event(s) to ${values.out}${picture.skipped.length > 0 ? `; ${picture.skipped.length} subject(s) without a place or type left out` : ''}.` };
      }
      return { json: { ...summary, xml: picture.events.map((e) => e.xml) }, text: document.trimEnd() };
    });
  },
};
