/**
 * Verifying a governed observation (docs/decisions/0002, "Verification"): its shape, its
 * integrity (the device signature, or the inclusion proof and the batch signature) and the
 * device's credential as the caller's check judges it (chain to the mesh's trust anchor, valid
 * at the observation's time and at admission, device key usage, not revoked). Every failure
 * has a named reason. The credential check lives outside this library (core/credentials).
 *
 * Cost per record: one shape check (quick for the usual record), one canonicalization, one SHA-256, the credential check,
 * and one signature check — except in a batch, whose signature is checked once (per root,
 * device certificate and signature) and remembered by this verifier.
 */
import type { KeyObject } from 'node:crypto';
import { CANONICAL_MAX_DEPTH, CanonicalizationError } from '../canonical/jcs.js';
import { isNestedDeeperThan } from '../canonical/quick-shape.js';
import { InclusionMemo } from '../crypto/merkle.js';
import { batchStatement, inBatch } from './batch.js';
import { idOfBytes, signedText } from './canonical-form.js';
import { hasPlainShape, signedTextOfPlain } from './plain-shape.js';
import { describeIssues } from '../common/atoms.js';
import { GovernedObservation, type BatchIntegrity } from './record.js';
import { verifyBytes } from '../crypto/signatures.js';

/** What the credential check is asked about: the record's credential claims and the two moments. */
export interface CredentialQuery {
  readonly mesh: string;
  readonly deviceId: string;
  /** SHA-256 (lowercase hex) of the device certificate's DER: record.device.certificate. */
  readonly certificate: string;
  /** SHA-256 of the mesh root (trust anchor) and of the issuing CA certificates, as the record claims them. */
  readonly anchor: string;
  readonly issuer: string;
  /** The observation's time (record.time.wall): the certificate must have been valid then ... */
  readonly observedAt: Date;
  /** ... and at admission, when the record is (or was) admitted. */
  readonly admittedAt: Date;
}

export type CredentialResult =
  | { readonly ok: true; readonly publicKey: KeyObject }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/**
 * Judges the attesting device's credential and returns its public key. Called once per record,
 * so it must be cheap: cache certificates, chain results and KeyObjects by fingerprint (a
 * KeyObject is never re-parsed here; the batch-signature cache also assumes one certificate
 * always yields the same key). `record` is the validated record; new code should read `query`.
 */
export type CredentialCheck = (record: GovernedObservation, admittedAt: Date, query: CredentialQuery) => CredentialResult;

/** An optional check of the label beyond its shape, e.g. against the originating mesh's policy. */
export type LabelCheck = (label: GovernedObservation['label'], record: GovernedObservation) => { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly message: string };

/** This library's reasons; a credential or label check adds its own. */
export type VerifyReason = 'malformed-record' | 'bad-signature' | 'bad-inclusion-proof' | 'bad-batch-signature';

export type VerifyResult =
  | { readonly ok: true; readonly id: string; readonly record: GovernedObservation }
  | { readonly ok: false; readonly id?: string; readonly reason: VerifyReason | (string & {}); readonly message: string };

export interface VerifierOptions {
  readonly checkLabel?: LabelCheck;
  /** Batch signature results remembered (good and bad), oldest forgotten first. Default 4096. */
  readonly batchCacheSize?: number;
}

/** Batches whose proven inclusion paths a verifier keeps (each holds about two entries per leaf). */
const INCLUSION_MEMOS = 8;

/** Counters for tests and benches. */
export interface VerifierStats {
  /** Records checked. */
  verified: number;
  /** Per-record device signatures checked. */
  signatureChecks: number;
  /** Batch signatures checked (cache misses). */
  batchSignatureChecks: number;
  /** Batch records whose batch signature result came from the cache. */
  batchCacheHits: number;
}

/**
 * Verifies records one by one; keep one verifier per pass (or per peer) so batch signatures are
 * checked once. Never throws for a bad record; an exception from the credential or label check
 * propagates.
 *
 * @example
 *   const verifier = new ObservationVerifier((record, admittedAt, query) => credentials.deviceKey(query));
 *   const result = verifier.verify(readStrictJson(text));
 *   if (!result.ok) refuse(result.reason, result.message);
 */
export class ObservationVerifier {
  readonly stats: VerifierStats = { verified: 0, signatureChecks: 0, batchSignatureChecks: 0, batchCacheHits: 0 };
  private readonly batches = new Map<string, boolean>();
  private lastBatch: { certificate: string; alg: string; sig: string; mesh: string; device: string; root: string; size: number; good: boolean } | undefined;
  /** Proven inclusion paths per batch (root and size), so a batch's records share their hashing. */
  private readonly inclusionMemos = new Map<string, InclusionMemo>();
  private readonly batchCacheSize: number;

  constructor(
    private readonly credentialCheck: CredentialCheck,
    private readonly options: VerifierOptions = {},
  ) {
    this.batchCacheSize = Math.max(1, options.batchCacheSize ?? 4096);
  }

