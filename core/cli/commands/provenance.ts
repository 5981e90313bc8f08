/**
 * `entente provenance export|verify`: the after-action export of a provenance search (issue 16) —
 * the observations it finds with their chains across meshes, the log entries about them proven in
 * a signed checkpoint, signed by this mesh's authority — and its offline check by an auditor with
 * the file alone. Files are written beside their final name and renamed when complete, so a
 * stopped or refused export leaves no half file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { ProvenanceSearch, verifyAfterAction } from '../../app/provenance/after-action-format.js';
import { isSha256Hex } from '../../common/atoms.js';
import type { Command, CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { progressReporter } from '../progress.js';
import { MAX_AUDIT_EXPORT_BYTES, readInputFile, refusing } from './shared.js';

/** The search options, as the provenance browser's search fields name them. */
const SEARCH_OPTIONS = {
  'subject-prefix': 'subjectPrefix',
  mesh: 'mesh',
  class: 'class',
  from: 'from',
  before: 'before',
  federation: 'federation',
  label: 'label',
} as const;

function searchOf(values: Readonly<Record<string, unknown>>): ProvenanceSearch {
  const search: Record<string, unknown> = {};
  for (const [option, key] of Object.entries(SEARCH_OPTIONS)) {
    const value = values[option];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${option} needs a value.`);
    if (key === 'from' || key === 'before') {
      if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${option} needs an ISO 8601 time such as 2026-11-23T08:00:00Z, not "${value.slice(0, 32)}".`);
      search[key] = new Date(value).toISOString();
    } else search[key] = value;
  }
  const ids = values.id as string[] | undefined;
  if (ids !== undefined) {
    const bad = ids.find((id) => !isSha256Hex(id));
    if (bad !== undefined) throw new UsageError(`--id needs an observation id: 64 lowercase hex characters, not "${bad.slice(0, 70)}".`);
    search.ids = ids;
  }
  const parsed = ProvenanceSearch.safeParse(search);
  if (!parsed.success) throw new UsageError(`The search is not usable: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}.`);
  return parsed.data;
}

/** Aborts when the user stops the command (Ctrl-C): the export ends at its next slice, writing nothing. */
function stopping(context: CommandContext): AbortSignal {
  const controller = new AbortController();
  void context.io.untilStopped().then(() => controller.abort());
  return controller.signal;
}

/** Writes each file beside its name, then renames them all: none appears unless all were written. */
function writeAll(files: readonly { path: string; text: string }[]): void {
  const partials = files.map((f) => ({ ...f, partial: `${f.path}.part` }));
  try {
    for (const f of partials) writeFileSync(f.partial, f.text, { flag: 'wx' });
  } catch (error) {
    for (const f of partials) rmSync(f.partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw Refusal.one('unwritable-file', `The export cannot be written (${code}${code === 'EEXIST' ? ': remove the stale .part file first' : ''}).`);
  }
  for (const f of partials) renameSync(f.partial, f.path);
}

export const provenanceExportCommand: Command = {
  name: 'provenance export',
  summary: 'Export what a provenance search finds, with the chains across meshes: a verifiable after-action bundle and an HTML report.',
  usage:
    'entente provenance export --out FILE [--html FILE] [--subject-prefix P] [--mesh M] [--class C] [--from T] [--before T] [--federation ID] [--label CLASSIFICATION] [--id ID]… [--home DIR] [--json]',
  options: {
    out: { type: 'string' },
    html: { type: 'string' },
    'subject-prefix': { type: 'string' },
    mesh: { type: 'string' },
    class: { type: 'string' },
    from: { type: 'string' },
    before: { type: 'string' },
    federation: { type: 'string' },
    label: { type: 'string' },
    id: { type: 'string', multiple: true },
  },
  run: async (context) => {
    const { home, values, io } = context;
    if (typeof values.out !== 'string') throw new UsageError('--out needs the file to write the after-action bundle to.');
    const out = values.out;
    const html = typeof values.html === 'string' ? values.html : undefined;
    if (html === out) throw new UsageError('--html needs a file other than --out.');
    const search = searchOf(values);
    return withCore(
      home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const progress = progressReporter(io);
        const made = await refusing(() => services.provenance.afterAction(search, { signal: stopping(context), onProgress: (p) => progress.update(p.phase, p.done, p.total) }));
        writeAll([{ path: out, text: made.text }, ...(html ? [{ path: html, text: made.html }] : [])]);
        progress.done();
        const { bundle } = made;
        return {
          json: { out, html: html ?? null, mesh: bundle.mesh, exportedAt: bundle.exportedAt, selected: bundle.selected.length, observations: bundle.observations.length, unresolved: bundle.unresolved.length, entries: bundle.audit.entries.length, bytes: Buffer.byteLength(made.text) },
          text: [
            `Wrote ${out}: ${bundle.selected.length} observation(s) found, ${bundle.observations.length} record(s) with their chains, ${bundle.audit.entries.length} log entries proven in the head checkpoint, signed by ${bundle.mesh}'s authority.`,
            ...(html ? [`Wrote the report ${html}.`] : []),
            ...(bundle.unresolved.length ? [`${bundle.unresolved.length} source(s) are held nowhere here: listed as unresolved.`] : []),
            `Check it with: entente provenance verify ${out}`,
          ].join('\n'),
        };
      },
      passphrasePrompt(io.env, 'sign the after-action export with the mesh’s issuing key'),
    );
  },
};

export const provenanceVerifyCommand: Command = {
  name: 'provenance verify',
  summary: 'Check an after-action bundle offline: every proof, signature and record, naming what fails.',
  usage: 'entente provenance verify FILE [--anchor SHA256] [--json]',
  options: { anchor: { type: 'string' } },
  maxPositionals: 1,
  run: async ({ values, positionals }) => {
    const file = positionals[0];
    if (file === undefined) throw new UsageError('Name the after-action bundle file.');
    if (values.anchor !== undefined && !isSha256Hex(values.anchor)) {
      throw new UsageError('--anchor needs the lowercase hex SHA-256 of the trust anchor you expect (from the mesh’s card).');
    }
    const report = verifyAfterAction(readInputFile(file, 'after-action bundle', MAX_AUDIT_EXPORT_BYTES), values.anchor as string | undefined);
    if (report.failures.length > 0) throw new Refusal(report.failures.map((f) => ({ reason: f.reason, message: f.message })));
    const { checkpoint } = report;
    return {
      json: { ok: true, mesh: report.mesh, anchor: report.anchor, exportedAt: report.exportedAt, search: report.search, selected: report.selected, observations: report.observations, unresolved: report.unresolved, entries: report.entries, checkpoint },
      text: [
        `After-action bundle of ${report.mesh} verified: exported ${report.exportedAt}, signed by its authority.`,
        `${report.selected} observation(s) selected; ${report.observations} record(s) each matching its id; ${report.unresolved} unresolved source(s).`,
        `${report.entries} log entries, each proven in the signed checkpoint at size ${checkpoint?.size ?? '?'} (root ${checkpoint?.root ?? '?'}, ${checkpoint?.time ?? '?'}).`,
        `trust anchor ${report.anchor}${values.anchor ? ' (as pinned)' : ` — compare it with ${report.mesh}’s card`}`,
      ].join('\n'),
    };
  },
};
