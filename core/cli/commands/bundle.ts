/**
 * `entente bundle export|verify|import` and `entente receipt import`: the crossing carried across
 * an air gap as files (docs/decisions/0005-crossing.md). Exports are written beside their final
 * name and renamed when complete, so a cancelled or failed export leaves no half file; imports
 * stream the file twice and can be stopped (Ctrl-C) and run again to resume.
 */
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import type { BundleSource } from '../../app/crossing/parts.js';
import type { Command, CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { progressReporter } from '../progress.js';
import { readInputFile, refusing } from './shared.js';

const MESH = /^[A-Z0-9]{2,16}$/;

function fileSource(path: string): BundleSource {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw Refusal.one('unreadable-file', `The bundle file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!stat.isFile()) throw Refusal.one('not-a-file', `${path} is not a regular file.`);
  return { name: path, open: () => createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer> };
}

function onlyFile(context: CommandContext, what: string): string {
  const [file] = context.positionals;
  if (typeof file !== 'string') throw new UsageError(`Name the ${what} file.`);
  return file;
}

/** Aborts when the user stops the command (Ctrl-C), so a long import or export ends cleanly between blocks. */
function stopping(context: CommandContext): AbortSignal {
  const controller = new AbortController();
  void context.io.untilStopped().then(() => controller.abort());
  return controller.signal;
}

export const bundleExportCommand: Command = {
  name: 'bundle export',
  summary: 'Write a signed bundle of what the federation lets a partner receive (since its cursor).',
  usage: 'entente bundle export --to MESH --out FILE [--federation ID] [--since CURSOR] [--agent ID] [--home DIR] [--json]',
  options: { to: { type: 'string' }, out: { type: 'string' }, federation: { type: 'string' }, since: { type: 'string' }, agent: { type: 'string' } },
  run: async (context) => {
    const { to, out, federation, since, agent } = context.values;
    if (typeof to !== 'string' || !MESH.test(to)) throw new UsageError('--to needs the partner mesh code, e.g. NLD.');
    if (typeof out !== 'string' || out.length === 0) throw new UsageError('--out needs the bundle file to write.');
    if (since !== undefined && (typeof since !== 'string' || !/^\d{1,15}$/.test(since))) throw new UsageError('--since needs a cursor: the number a previous export printed.');
    const partial = `${out}.partial`;
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const sink = createWriteStream(partial, { flags: 'wx' });
        await once(sink, 'open').catch((error: NodeJS.ErrnoException) => {
          throw Refusal.one('unwritable-file', `Cannot write ${partial} (${error.code ?? 'error'}); remove a stale one first.`);
        });
        const progress = progressReporter(context.io);
        try {
          const report = await refusing(() =>
            services.crossing.exportBundle(
              { to, federation: typeof federation === 'string' ? federation : undefined, since: since === undefined ? undefined : Number(since), agent: typeof agent === 'string' ? agent : undefined },
              sink,
              { onProgress: (lines) => progress.update('writing', lines, null), signal: stopping(context) },
            ),
          );
          sink.end();
          await once(sink, 'finish');
          renameSync(partial, out);
          progress.done();
          return {
            json: { ...report, file: out },
            text: [
              `Wrote ${out}: ${report.observations} observation(s) for ${report.to} under ${report.federation.id} v${report.federation.version}, carried by ${report.agent}.`,
              `bundle ${report.bundle}`,
              `cursor ${report.cursor.from} → ${report.cursor.to} (the next export continues from the partner's receipt, or pass --since ${report.cursor.to})`,
            ].join('\n'),
          };
        } catch (error) {
          sink.destroy();
          rmSync(partial, { force: true });
          throw error;
        }
      },
      passphrasePrompt(context.io.env, 'sign the bundle with the boundary agent’s key'),
    );
  },
};

export const bundleVerifyCommand: Command = {
  name: 'bundle verify',
  summary: 'Check a bundle (structure, manifest, agent, each item) without importing it.',
  usage: 'entente bundle verify FILE [--home DIR] [--json]',
  options: {},
  maxPositionals: 1,
  run: async (context) => {
    const source = fileSource(onlyFile(context, 'bundle'));
    return withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const check = await refusing(() => services.crossing.verifyBundle(source, stopping(context)));
      if (check.refusal) throw Refusal.one(check.refusal.reason, `The bundle ${source.name} is refused: ${check.refusal.message}`);
      const text = [
        `${source.name}: ${check.ok ? 'verifies' : 'does NOT fully verify'} — from ${check.from} by ${check.agent} under ${check.federation?.id} v${check.federation?.version}`,
        `${check.observations} observation(s), ${check.verified} verified, ${check.failures.length} failed`,
        ...check.failures.slice(0, 20).map((f) => `  line ${f.line}: ${f.reason} — ${f.message}`),
      ].join('\n');
      if (!check.ok) throw new Refusal(check.failures.map((f) => ({ reason: f.reason, message: `line ${f.line}: ${f.message}` })));
      return { json: { ...check }, text };
    });
  },
};

