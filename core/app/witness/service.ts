/**
 * The witness part as the shells see it: this mesh's trust for partners, presenting its head,
 * witnessing a partner's head, and keeping the cosignatures partners give.
 */
import type { Cosignature } from '../../audit/checkpoint.js';
import type { PeerTrust, WitnessResult } from '../../audit/witness.js';
import type { AppContext } from '../context/operation.js';
import { acceptCosignature, lastSeenOf, meshTrust, presentHead, witnessPeer, type PresentedHead } from './witness-service.js';

export interface WitnessService {
  trust(): PeerTrust;
  /** Sender side: the latest checkpoint with a consistency proof from `sinceSize`. */
  presentHead(sinceSize: number | null): PresentedHead;
  /** What this witness last accepted from `peer`. */
  lastSeenOf(peer: string): { size: number; root: string } | null;
  /** Witness side: judges and records the presented head; on success, cosigns it. */
  witness(peer: PeerTrust, presented: PresentedHead): Promise<WitnessResult>;
  /** Sender side: keeps a partner's cosignature once it verifies. */
  acceptCosignature(witness: PeerTrust, candidate: unknown): Cosignature;
}

export function createWitnessService(context: AppContext): WitnessService {
  return {
    trust: () => meshTrust(context.reading()),
    presentHead: (sinceSize) => presentHead(context.reading(), sinceSize),
    lastSeenOf: (peer) => lastSeenOf(context.reading(), peer),
    witness: (peer, presented) => witnessPeer(context.writing(), peer, presented),
    acceptCosignature: (witness, candidate) => acceptCosignature(context.writing(), witness, candidate),
  };
}
