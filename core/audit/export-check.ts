/**
 * Checking a bundle against its signed export statement: the statement must verify under the
 * log's authority, and the bundle must be exactly what it signs — the same export time, filter
 * and completeness, the checkpoint it is complete up to, and the very entries, checkpoints and
 * cosignatures it lists. What an export leaves out is proven here, or named.
 */
import { canonicalize } from '../canonical/jcs.js';
import { readCheckpoint, type CheckpointBody } from './checkpoint.js';
import { envelopeSetDigest, exportStatementSignedBy, isWholeLog, readExportStatement, selectionDigest, type Digest, type ExportFilter, type ExportStatementBody } from './export-statement.js';
import type { AuthorityKey, LogFailure } from './verify-log.js';

/** The parts of a bundle the statement speaks about (an `AuditBundle` is one). */
export interface StatedBundle {
  readonly format: string;
  readonly log: string;
  readonly exportedAt: string;
  readonly filter: ExportFilter;
  readonly complete: boolean;
  readonly statement?: unknown;
  readonly entries: readonly { readonly seq: number; readonly text: string }[];
  readonly checkpoints: readonly unknown[];
  readonly cosignatures: readonly unknown[];
}

export interface StatementCheck {
  /** The statement, when it verified under the log's authority (even if the bundle then differs from it). */
  readonly statement: ExportStatementBody | null;
  /** The carried checkpoint the statement says the bundle is complete up to, with its id. */
  readonly checkpoint: (CheckpointBody & { readonly id: string }) | null;
  readonly failures: readonly LogFailure[];
}

export function checkExportStatement(bundle: StatedBundle, keys: AuthorityKey): StatementCheck {
  const unsigned = (message: string): StatementCheck => ({ statement: null, checkpoint: null, failures: [{ reason: 'unsigned-export', message }] });
  if (bundle.statement === undefined) {
    return unsigned(
      `The bundle (${bundle.format}) carries no signed export statement: its filter, export time and what it leaves out cannot be proven; ask ${bundle.log} for a new export.`,
    );
  }
  const read = readExportStatement(bundle.statement);
  if (!read.ok) return unsigned(`The bundle’s export statement cannot be read: ${read.message}`);
  const statement = read.value;
  const { body } = statement;
  const key = keys(body.signer, new Date(body.exportedAt));
  if (!key.ok) return unsigned(`The export statement was signed under a credential of ${bundle.log}’s authority that does not verify: ${key.message}`);
  if (!exportStatementSignedBy(statement, key.publicKey)) {
    return unsigned(`The export statement is not signed by ${bundle.log}’s authority as it names: it was changed, or another key signed it.`);
  }

  const failures: LogFailure[] = [];
  const mismatch = (message: string) => failures.push({ reason: 'export-mismatch', message });
  if (body.log !== bundle.log) mismatch(`The export statement is about the log of ${body.log}, not ${bundle.log}.`);
  if (body.exportedAt !== bundle.exportedAt) mismatch(`The bundle says it was exported at ${bundle.exportedAt.slice(0, 40)}, but its signed statement says ${body.exportedAt}.`);
  if (canonicalize(body.filter) !== canonicalize(bundle.filter)) {
    mismatch(`The bundle’s filter ${canonicalize(bundle.filter).slice(0, 200)} is not the signed filter ${canonicalize(body.filter)}.`);
  }
  if (bundle.complete !== isWholeLog(body.filter)) {
    mismatch(`The bundle says it is ${bundle.complete ? 'the whole log' : 'filtered'}, but its signed filter makes it ${isWholeLog(body.filter) ? 'the whole log' : 'filtered'}.`);
  }

  let checkpoint: StatementCheck['checkpoint'] = null;
  for (const envelope of bundle.checkpoints) {
    const carried = readCheckpoint(envelope);
    if (carried.ok && carried.value.id === body.checkpoint.id) checkpoint = { ...carried.value.body, id: carried.value.id };
  }
  if (!checkpoint || checkpoint.size !== body.checkpoint.size || checkpoint.root !== body.checkpoint.root) {
    checkpoint = null;
    failures.push({
      reason: 'truncated-bundle',
      size: body.checkpoint.size,
      message: `The export statement says the bundle is complete up to the checkpoint at size ${body.checkpoint.size} (root ${body.checkpoint.root.slice(0, 16)}…), which the bundle does not carry: it was cut short.`,
    });
  }

  const compare = (what: string, carried: Digest, signed: Digest, removed: string, other: string) => {
    if (carried.digest === signed.digest) return;
    failures.push(
      carried.count < signed.count
        ? { reason: removed, message: `The bundle carries ${carried.count} of the ${signed.count} ${what} its export statement lists: ${signed.count - carried.count} were removed.` }
        : { reason: other, message: `The bundle’s ${what} are not the ${signed.count} its export statement lists: some were added or replaced.` },
    );
  };
  compare('entries', selectionDigest(bundle.entries), body.selection, 'incomplete-selection', 'incomplete-selection');
  compare('checkpoints', envelopeSetDigest('checkpoints', bundle.checkpoints), body.checkpoints, 'dropped-checkpoint', 'unlisted-checkpoint');
  compare('cosignatures', envelopeSetDigest('cosignatures', bundle.cosignatures), body.cosignatures, 'stripped-cosignature', 'unlisted-cosignature');
  return { statement: body, checkpoint, failures };
}