export const bundleImportCommand: Command = {
  name: 'bundle import',
  summary: 'Admit a partner’s bundle item by item (resumable); write the signed receipt for the sender.',
  usage: 'entente bundle import FILE [--receipt RECEIPT.json] [--home DIR] [--json]',
  options: { receipt: { type: 'string' } },
  maxPositionals: 1,
  run: async (context) => {
    const source = fileSource(onlyFile(context, 'bundle'));
    const receiptOut = context.values.receipt;
    if (receiptOut !== undefined && (typeof receiptOut !== 'string' || receiptOut.length === 0)) throw new UsageError('--receipt needs the file to write the receipt to.');
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const progress = progressReporter(context.io);
        const report = await refusing(() =>
          services.crossing.importBundle(source, {
            onProgress: (p) => progress.update(p.phase, p.lines, p.totalLines),
            signal: stopping(context),
            ...(existsSync(fileURLToPath(SIGNATURE_WORKER)) ? { signatureWorkers: { url: SIGNATURE_WORKER } } : {}),
          }),
        );
        progress.done();
        if (typeof receiptOut === 'string') writeFileSync(receiptOut, `${JSON.stringify(report.receipt)}\n`);
        const c = report.counts;
        const text = [
          report.alreadyImported ? `${source.name} was imported before: nothing changed.` : `Imported ${source.name}${report.resumed ? ' (resumed)' : ''} from ${report.from} under ${report.federation.id} v${report.federation.version}, carried by ${report.agent}.`,
          `admitted ${c.admitted} · duplicate ${c.duplicate} · rejected ${c.rejected} · quarantined ${c.quarantined} · tainted ${c.tainted}`,
          ...report.refusals.slice(0, 20).map((r) => `  line ${r.line}${r.id ? ` ${r.id.slice(0, 16)}…` : ''}: ${r.reason} — ${r.message}`),
          ...(report.refusals.length > 20 ? [`  … ${report.refusals.length - 20} more (--json lists them)`] : []),
          typeof receiptOut === 'string' ? `Receipt written to ${receiptOut}: carry it back to ${report.from} (\`entente receipt import\`).` : 'Pass --receipt FILE to write the signed receipt for the sender.',
        ].join('\n');
        return { json: { ...report, file: source.name }, text };
      },
      passphrasePrompt(context.io.env, 'sign the receipt and the log with the mesh’s issuing key'),
    );
  },
};

export const receiptImportCommand: Command = {
  name: 'receipt import',
  summary: 'Record a partner’s signed receipt for one of our bundles (what it admitted).',
  usage: 'entente receipt import FILE [--home DIR] [--json]',
  options: {},
  maxPositionals: 1,
  run: async (context) => {
    const file = onlyFile(context, 'receipt');
    const text = readInputFile(file, 'receipt', 64 * 1024 * 1024);
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const summary = await refusing(() => services.crossing.importReceipt(text));
        const c = summary.counts;
        return {
          json: { ...summary },
          text: [
            summary.recorded ? `Recorded ${summary.partner}'s receipt for bundle ${summary.bundle.slice(0, 16)}…` : `${summary.partner}'s receipt for bundle ${summary.bundle.slice(0, 16)}… was already on record.`,
            `admitted ${c.admitted} · duplicate ${c.duplicate} · rejected ${c.rejected} · quarantined ${c.quarantined} · tainted ${c.tainted}`,
            ...summary.refused.slice(0, 20).map((r) => `  ${r.id.slice(0, 16)}…: ${r.reason}`),
          ].join('\n'),
        };
      },
      passphrasePrompt(context.io.env, 'record the receipt with the mesh’s issuing key'),
    );
  },
};

/** Beside the CLI in dist/ (scripts/build.mjs): the import checks device signatures on every core; from sources, in its own thread. */
const SIGNATURE_WORKER = new URL('./crossing-signature-worker.mjs', import.meta.url);
