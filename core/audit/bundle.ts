/**
 * The after-action export: a self-contained package a reviewer verifies offline with only the
 * CLI — entries, every checkpoint, consistency proofs between successive checkpoints, the
 * certificates that vouch for the signer, when the export is filtered an inclusion proof for
 * each entry in the head checkpoint, and the authority's signed export statement saying what the
 * bundle holds (export-statement.ts). Whole exports are recomputed from scratch instead.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { JsonError, readStrictJson } from '../canonical/strict-json.js';
import { describeIssues, MeshCode, Sha256Hex } from '../common/atoms.js';
import { caPaths, parseCertificate, type ParsedCertificate } from '../credentials/index.js';
import { authorityKeys } from './authority-key.js';
import { cosignatureSignedBy, readCheckpoint, readCosignature, type CheckpointBody } from './checkpoint.js';
import { readEntryText } from './entry.js';
import { checkExportStatement } from './export-check.js';
import { envelopeSetDigest, ExportFilter, matchesExportFilter, selectionDigest, signExportStatement } from './export-statement.js';
import { leafHash, verifyConsistency, verifyInclusion } from './tree.js';
import { verifyLog, type LogFailure } from './verify-log.js';

export const BUNDLE_FORMAT = 'entente.audit-bundle/v2';
/** Bundles before the export statement: still read, so that verification can say why they prove less (`unsigned-export`). */
const BUNDLE_FORMAT_V1 = 'entente.audit-bundle/v1';

/**
 * What the strict reader allows a bundle: the CLI's own file limit (a long mission's log is
 * large), and far more nesting than the format's five levels.
 */
export const BUNDLE_JSON_LIMITS = { maxBytes: 2 * 1024 * 1024 * 1024 - 1, maxDepth: 16 } as const;

const Pem = z.string().max(64 * 1024);

export const AuditBundle = z.strictObject({
  format: z.enum([BUNDLE_FORMAT, BUNDLE_FORMAT_V1]),
  log: MeshCode,
  exportedAt: z.iso.datetime({ offset: true }),
  /** Readable copies of what the export statement signs; verification refuses any difference. */
  filter: ExportFilter,
  /** True when `entries` is the whole log up to the head checkpoint. */
  complete: z.boolean(),
  /** The authority's signed export statement (a DSSE envelope); absent only in the old format. */
  statement: z.unknown().optional(),
  anchor: Pem,
  certificates: z.array(Pem).max(100),
  checkpoints: z.array(z.unknown()).max(10_000_000),
  consistency: z.array(z.strictObject({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative(), proof: z.array(Sha256Hex).max(128) })),
  entries: z.array(z.strictObject({ seq: z.number().int().nonnegative(), text: z.string(), proof: z.array(Sha256Hex).max(128).optional() })),
  cosignatures: z.array(z.unknown()).max(100_000),
  /** Each witness's trust anchor and CA certificates: what its cosignatures are checked against. */
  witnesses: z.array(z.strictObject({ mesh: MeshCode, anchor: Pem, certificates: z.array(Pem).max(100) })).max(1_000).optional(),
});
export type AuditBundle = z.infer<typeof AuditBundle>;

export interface BundleReport {
  readonly log: string | null;
  /** SHA-256 of the trust anchor the bundle carries: compare it with the partner's card. */
  readonly anchor: string | null;
  readonly complete: boolean;
  readonly entries: number;
  readonly checkpoints: number;
  readonly head: CheckpointBody | null;
  /** What the signed export statement says, once it verified: the export time, the filter, and the checkpoint the bundle is complete up to. */
  readonly exportedAt: string | null;
  readonly filter: ExportFilter | null;
  readonly completeUpTo: (CheckpointBody & { readonly id: string }) | null;
  /** The selected entries, and whether they are proven to be the whole selection the statement signs (no failures). */
  readonly selection: { readonly entries: number; readonly proven: boolean };
  /** The partners whose cosignatures verified, with the SHA-256 of the anchor each was checked against: compare them with their cards. */
  readonly witnesses: readonly { readonly mesh: string; readonly anchor: string; readonly cosignatures: number }[];
  readonly failures: readonly LogFailure[];
}

