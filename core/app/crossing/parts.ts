/**
 * What the crossing pipeline asks of the parts beside it — the agents (the hello), the taxonomy
 * (translation, attestations), integrity (events, taint, tombstones, partner CRLs) and the bundle
 * format — gathered in one place, so the pipeline reads as the order of the decision record and
 * a test can see every seam.
 */
import type { KeyObject } from 'node:crypto';
import type { HelloVerdict } from '../../boundary/hello.js';
import type { TaintNotice } from '../../boundary/taint-notice.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import type { LabelPolicy } from '../../labels/index.js';
import type { GovernedObservation } from '../../observation/index.js';
import type { Log } from '../context/log.js';
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

/** The agents part's verdict on a hello (core/boundary/hello.ts). */
export type { HelloVerdict };

export interface IntegrityEventDraft {
  readonly kind: string;
  readonly partner?: string;
  readonly federation?: string;
  /** The observations the event is about. */
  readonly ids?: readonly string[];
  readonly evidence: Record<string, string | number | boolean | null>;
  readonly message: string;
}

export interface CrossingParts {
  helloFor(op: Operation, request: { to: string; federation: string; agent?: string }): Promise<{ envelope: DsseEnvelope; signer: AgentSigner; agent: string }>;
  /** Judges the hello against this store; an accepted one's nonce is remembered for `bundle` (another bundle reusing it is `replayed-hello`). */
  checkIncomingHello(op: Operation, envelope: unknown, now: Date, bundle: string): HelloVerdict;
  translatorFor(op: ReadOperation, request: { from: string; federation: string; now: Date }): (record: GovernedObservation) => TranslationVerdict;
  /** For export: a stored record's classification in the ceiling's policy (undefined when it has no translation there). */
  ceilingClassifier(op: ReadOperation, request: { federation: string; now: Date }): (origin: string, label: GovernedObservation['label'], ceilingPolicy: LabelPolicy) => string | undefined;
  attestationsFor(op: ReadOperation, federation: string): readonly DsseEnvelope[];
  admitPartnerAttestations(op: Operation, envelopes: readonly unknown[], now: Date): Promise<unknown> | unknown;
  /** Applies a partner CRL the bundle carries; one its authority did not sign is refused (and recorded), not fatal. */
  applyPartnerCrl(op: Operation, partner: string, pem: string, now: Date): Promise<unknown> | unknown;
  ownCrls(op: ReadOperation): readonly string[];
  applyTaintNotice(op: Operation, notice: unknown, now: Date): Promise<unknown> | unknown;
  taintNoticesFor(op: ReadOperation, partner: string): readonly TaintNotice[];
  /** The policies a ceiling may be stated in under the federation: NATO, ours, the partners' from their cards. */
  policyOf(op: ReadOperation, federation: string, policyId: string): LabelPolicy | undefined;
  /** Records an integrity event (and its log entry) in the caller's transaction. */
  recordIntegrityEvent(op: Operation, log: Log, event: IntegrityEventDraft, now: Date): string;
  isPurged(op: ReadOperation, id: string): boolean;
  isTainted(op: ReadOperation, id: string): boolean;
  /** Marks a just-admitted observation tainted by its sources (in the caller's transaction). */
  markTainted(op: Operation, id: string, evidence: { readonly sources: readonly string[] }, now: Date): void;
}
