/**
 * `entente audit verify|checkpoint|export|witness`: the reconciliation log from the command
 * line — verify a workspace's log or a reviewer's bundle offline, sign a checkpoint on demand,
 * export a bundle, JSON or HTML report, and witness a partner's log.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { verifyBundle } from '../../audit/bundle.js';
import type { ExportFilter as SignedFilter } from '../../audit/export-statement.js';
import type { LogFailure } from '../../audit/verify-log.js';
import type { ExportFilter } from '../../app/audit/audit-export.js';
import type { Command } from '../command.js';
import { Refusal, UsageError, type Failure } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { MAX_AUDIT_EXPORT_BYTES, readInputFile, refusing } from './shared.js';
import { isSha256Hex } from '../../common/atoms.js';

// Every failure about an entry already names it ("Entry 4 …", "Entries 3…5 …"): printed as it is.
const asFailures = (failures: readonly LogFailure[]): Failure[] => failures.map((f) => ({ reason: f.reason, message: f.message }));

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Recompute the reconciliation log (or an exported --bundle) and check every checkpoint.',
  usage: 'entente audit verify [--home DIR | --bundle FILE [--anchor SHA256]] [--json]',
  options: { bundle: { type: 'string' }, anchor: { type: 'string' } },
  run: async ({ home, values }) => {
    if (values.anchor !== undefined && !isSha256Hex(values.anchor)) {
      throw new UsageError('--anchor needs the lowercase hex SHA-256 of the trust anchor you expect (from the partner’s card).');
    }
    if (typeof values.bundle === 'string') {
      const report = verifyBundle(readInputFile(values.bundle, 'bundle', MAX_AUDIT_EXPORT_BYTES), values.anchor as string | undefined);
      if (report.failures.length > 0) throw new Refusal(asFailures(report.failures));
      const { head, completeUpTo: upTo } = report;
      return {
        json: {
          log: report.log,
          anchor: report.anchor,
          complete: report.complete,
          entries: report.entries,
          checkpoints: report.checkpoints,
          head,
          completeUpTo: upTo,
          filter: report.filter,
          exportedAt: report.exportedAt,
          selection: report.selection,
          witnesses: report.witnesses,
        },
        text: [
          `Bundle of log ${report.log} verified: ${report.entries} entries${report.complete ? ' (the whole log, recomputed)' : ' (each proven in the head checkpoint)'}, ${report.checkpoints} checkpoints.`,
          upTo ? `complete up to signed checkpoint size ${upTo.size}, root ${upTo.root}, signed ${upTo.time}` : 'no checkpoint',
          `filter (signed by ${report.log}'s authority, exported ${report.exportedAt}): ${describeFilter(report.filter)}`,
          `selection proven whole: ${report.entries} ${report.complete ? 'entries, every one up to that checkpoint' : 'entries, each proven in that checkpoint, exactly those the authority signed as matching'}`,
          `trust anchor ${report.anchor}${values.anchor ? ' (as pinned)' : ' — compare it with the partner’s card'}`,
          ...report.witnesses.map((w) => `cosigned by ${w.mesh} (${w.cosignatures} cosignature${w.cosignatures === 1 ? '' : 's'}) under trust anchor ${w.anchor} — compare it with ${w.mesh}’s card`),
        ].join('\n'),
      };
    }
    return withCore(home, async ({ services }) => {
      const report = await refusing(async () => services.audit.verify());
      if (report.failures.length > 0) throw new Refusal(asFailures(report.failures));
      const head = report.head;
      return {
        json: { log: report.log, entries: report.entries, checkpoints: report.checkpoints, head },
        text: `Log of ${report.log} verified: ${report.entries} entries, ${report.checkpoints} checkpoints${head ? `; head size ${head.size}, root ${head.root}, signed ${head.time}` : ''}.`,
      };
    });
  },
};

const describeFilter = (filter: SignedFilter | null) => {
  const conditions = Object.entries(filter ?? {}).filter(([, value]) => value !== undefined);
  return conditions.length === 0 ? 'none (the whole log)' : conditions.map(([name, value]) => `--${name} ${value}`).join(' ');
};

export const auditCheckpointCommand: Command = {
  name: 'audit checkpoint',
  summary: 'Sign a checkpoint of the reconciliation log now (tree size, root, time).',
  usage: 'entente audit checkpoint [--home DIR] [--json]',
  options: {},
  run: async ({ home, io }) =>
    withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const { body, id } = await refusing(async () => services.audit.checkpoint());
      return { json: { id, log: body.log, size: body.size, root: body.root, time: body.time }, text: `Checkpoint of ${body.log}: size ${body.size}, root ${body.root}, ${body.time}` };
    }, passphrasePrompt(io.env, 'sign the checkpoint with the mesh’s issuing key')),
};

function exportFilter(values: Readonly<Record<string, unknown>>): ExportFilter {
  const filter: Record<string, string> = {};
  for (const name of ['from', 'to', 'federation', 'subject'] as const) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 256) throw new UsageError(`--${name} needs a value of at most 256 characters.`);
    if ((name === 'from' || name === 'to') && Number.isNaN(Date.parse(value))) throw new UsageError(`--${name} needs an ISO 8601 time such as 2026-11-23T08:00:00Z, not "${value.slice(0, 32)}".`);
    filter[name] = name === 'from' || name === 'to' ? new Date(value).toISOString() : value;
  }
  return filter;
}

/** The mesh authority signs a bundle's export statement: its key, unlocked with the passphrase when the keys are encrypted. */
export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'Export the log: a verifiable bundle, JSON, or a readable HTML report, optionally filtered.',
  usage: 'entente audit export --out FILE [--format bundle|html|json] [--from T --to T --federation ID --subject S] [--home DIR] [--json]',
  options: { out: { type: 'string' }, format: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, federation: { type: 'string' }, subject: { type: 'string' } },
  run: async ({ home, values, io }) => {
    if (typeof values.out !== 'string') throw new UsageError('--out needs the file to write the export to.');
    const format = values.format ?? 'bundle';
    if (format !== 'bundle' && format !== 'html' && format !== 'json') throw new UsageError(`--format is bundle, html or json, not "${String(format).slice(0, 32)}".`);
    const filter = exportFilter(values);
    const out = values.out;
    return withCore(home, async ({ services: { audit } }) => {
      const text = await refusing(async () => {
        if (format === 'bundle') return JSON.stringify(await audit.bundle(filter));
        if (format === 'json') return `${JSON.stringify(audit.listing(filter), null, 2)}\n`;
        return audit.htmlReport(filter);
      });
      // Written beside its name and renamed when whole: a failed write leaves no half export.
      const partial = `${out}.part`;
      try {
        writeFileSync(partial, text, { flag: 'w' });
        renameSync(partial, out);
      } catch (error) {
        rmSync(partial, { force: true });
        throw Refusal.one('unwritable-file', `The export cannot be written to ${out} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      return { json: { format, out, bytes: Buffer.byteLength(text) }, text: `Wrote the ${format} export of the log to ${out}` };
      // A bundle's export statement is signed: the passphrase is asked only for that format.
    }, format === 'bundle' ? passphrasePrompt(io.env, 'sign the export statement with the mesh’s issuing key') : undefined);
  },
};

export const auditWitnessCommand: Command = {
  name: 'audit witness',
  summary: "Witness a partner's log: check its head extends what this mesh saw, then cosign it.",
  usage: 'entente audit witness --peer DIR [--home DIR] [--json]',
  options: { peer: { type: 'string' } },
  run: async ({ home, values, io }) => {
    if (typeof values.peer !== 'string') throw new UsageError('--peer needs the home directory of the partner mesh whose log to witness.');
    const peerHome = values.peer;
    return withCore(home, async ({ services: ours }) =>
      withCore(peerHome, async ({ services: theirs }) => {
        const { mesh } = await refusing(async () => ours.mesh.require());
        const peer = await refusing(async () => theirs.witness.trust());
        const presented = await refusing(async () => theirs.witness.presentHead(ours.witness.lastSeenOf(peer.mesh)?.size ?? null));
        const result = await refusing(async () => ours.witness.witness(peer, presented));
        if (!result.ok) throw Refusal.one(result.reason, result.message, result.checkpoint?.id);
        await refusing(async () => theirs.witness.acceptCosignature(await refusing(async () => ours.witness.trust()), result.cosignature.envelope));
        const { body } = result.checkpoint;
        return {
          json: { peer: peer.mesh, checkpoint: result.checkpoint.id, size: body.size, root: body.root, witness: mesh.code },
          text: `${mesh.code} cosigned the log of ${peer.mesh} at size ${body.size} (root ${body.root}): it extends everything seen before.`,
        };
      }),
      passphrasePrompt(io.env, 'cosign with the mesh’s issuing key'),
    );
  },
};