  /**
   * `known`, when the caller has already found the candidate plain (hasPlainShape) and written
   * its signed text (signedTextOfPlain) — a bundle's judge does, to name the item first — spares
   * doing both twice. It must be exactly that text: it is what the signature is checked over.
   * `signatureVerified`, when given, is the device signature's check over that text with the key
   * of the certificate the record names, done elsewhere (a worker thread): it stands in for that
   * one check, at its place in the order; every other check still runs here. `id`, when given, is
   * the SHA-256 of that text (idOfBytes), already taken; with it and `signatureVerified`, a
   * signature-attested record's text need not be written here at all (the worker wrote it).
   */
  verify(candidate: unknown, admittedAt: Date = new Date(), known?: { readonly plainSignedText?: string; readonly id?: string; readonly signatureVerified?: boolean }): VerifyResult {
    this.stats.verified += 1;
    // The quick check answers for the usual record; only an unusual one pays for the schema.
    const plain = known !== undefined || hasPlainShape(candidate);
    if (!plain) {
      // The schema is recursive: a value nested absurdly deep would overflow its stack, so it is refused first.
      if (isNestedDeeperThan(candidate, CANONICAL_MAX_DEPTH)) {
        return { ok: false, reason: 'malformed-record', message: `The record is malformed: it nests deeper than ${CANONICAL_MAX_DEPTH} levels.` };
      }
      const parsed = GovernedObservation.safeParse(candidate);
      if (!parsed.success) return { ok: false, reason: 'malformed-record', message: `The record is malformed: ${describeIssues(parsed.error)}.` };
    }
    // The candidate itself is canonicalized, not zod's copy of it: the bytes checked are the bytes received.
    const record = candidate as GovernedObservation;
    const observedAt = new Date(record.time.wall);
    if (Number.isNaN(observedAt.getTime())) return { ok: false, reason: 'malformed-record', message: 'The record is malformed: record.time.wall: not a real moment.' };

    const integrity = record.lineage.integrity;
    // The text is needed for the id, the inclusion proof and the signature check: unless all three are known, it is written.
    const needsText = known?.id === undefined || integrity.type === 'batch' || known.signatureVerified === undefined;
    let signed = known?.plainSignedText;
    try {
      if (signed === undefined && needsText) signed = plain ? signedTextOfPlain(record) : signedText(record);
    } catch (error) {
      if (error instanceof CanonicalizationError) return { ok: false, reason: 'malformed-record', message: `The record cannot be canonicalized: ${error.message}` };
      throw error;
    }
    const id = known?.id ?? idOfBytes(signed!);

    // The inclusion proof needs no key: check it before asking about credentials.
    if (integrity.type === 'batch' && !inBatch(signed!, integrity, this.inclusionMemoFor(integrity))) {
      return { ok: false, id, reason: 'bad-inclusion-proof', message: `Record ${id.slice(0, 16)}… is not leaf ${integrity.index} of the batch its proof names: it, or the proof, was changed after the batch was signed.` };
    }

    if (this.options.checkLabel) {
      const label = this.options.checkLabel(record.label, record);
      if (!label.ok) return { ok: false, id, reason: label.reason, message: label.message };
    }

    const query: CredentialQuery = {
      mesh: record.mesh,
      deviceId: record.device.id,
      certificate: record.device.certificate,
      anchor: record.authority.anchor,
      issuer: record.authority.issuer,
      observedAt,
      admittedAt,
    };
    const credential = this.credentialCheck(record, admittedAt, query);
    if (!credential.ok) return { ok: false, id, reason: credential.reason, message: credential.message };

    if (integrity.type === 'signature') {
      this.stats.signatureChecks += 1;
      if (!(known?.signatureVerified ?? verifyBytes(Buffer.from(signed!, 'utf8'), integrity.alg, integrity.sig, credential.publicKey))) {
        return { ok: false, id, reason: 'bad-signature', message: `The device signature does not match record ${id.slice(0, 16)}…: its payload, label or lineage were changed, or another key signed it.` };
      }
      return { ok: true, id, record };
    }

    const good = this.batchSignatureVerdict(record, integrity, credential.publicKey);
    if (!good) {
      return { ok: false, id, reason: 'bad-batch-signature', message: `The signature over batch ${integrity.root.slice(0, 16)}… does not verify with the key of device ${record.device.id}.` };
    }
    return { ok: true, id, record };
  }

  /** The batch signature's verdict, checked once per batch and remembered (good and bad). */
  private batchSignatureVerdict(record: GovernedObservation, integrity: BatchIntegrity, publicKey: KeyObject): boolean {
    // The records of a batch usually come one after another: compare with the last one first,
    // field by field, before building the key of the larger cache.
    const last = this.lastBatch;
    if (last && last.sig === integrity.sig && last.root === integrity.root && last.size === integrity.size && last.alg === integrity.alg && last.certificate === record.device.certificate && last.mesh === record.mesh && last.device === record.device.id) {
      this.stats.batchCacheHits += 1;
      return last.good;
    }
    // Everything the batch statement and its signature depend on, and the key's certificate.
    const batchKey = `${record.device.certificate} ${integrity.alg} ${integrity.sig} ${record.mesh} ${record.device.id} ${integrity.root} ${integrity.size}`;
    let good = this.batches.get(batchKey);
    if (good === undefined) {
      this.stats.batchSignatureChecks += 1;
      good = verifyBytes(batchStatement(record.mesh, record.device.id, integrity.root, integrity.size), integrity.alg, integrity.sig, publicKey);
      if (this.batches.size >= this.batchCacheSize) this.batches.delete(this.batches.keys().next().value!);
      this.batches.set(batchKey, good);
    } else {
      this.stats.batchCacheHits += 1;
    }
    this.lastBatch = { certificate: record.device.certificate, alg: integrity.alg, sig: integrity.sig, mesh: record.mesh, device: record.device.id, root: integrity.root, size: integrity.size, good };
    return good;
  }

  private inclusionMemoFor(integrity: BatchIntegrity): InclusionMemo {
    const key = `${integrity.root} ${integrity.size}`;
    let memo = this.inclusionMemos.get(key);
    if (!memo) {
      // A few batches at a time: records of one batch are usually stored, and read, together.
      if (this.inclusionMemos.size >= INCLUSION_MEMOS) this.inclusionMemos.delete(this.inclusionMemos.keys().next().value!);
      memo = new InclusionMemo(integrity.root, integrity.size);
      this.inclusionMemos.set(key, memo);
    }
    return memo;
  }
}
