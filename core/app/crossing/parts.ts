/**
 * What the crossing pipeline asks of the parts beside it — the agents (the hello), the taxonomy
 * (translation, attestations), integrity (events, taint, tombstones, partner CRLs) and the bundle
 * format — gathered in one place, so the pipeline reads as the order of the decision record and
 * a test can see every seam.
 */
import type { KeyObject } from 'node:crypto';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import type { GovernedObservation } from '../../observation/index.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import type { TranslationVerdict } from './judge.js';

/** A bundle file, readable more than once (each call a fresh stream from its start). */
export interface BundleSource {
  readonly name: string;
  open(): AsyncIterable<Buffer>;
}

export interface AgentSigner {
  readonly key: KeyObject;
  readonly keyid: string;
}

export type HelloVerdict =
  | {
      readonly ok: true;
      readonly agent: { readonly mesh: string; readonly id: string };
      readonly from: string;
      readonly federation: { readonly id: string; readonly version: number; readonly digest: string };
      readonly publicKey: KeyObject;
      readonly homeCertificateSha256: string;
      readonly nonce: string;
      readonly at: string;
    }
  | { readonly ok: false; readonly reason: string; readonly message: string };

export interface IntegrityEventDraft {
  readonly kind: string;
  readonly partner?: string;
  readonly federation?: string;
  readonly evidence: Record<string, unknown>;
  readonly message: string;
}

export interface CrossingParts {
  helloFor(op: Operation, request: { to: string; federation: string; agent?: string }): Promise<{ envelope: DsseEnvelope; signer: AgentSigner; agent: string }>;
  checkIncomingHello(op: Operation, envelope: unknown, now: Date): HelloVerdict;
  rememberNonce(op: Operation, nonce: string, digest: string): 'new' | 'same' | 'replayed';
  translatorFor(op: ReadOperation, request: { from: string; federation: string; now: Date }): (record: GovernedObservation) => TranslationVerdict;
  /** For export: a stored record's classification in the ceiling's policy (undefined when it has no translation there). */
  ceilingClassifier(op: ReadOperation, request: { federation: string; now: Date }): (origin: string, label: GovernedObservation['label'], ceilingPolicy: string) => string | undefined;
  attestationsFor(op: ReadOperation, federation: string): readonly DsseEnvelope[];
  admitPartnerAttestations(op: Operation, envelopes: readonly unknown[], now: Date): Promise<unknown> | unknown;
  applyPartnerCrl(op: Operation, partner: string, pem: string, now: Date): Promise<unknown> | unknown;
  ownCrls(op: ReadOperation): readonly string[];
  applyTaintNotice(op: Operation, notice: unknown, now: Date): Promise<unknown> | unknown;
  taintNoticesFor(op: ReadOperation, partner: string): readonly unknown[];
  recordIntegrityEvent(op: Operation, event: IntegrityEventDraft, now: Date): unknown;
  isPurged(op: ReadOperation, id: string): boolean;
  isTainted(op: ReadOperation, id: string): boolean;
  markTainted(op: Operation, id: string, cause: string, evidence: Record<string, unknown>, now: Date): void;
  compromisedSince(op: ReadOperation, certificateSha256: string): Date | undefined;
}
