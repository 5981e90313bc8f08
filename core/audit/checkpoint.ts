/**
 * Signed checkpoints and cosignatures (the C2SP tlog-checkpoint and tlog-cosignature idea, in
 * DSSE envelopes): the mesh authority signs "log L had `size` entries with root R at time T";
 * a partner that checked this checkpoint is consistent with the last one it saw cosigns it.
 * A checkpoint is one small canonical JSON document, so a reviewer can read it by eye.
 */
import { hash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { DsseEnvelope, envelopeSignedBy, payloadOf, signEnvelope } from '../crypto/dsse.js';
import { describeIssues, MeshCode, Sha256Hex } from '../common/atoms.js';

export const CHECKPOINT_TYPE = 'application/vnd.entente.checkpoint+json';
export const COSIGNATURE_TYPE = 'application/vnd.entente.cosignature+json';

export const CheckpointBody = z.strictObject({
  v: z.literal(1),
  log: MeshCode,
  size: z.number().int().nonnegative(),
  root: Sha256Hex,
  time: z.iso.datetime({ offset: true }),
  /** SHA-256 of the certificate whose key signed (the mesh's issuing CA). */
  signer: Sha256Hex,
});
export type CheckpointBody = z.infer<typeof CheckpointBody>;

export const CosignatureBody = z.strictObject({
  v: z.literal(1),
  /** The checkpoint cosigned: its log, size and root, and the SHA-256 of its payload. */
  log: MeshCode,
  size: z.number().int().nonnegative(),
  root: Sha256Hex,
  checkpoint: Sha256Hex,
  /** The witnessing mesh and the certificate its authority signed with. */
  witness: MeshCode,
  signer: Sha256Hex,
  time: z.iso.datetime({ offset: true }),
});
export type CosignatureBody = z.infer<typeof CosignatureBody>;

export interface Checkpoint {
  readonly body: CheckpointBody;
  readonly envelope: DsseEnvelope;
  /** SHA-256 of the payload: names this checkpoint. */
  readonly id: string;
}

export function signCheckpoint(body: CheckpointBody, key: KeyObject): Checkpoint {
  const payload = Buffer.from(canonicalize(CheckpointBody.parse(body)), 'utf8');
  const envelope = signEnvelope(CHECKPOINT_TYPE, payload, [{ keyid: body.signer, key }]);
  return { body, envelope, id: hash('sha256', payload, 'hex') };
}

export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string; readonly message: string };

/** Reads a checkpoint envelope of unknown origin: shape and payload only, no signature yet. */
export function readCheckpoint(candidate: unknown): Reading<Checkpoint> {
  const body = readSigned(candidate, CHECKPOINT_TYPE, CheckpointBody, 'checkpoint');
  if (!body.ok) return body;
  return { ok: true, value: { body: body.value.body, envelope: body.value.envelope, id: body.value.id } };
}

/** Whether the checkpoint carries a signature by its named signer that verifies with `publicKey`. */
export function checkpointSignedBy(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  return envelopeSignedBy(checkpoint.envelope, checkpoint.body.signer, publicKey);
}

export interface Cosignature {
  readonly body: CosignatureBody;
  readonly envelope: DsseEnvelope;
}

export function cosign(checkpoint: Checkpoint, witness: { mesh: string; signer: string; key: KeyObject }, time: Date): Cosignature {
  const body: CosignatureBody = {
    v: 1,
    log: checkpoint.body.log,
    size: checkpoint.body.size,
    root: checkpoint.body.root,
    checkpoint: checkpoint.id,
    witness: witness.mesh,
    signer: witness.signer,
    time: time.toISOString(),
  };
  const payload = Buffer.from(canonicalize(CosignatureBody.parse(body)), 'utf8');
  return { body, envelope: signEnvelope(COSIGNATURE_TYPE, payload, [{ keyid: witness.signer, key: witness.key }]) };
}

export function readCosignature(candidate: unknown): Reading<Cosignature> {
  const read = readSigned(candidate, COSIGNATURE_TYPE, CosignatureBody, 'cosignature');
  return read.ok ? { ok: true, value: { body: read.value.body, envelope: read.value.envelope } } : read;
}

export function cosignatureSignedBy(cosignature: Cosignature, publicKey: KeyObject): boolean {
  return envelopeSignedBy(cosignature.envelope, cosignature.body.signer, publicKey);
}

/** Reads a DSSE envelope of unknown origin holding one canonical JSON document of `type` (no signature yet). */
export function readSigned<T>(candidate: unknown, type: string, schema: z.ZodType<T>, what: string): Reading<{ body: T; envelope: DsseEnvelope; id: string }> {
  const envelope = DsseEnvelope.safeParse(candidate);
  if (!envelope.success) return { ok: false, reason: `malformed-${what}`, message: `The ${what} envelope is malformed: ${describeIssues(envelope.error, what)}.` };
  if (envelope.data.payloadType !== type) return { ok: false, reason: `malformed-${what}`, message: `The envelope holds ${JSON.stringify(envelope.data.payloadType.slice(0, 64))}, not a ${what}.` };
  const payload = payloadOf(envelope.data);
  let value: unknown;
  try {
    // JSON.parse, not the strict reader: the canonical comparison below refuses a repeated key
    // (canonical text has none), and a bundle may carry millions of these.
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: `malformed-${what}`, message: `The ${what} payload is not JSON.` };
  }
  const body = schema.safeParse(value);
  if (!body.success) return { ok: false, reason: `malformed-${what}`, message: `The ${what} is malformed: ${describeIssues(body.error, what)}.` };
  // Signed bytes must be canonical, so one checkpoint has one id.
  if (canonicalize(body.data) !== payload.toString('utf8')) return { ok: false, reason: `malformed-${what}`, message: `The ${what} payload is not canonical JSON.` };
  return { ok: true, value: { body: body.data, envelope: envelope.data, id: hash('sha256', payload, 'hex') } };
}