const failed = (failure: LogFailure): BundleReport => ({
  log: null,
  anchor: null,
  complete: false,
  entries: 0,
  checkpoints: 0,
  head: null,
  exportedAt: null,
  filter: null,
  completeUpTo: null,
  selection: { entries: 0, proven: false },
  witnesses: [],
  failures: [failure],
});

/**
 * Signs what an exporter built: the statement's digests are computed from the bundle itself, by
 * the functions the verifier recomputes them with. `head` is the checkpoint the entries were
 * selected up to; the exporter must have selected every matching entry below its size.
 */
export function signBundle(
  unsigned: Omit<AuditBundle, 'format' | 'statement'>,
  head: { readonly size: number; readonly root: string; readonly id: string },
  signer: { readonly certificateSha256: string; readonly key: KeyObject },
): AuditBundle {
  const filter = Object.fromEntries(Object.entries(unsigned.filter).filter(([, value]) => value !== undefined));
  const statement = signExportStatement(
    {
      v: 1,
      log: unsigned.log,
      exportedAt: unsigned.exportedAt,
      filter,
      checkpoint: { size: head.size, root: head.root, id: head.id },
      selection: selectionDigest(unsigned.entries),
      checkpoints: envelopeSetDigest('checkpoints', unsigned.checkpoints),
      cosignatures: envelopeSetDigest('cosignatures', unsigned.cosignatures),
      signer: signer.certificateSha256,
    },
    signer.key,
  );
  return { format: BUNDLE_FORMAT, ...unsigned, filter, statement };
}

/** A mesh changes its trust anchor rarely: more anchors than this for one witness is not an honest export. */
const MAX_ANCHORS_PER_WITNESS = 4;

/**
 * Verifies a bundle's text. `pinnedAnchor`, when given, is the SHA-256 the reviewer trusts (from
 * the partner's card); without it the report names the anchor the bundle brought.
 */
export function verifyBundle(text: string, pinnedAnchor?: string): BundleReport {
  let value: unknown;
  try {
    // Strict: with a repeated key JSON.parse keeps the last value, so a reviewer could verify
    // one bundle while another tool reads a different one from the same file.
    value = readStrictJson(text, BUNDLE_JSON_LIMITS);
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    return failed({ reason: 'malformed-bundle', message: `The bundle is not usable JSON (truncated, damaged or ambiguous): ${error.message}` });
  }
  const parsed = AuditBundle.safeParse(value);
  if (!parsed.success) return failed({ reason: 'malformed-bundle', message: `The bundle is malformed: ${describeIssues(parsed.error, 'bundle')}.` });
  const bundle = parsed.data;

  let anchor: ParsedCertificate;
  try {
    anchor = readStrictly(bundle.anchor);
  } catch {
    return failed({ reason: 'bad-certificate', message: 'The bundle’s trust anchor is not a readable certificate.' });
  }
  const anchorSha = anchor.sha256;
  const failures: LogFailure[] = [];
  if (pinnedAnchor !== undefined && pinnedAnchor !== anchorSha) {
    failures.push({ reason: 'anchor-mismatch', message: `The bundle’s trust anchor is ${anchorSha}, not the ${pinnedAnchor} you trust.` });
  }
  failures.push(...certificatesThatDoNotChain(anchor, bundle.certificates));
  const keys = authorityKeys(bundle.anchor, bundle.certificates);

  const report = bundle.complete
    ? verifyLog(bundle.log, bundle.entries.map((e) => ({ seq: e.seq, id: leafHash(Buffer.from(e.text, 'utf8')).toString('hex'), text: e.text })), bundle.checkpoints, keys)
    : verifyLog(bundle.log, [], bundle.checkpoints, keys);
  // A filtered export holds no prefix to recompute: "entries missing" at each checkpoint is expected there.
  failures.push(...report.failures.filter((f) => bundle.complete || !['entries-missing', 'root-mismatch'].includes(f.reason)));

  const head = report.head;
  failures.push(...checkConsistency(bundle, keys));
  const stated = checkExportStatement(bundle, keys);
  failures.push(...stated.failures);
  // Filtered entries are proven in the checkpoint the statement signs completeness up to (the head, in an honest bundle).
  const target = stated.checkpoint ?? head;
  if (!bundle.complete && !target && bundle.entries.length > 0) {
    failures.push({ reason: 'no-checkpoint', message: 'The bundle holds entries but no checkpoint that verifies.' });
  } else if (!bundle.complete && target) {
    for (const entry of bundle.entries) {
      const read = readEntryText(entry.text);
      if (!read.ok || read.entry.seq !== entry.seq || read.entry.log !== bundle.log) {
        failures.push({ reason: 'malformed-entry', seq: entry.seq, message: `Entry ${entry.seq} cannot be read as entry ${entry.seq} of ${bundle.log}${read.ok ? '' : `: ${read.message}`}.` });
        continue;
      }
      const proof = (entry.proof ?? []).map((h) => Buffer.from(h, 'hex'));
      if (!verifyInclusion(leafHash(Buffer.from(entry.text, 'utf8')), entry.seq, target.size, proof, Buffer.from(target.root, 'hex'))) {
        failures.push({ reason: 'not-in-log', seq: entry.seq, message: `Entry ${entry.seq} is not in the log the head checkpoint signs: it, or its proof, was changed.` });
      } else if (stated.statement && !matchesExportFilter(read.entry, stated.statement.filter)) {
        failures.push({ reason: 'outside-filter', seq: entry.seq, message: `Entry ${entry.seq} does not match the signed filter: the bundle is not the selection it says.` });
      }
    }
  }
  const cosigned = checkCosignatures(bundle);
  failures.push(...cosigned.failures);
  return {
    log: bundle.log,
    anchor: anchorSha,
    complete: bundle.complete,
    entries: bundle.entries.length,
    checkpoints: report.checkpoints,
    head,
    exportedAt: stated.statement?.exportedAt ?? null,
    filter: stated.statement?.filter ?? null,
    completeUpTo: stated.checkpoint,
    selection: { entries: bundle.entries.length, proven: failures.length === 0 },
    witnesses: cosigned.witnesses,
    failures,
  };
}

