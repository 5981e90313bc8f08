/**
 * Partners witnessing each other's logs (the C2SP tlog-witness idea): the sender presents its
 * latest checkpoint and a consistency proof from the last checkpoint this witness saw of it;
 * the witness checks the signature against the partner's own trust anchor and the proof, and
 * only then cosigns. A log that rewinds, or shows this witness a history that does not extend
 * what it saw before (a split view), is caught here and never cosigned.
 */
import type { KeyObject } from 'node:crypto';
import { authorityKeys } from './authority-key.js';
import { checkpointSignedBy, cosign, readCheckpoint, type Checkpoint, type Cosignature } from './checkpoint.js';
import { verifyConsistency } from './tree.js';

export interface PeerTrust {
  readonly mesh: string;
  readonly anchorPem: string;
  readonly caPems: readonly string[];
}

export interface WitnessRequest {
  readonly peer: PeerTrust;
  /** The last checkpoint of this peer the witness accepted, if any. */
  readonly lastSeen: { readonly size: number; readonly root: string } | null;
  readonly checkpoint: unknown;
  /** Consistency proof from lastSeen.size to the checkpoint's size (lowercase hex). */
  readonly proof: readonly string[];
  readonly witness: { readonly mesh: string; readonly signer: string; readonly key: KeyObject };
  readonly now: Date;
}

export type WitnessResult =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly cosignature: Cosignature }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly checkpoint?: Checkpoint };

export function witnessCheckpoint(request: WitnessRequest): WitnessResult {
  const read = readCheckpoint(request.checkpoint);
  if (!read.ok) return read;
  const checkpoint = read.value;
  const { body } = checkpoint;
  if (body.log !== request.peer.mesh) return { ok: false, reason: 'foreign-checkpoint', message: `The checkpoint is of log ${body.log}, not of partner ${request.peer.mesh}.` };
  const key = authorityKeys(request.peer.anchorPem, request.peer.caPems)(body.signer, new Date(body.time));
  if (!key.ok) return { ok: false, reason: key.reason, message: `The checkpoint of ${body.log} is not signed under its trust anchor: ${key.message}` };
  if (!checkpointSignedBy(checkpoint, key.publicKey)) return { ok: false, reason: 'bad-checkpoint-signature', message: `The checkpoint of ${body.log} at size ${body.size} is not signed by its mesh authority.` };

  const last = request.lastSeen;
  if (last) {
    if (body.size < last.size) {
      return { ok: false, checkpoint, reason: 'rewound-log', message: `${body.log} now shows ${body.size} entries, fewer than the ${last.size} it showed before: its log was rewound.` };
    }
    const proof = request.proof.map((h) => Buffer.from(h, 'hex'));
    if (!verifyConsistency(last.size, body.size, Buffer.from(last.root, 'hex'), Buffer.from(body.root, 'hex'), proof)) {
      return {
        ok: false,
        checkpoint,
        reason: 'split-view',
        message: `${body.log}'s checkpoint at size ${body.size} does not extend the one at size ${last.size} seen before: its log shows different histories.`,
      };
    }
  }
  return { ok: true, checkpoint, cosignature: cosign(checkpoint, request.witness, request.now) };
}
