/**
 * Witnessing between two meshes' logs, over their stores: the sender presents its head and a
 * consistency proof from what the witness last saw; the witness checks, records the outcome
 * in its own log (a cosigned head, or an integrity event naming the failure) and returns a
 * cosignature; the sender keeps cosignatures beside its checkpoints. Bundles and live links
 * (a later issue) carry exactly these three messages.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { authorityKeys } from '../../audit/authority-key.js';
import { cosignatureSignedBy, readCosignature, type Cosignature } from '../../audit/checkpoint.js';
import { consistencyProof, leafHash } from '../../audit/tree.js';
import { witnessCheckpoint, type PeerTrust, type WitnessResult } from '../../audit/witness.js';
import { canonicalize } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';
import { insertCosignature, insertWitnessCertificates, iterateAuditEntries, latestCheckpoint, readPeerHead, writePeerHead } from '../../store/audit-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';

/** This mesh as a partner must know it to judge its checkpoints (the trust part of its card). */
export function meshTrust(op: ReadOperation): PeerTrust {
  const { mesh, anchorPem, caPems } = op.mesh();
  return { mesh: mesh.code, anchorPem, caPems: [...caPems] };
}

export interface PresentedHead {
  readonly checkpoint: unknown;
  readonly proof: readonly string[];
}

/** Sender side: the latest checkpoint and a consistency proof from `sinceSize` (what the witness saw). */
export function presentHead(op: ReadOperation, sinceSize: number | null): PresentedHead {
  const db = op.read;
  const { mesh } = op.mesh();
  const head = latestCheckpoint(db, mesh.code);
  if (!head) throw new Refused('no-checkpoint', `The log of ${mesh.code} has no signed checkpoint to present.`);
  const checkpoint = JSON.parse(head.envelope) as unknown;
  // A witness that saw more than we hold gets no proof: it will name the rewind itself.
  if (sinceSize === null || sinceSize > head.size) return { checkpoint, proof: [] };
  const leaves: Buffer[] = [];
  for (const { text } of iterateAuditEntries(db, mesh.code, head.size)) leaves.push(leafHash(Buffer.from(text, 'utf8')));
  return { checkpoint, proof: consistencyProof((i) => leaves[i]!, sinceSize, head.size).map((h) => h.toString('hex')) };
}

const certificateSha = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

/** What this witness last accepted from `peer`, to ask the sender for a proof from there. */
export function lastSeenOf(op: ReadOperation, peer: string): { size: number; root: string } | null {
  const row = readPeerHead(op.read, peer);
  return row ? { size: row.size, root: row.root } : null;
}

/**
 * Witness side: judges the presented head, records the outcome in this mesh's log, and on
 * success remembers the head and returns the cosignature. A partner's anchor is pinned the
 * first time; a different one later is refused, never silently adopted.
 */
export async function witnessPeer(op: Operation, peer: PeerTrust, presented: PresentedHead): Promise<WitnessResult> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.wall();
  if (peer.mesh === mesh.code) throw new Refused('same-mesh', `Mesh ${mesh.code} cannot witness its own log.`);
  const pinned = readPeerHead(db, peer.mesh);
  const anchor = certificateSha(peer.anchorPem);
  if (pinned && pinned.anchor !== anchor) {
    throw new Refused('anchor-changed', `Partner ${peer.mesh} was witnessed under trust anchor ${pinned.anchor.slice(0, 16)}…, not ${anchor.slice(0, 16)}…; a new anchor needs a new card and a federation decision.`);
  }
  const log = await op.log();
  const { signer } = log;
  const result = witnessCheckpoint({
    peer,
    lastSeen: pinned ? { size: pinned.size, root: pinned.root } : null,
    checkpoint: presented.checkpoint,
    proof: presented.proof,
    witness: { mesh: mesh.code, signer: signer.certificateSha256, key: signer.key },
    now,
  });
  db.transaction(() => {
    const checkpointIds = result.checkpoint ? [result.checkpoint.id] : [];
    const detail: Record<string, string | number> = result.checkpoint ? { peer: peer.mesh, size: result.checkpoint.body.size, root: result.checkpoint.body.root } : { peer: peer.mesh };
    log.append(
      [
        result.ok
          ? { type: 'witness', who: authorityActor(mesh), what: { ids: checkpointIds, detail }, why: { reasons: ['consistent'], text: `Cosigned the checkpoint of ${peer.mesh}.` } }
          : { type: 'integrity', who: authorityActor(mesh), what: { ids: checkpointIds, detail }, why: { reasons: [result.reason], text: result.message.slice(0, 1000) } },
      ],
      now,
    );
    if (result.ok) {
      writePeerHead(db, {
        peer: peer.mesh,
        anchor,
        size: result.checkpoint.body.size,
        root: result.checkpoint.body.root,
        envelope: canonicalize(result.checkpoint.envelope),
        seenAt: now.toISOString(),
      });
    }
  })();
  return result;
}

/** Sender side: keeps a partner's cosignature once it verifies against that partner's anchor and names a checkpoint we signed. */
export function acceptCosignature(op: Operation, witness: PeerTrust, candidate: unknown): Cosignature {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.wall();
  const read = readCosignature(candidate);
  if (!read.ok) throw new Refused(read.reason, read.message);
  const { body } = read.value;
  const key = authorityKeys(witness.anchorPem, witness.caPems)(body.signer, new Date(body.time));
  if (body.witness !== witness.mesh || !key.ok || !cosignatureSignedBy(read.value, key.publicKey)) {
    throw new Refused('bad-cosignature', `The cosignature is not signed by the authority of ${witness.mesh}.`);
  }
  const head = latestCheckpoint(db, mesh.code);
  if (body.log !== mesh.code || !head || head.size < body.size) throw new Refused('bad-cosignature', 'The cosignature names no checkpoint of this log.');
  // The witness's anchor and CAs are kept with it, so an export can carry what checks it.
  const anchor = certificateSha(witness.anchorPem);
  const certificates = [witness.anchorPem, ...witness.caPems].flatMap((pem) => {
    try {
      return [{ sha256: certificateSha(pem), pem }];
    } catch {
      return [];
    }
  });
  db.transaction(() => {
    insertCosignature(db, { log: mesh.code, size: body.size, witness: witness.mesh, envelope: canonicalize(read.value.envelope), storedAt: now.toISOString() });
    insertWitnessCertificates(db, witness.mesh, anchor, certificates);
  })();
  return read.value;
}