/**
 * A bundle's text is evidence, so each certificate in it must be exactly a certificate: node's
 * reader refuses text glued to the END line, which ours (lenient around blocks, as RFC 7468 §2
 * asks of a chain file) would let through.
 */
function readStrictly(pem: string): ParsedCertificate {
  new X509Certificate(pem);
  return parseCertificate(pem);
}

function readsStrictly(pem: string): boolean {
  try {
    readStrictly(pem);
    return true;
  } catch {
    return false;
  }
}

/**
 * Each certificate the bundle carries must be a CA that chains to its anchor through the others
 * (an issuing CA may sit several levels below a national root, its intermediates beside it).
 */
function certificatesThatDoNotChain(anchor: ParsedCertificate, pems: readonly string[]): LogFailure[] {
  const failures: LogFailure[] = [];
  const read: { index: number; certificate: ParsedCertificate }[] = [];
  for (const [index, pem] of pems.entries()) {
    try {
      read.push({ index, certificate: readStrictly(pem) });
    } catch {
      failures.push({ reason: 'bad-certificate', message: `Certificate ${index + 1} of the bundle is not a readable certificate.` });
    }
  }
  const paths = caPaths(anchor, read.map(({ certificate }) => certificate));
  for (const { index, certificate } of read) {
    const path = paths.pathOf(certificate);
    if (!path.ok) failures.push({ reason: 'certificate-does-not-chain', message: `Certificate ${index + 1} (${certificate.subject}) does not chain to the bundle’s trust anchor: ${path.message}` });
  }
  return failures;
}

/** Every signed checkpoint must extend the one before it: a rewritten history shows here. */
function checkConsistency(bundle: AuditBundle, keys: ReturnType<typeof authorityKeys>): LogFailure[] {
  const roots = new Map<number, string>();
  for (const envelope of bundle.checkpoints) {
    const read = readCheckpoint(envelope);
    if (!read.ok) continue;
    const key = keys(read.value.body.signer, new Date(read.value.body.time));
    if (key.ok) roots.set(read.value.body.size, read.value.body.root);
  }
  const sizes = [...roots.keys()].sort((a, b) => a - b);
  // Looked up, not searched: a bundle may hold millions of checkpoints and proofs.
  const steps = new Map<string, AuditBundle['consistency'][number]>();
  for (const step of bundle.consistency) if (!steps.has(`${step.from} ${step.to}`)) steps.set(`${step.from} ${step.to}`, step);
  const failures: LogFailure[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const from = sizes[i - 1]!;
    const to = sizes[i]!;
    const step = steps.get(`${from} ${to}`);
    const ok = step && verifyConsistency(from, to, Buffer.from(roots.get(from)!, 'hex'), Buffer.from(roots.get(to)!, 'hex'), step.proof.map((h) => Buffer.from(h, 'hex')));
    if (!ok) failures.push({ reason: 'inconsistent-checkpoints', size: to, message: `The checkpoint at size ${to} does not provably extend the one at size ${from}${step ? '' : ' (no proof given)'}.` });
  }
  return failures;
}

/**
 * Cosignatures partners gave must be well formed, name a checkpoint the bundle carries (size,
 * root and payload digest), and be signed by their witness's authority as the witness's own
 * certificates in the bundle say. Which anchor each witness was checked against is reported:
 * only the partner's card can say whether it is the right one.
 */
function checkCosignatures(bundle: AuditBundle): { failures: LogFailure[]; witnesses: BundleReport['witnesses'] } {
  // By id (the SHA-256 of the payload): each cosignature names one, and there may be millions.
  const checkpoints = new Map<string, CheckpointBody>();
  for (const envelope of bundle.checkpoints) {
    const read = readCheckpoint(envelope);
    if (read.ok) checkpoints.set(read.value.id, read.value.body);
  }
  const failures: LogFailure[] = [];
  // Each cosignature is tried against every anchor its witness brings: a few per witness keep
  // that linear (a thousand copies of one witness would make a hostile bundle take hours).
  const anchorsPerWitness = new Map<string, number>();
  const trusted = (bundle.witnesses ?? []).flatMap((witness) => {
    const count = (anchorsPerWitness.get(witness.mesh) ?? 0) + 1;
    anchorsPerWitness.set(witness.mesh, count);
    if (count > MAX_ANCHORS_PER_WITNESS) {
      if (count === MAX_ANCHORS_PER_WITNESS + 1) failures.push({ reason: 'malformed-bundle', message: `The bundle carries more than ${MAX_ANCHORS_PER_WITNESS} trust anchors for witness ${witness.mesh}; the rest are ignored.` });
      return [];
    }
    try {
      return [{ mesh: witness.mesh, anchor: readStrictly(witness.anchor).sha256, keys: authorityKeys(witness.anchor, witness.certificates.filter(readsStrictly)), cosignatures: 0 }];
    } catch {
      failures.push({ reason: 'bad-certificate', message: `The trust anchor the bundle carries for witness ${witness.mesh} is not a readable certificate.` });
      return [];
    }
  });
  for (const [index, candidate] of bundle.cosignatures.entries()) {
    const read = readCosignature(candidate);
    if (!read.ok) {
      failures.push({ reason: read.reason, message: `Cosignature ${index + 1}: ${read.message}` });
      continue;
    }
    const { body } = read.value;
    const named = checkpoints.get(body.checkpoint);
    if (!named || named.size !== body.size || named.root !== body.root || named.log !== body.log) {
      failures.push({ reason: 'unknown-checkpoint', size: body.size, message: `Cosignature ${index + 1} by ${body.witness} names no checkpoint this bundle carries.` });
      continue;
    }
    const candidates = trusted.filter((w) => w.mesh === body.witness);
    if (candidates.length === 0) {
      failures.push({ reason: 'unverifiable-cosignature', size: body.size, message: `Cosignature ${index + 1} by ${body.witness} cannot be checked: the bundle carries no certificates of ${body.witness}.` });
      continue;
    }
    const signer = candidates.find((w) => {
      const key = w.keys(body.signer, new Date(body.time));
      return key.ok && cosignatureSignedBy(read.value, key.publicKey);
    });
    if (signer) signer.cosignatures += 1;
    else failures.push({ reason: 'bad-cosignature', size: body.size, message: `Cosignature ${index + 1} is not signed by the authority of ${body.witness} as its certificates in the bundle say: it was changed, or another key signed it.` });
  }
  return { failures, witnesses: trusted.filter((w) => w.cosignatures > 0).map(({ mesh, anchor, cosignatures }) => ({ mesh, anchor, cosignatures })) };
}
