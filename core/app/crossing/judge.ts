/**
 * One item of a bundle, judged (docs/decisions/0005-crossing.md, "Admission"): exactly one
 * outcome, in the order — the record's own integrity and credential chain, then the
 * purge tombstones, the federation's scope, time window and releasability, the ceiling as
 * translated, and the translation itself. Nothing here writes: the block that holds the item
 * stores what the verdicts say, in one transaction.
 */
import { X509Certificate } from 'node:crypto';
import type { ChainVerifier } from '../../credentials/index.js';
import type { Declaration, ScopeRule } from '../../federation/declaration.js';
import { classificationRank, NATO_POLICY, type LabelPolicy } from '../../labels/index.js';
import { GovernedObservation, idOfBytes, ObservationVerifier, observationId, type CredentialCheck } from '../../observation/index.js';
import { signerRole } from '../../reconcile/decision.js';
import { hasPlainShape, textsOfPlain } from '../../observation/plain-shape.js';
import { BAD, GOOD, UNCHECKED } from './signature-pool.js';
import type { ConfidentialityLabel } from '../../labels/label.js';
import type { RecordTranslation } from '../taxonomy/taxonomy-service.js';

/** What a translator answers for one record: core/app/taxonomy's `translatorFor`. */
export type TranslationVerdict = RecordTranslation;

export interface JudgeContext {
  readonly ownMesh: string;
  /** The federation the hello named, in force here. */
  readonly federation: { readonly id: string; readonly version: number; readonly declaration: Declaration };
  /** The mesh whose agent carried the bundle. */
  readonly carrier: string;
  readonly now: Date;
  /** The device certificates the bundle carries, by SHA-256. */
  readonly certificates: ReadonlyMap<string, string>;
  readonly partnerChain: (mesh: string) => ChainVerifier | undefined;
  readonly isStored: (id: string) => boolean;
  readonly isQuarantined: (id: string) => boolean;
  readonly isPurged: (id: string) => boolean;
  readonly isTainted: (id: string) => boolean;
  readonly translate: (record: GovernedObservation) => TranslationVerdict;
  /** The ceiling's policy: NATO unless the declaration names a national one a partner publishes. */
  readonly policyOf: (policyId: string) => LabelPolicy | undefined;
}

export type ItemVerdict =
  | { readonly outcome: 'duplicate'; readonly id: string }
  | { readonly outcome: 'rejected'; readonly id: string | null; readonly reason: string; readonly message: string; readonly overRelease?: boolean; readonly tampered?: boolean }
  | { readonly outcome: 'quarantined'; readonly id: string; readonly record: GovernedObservation; readonly recordText?: string; readonly certificatePem: string; readonly rule: ScopeRule; readonly missing: readonly { vocabulary: string; term: string }[] }
  | {
      readonly outcome: 'admitted' | 'tainted';
      readonly id: string;
      readonly record: GovernedObservation;
      /** The record's canonical text (RFC 8785), when it was written beside its signed text (plain-shape.ts textsOfPlain): what the store keeps. */
      readonly recordText?: string;
      readonly certificatePem: string;
      readonly rule: ScopeRule;
      readonly translation: Extract<TranslationVerdict, { ok: true }>;
      /** Why it is tainted: the tainted sources it derives from. */
      readonly taint?: { readonly cause: 'tainted-source'; readonly evidence: { readonly sources: readonly string[] } };
    };

/** A worker's answer for the item's device signature (signature-pool.ts): UNCHECKED, GOOD or BAD. */
export type SignaturePrecheck = number;

/** Judges items one at a time; keeps one verifier (and its caches) for the whole bundle. */
export function itemJudge(context: JudgeContext): (candidate: unknown, certificate: unknown, signature?: SignaturePrecheck, signedId?: string, signedRecordText?: string) => ItemVerdict {
  const credentialCheck: CredentialCheck = (record, admittedAt, query) => {
    const pem = context.certificates.get(query.certificate);
    if (!pem) return { ok: false, reason: 'unknown-certificate', message: `The bundle does not carry device certificate ${query.certificate.slice(0, 16)}…, which the record names.` };
    const chain = context.partnerChain(record.mesh);
    if (!chain) return { ok: false, reason: 'unknown-partner', message: `No federation on record names ${record.mesh}, so its credentials cannot be checked.` };
    // A decision (docs/decisions/0007) is an operator's record; every other record a device's.
    const result = chain.verify(pem, { role: signerRole(record.class), at: query.observedAt, admittedAt });
    if (!result.ok) return result;
    if (result.principal?.mesh !== record.mesh || result.principal.id !== record.device.id) {
      return { ok: false, reason: 'unknown-certificate', message: `The device certificate ${query.certificate.slice(0, 16)}… is not one ${record.mesh} issued to ${record.device.id}.` };
    }
    return { ok: true, publicKey: result.publicKey };
  };
  const verifier = new ObservationVerifier(credentialCheck);

  // `signedId`: the worker that checked the signature also named the record (the SHA-256 of the
  // signed text it checked, signature-worker.ts), so this thread need not write that text again;
  // `signedRecordText`, the record's canonical text it wrote beside it (textsOfPlain), for the store.
  return (candidate, certificate, signature = UNCHECKED, signedId, signedRecordText) => {
    // The usual record passes the quick shape check (never yes where the schema says no), and
    // its signed text, written once here to name it, is the one the verifier checks. A worker
    // answers GOOD or BAD only for a record that passed that very check (signature-worker.ts), on
    // its structured clone of this value, where the answer is the same: it is not asked twice.
    const plain = (signature !== UNCHECKED && signedId !== undefined) || hasPlainShape(candidate);
    let record: GovernedObservation;
    if (plain) record = candidate as GovernedObservation;
    else {
      const shape = GovernedObservation.safeParse(candidate);
      if (!shape.success) return { outcome: 'rejected', id: null, reason: 'malformed-record', message: 'The item is not a governed observation.', tampered: true };
      record = shape.data;
    }
    let id: string;
    let plainSignedText: string | undefined;
    let recordText: string | undefined;
    const named = plain && signedId !== undefined && signature !== UNCHECKED && record.lineage.integrity.type === 'signature';
    try {
      if (named) {
        id = signedId;
        recordText = signedRecordText;
      } else if (plain) {
        const texts = textsOfPlain(record);
        plainSignedText = texts.signed;
        recordText = texts.record;
        id = idOfBytes(plainSignedText);
      } else id = observationId(record);
    } catch {
      return { outcome: 'rejected', id: null, reason: 'malformed-record', message: 'The item cannot be put in canonical form.', tampered: true };
    }
    if (context.isStored(id) || context.isQuarantined(id)) return { outcome: 'duplicate', id };
    if (record.mesh === context.ownMesh) return { outcome: 'rejected', id, reason: 'not-foreign', message: `Observation ${id.slice(0, 16)}… is from ${context.ownMesh} itself, yet this store does not hold it.`, tampered: true };
    if (typeof certificate !== 'string' || certificate !== record.device.certificate) {
      // A mismatched credential (an unknown-credential event, admit.ts), not a record altered: its signature is not in question yet.
      return { outcome: 'rejected', id, reason: 'unknown-certificate', message: `The item's certificate reference is not the certificate the record names.` };
    }

    // 1. The record's own integrity and credential chain, at its time and now.
    // A worker's signature check (signature-pool.ts) stands in for the verifier's own, and only for a plain record.
    const signatureVerified = signature === GOOD ? true : signature === BAD ? false : undefined;
    const checked = verifier.verify(candidate, context.now, named ? { id, signatureVerified: signature === GOOD } : plainSignedText === undefined ? undefined : { plainSignedText, id, ...(signatureVerified === undefined ? {} : { signatureVerified }) });
    if (!checked.ok) {
      const tampered = checked.reason === 'bad-signature' || checked.reason === 'bad-inclusion-proof' || checked.reason === 'bad-batch-signature' || checked.reason === 'malformed-record';
      return { outcome: 'rejected', id, reason: checked.reason, message: checked.message, tampered };
    }
    const certificatePem = context.certificates.get(record.device.certificate)!;

    // 2. No resurrection: what an exit purged stays purged.
    if (context.isPurged(id)) return { outcome: 'rejected', id, reason: 'purged', message: `Observation ${id.slice(0, 16)}… was purged when a federation ended; it is not admitted again.` };

    // 3–4. What the declaration decides: scope, onward release, time window, releasability, translation, the ceiling.
    const terms = judgeTerms(context, id, record);
    const text = recordText === undefined ? {} : { recordText };
    if (terms.outcome === 'rejected') return { ...terms, id };
    if (terms.outcome === 'quarantined') return { outcome: 'quarantined', id, record, ...text, certificatePem, rule: terms.rule, missing: terms.missing };
    const { rule, translation } = terms;

    // 5. Standing: admitted, or admitted but tainted by what it derives from. (A record made after
    // its device's stated compromise never gets here: the chain check takes a partner CRL entry
    // to apply from its invalidity date, RFC 5280 §5.3.2, and refuses it as revoked.)
    const taintedSources = record.lineage.sources.filter((source) => context.isTainted(source));
    if (taintedSources.length > 0) return { outcome: 'tainted', id, record, ...text, certificatePem, rule, translation, taint: { cause: 'tainted-source', evidence: { sources: taintedSources } } };
    return { outcome: 'admitted', id, record, ...text, certificatePem, rule, translation };
  };
}

/** What judgeTerms needs: the declaration judged under, who carried the record, its translator and the ceiling's policies. */
export type TermsContext = Pick<JudgeContext, 'ownMesh' | 'federation' | 'carrier' | 'translate' | 'policyOf'>;

/** The verdict of the declaration's own checks on one record whose integrity and chain already passed. */
export type TermsVerdict =
  | { readonly outcome: 'rejected'; readonly reason: string; readonly message: string; readonly overRelease: true }
  | { readonly outcome: 'quarantined'; readonly rule: ScopeRule; readonly missing: readonly { vocabulary: string; term: string }[] }
  | { readonly outcome: 'pass'; readonly rule: ScopeRule; readonly translation: Extract<TranslationVerdict, { ok: true }> };

/**
 * The admission checks that depend on the declaration alone (steps 3 and 4 of 0005's order):
 * the scope rule from the record's originator to us, a relay's onward release, the validity
 * window, releasability, the translation and the ceiling as translated. Read-only, so the
 * federation editor's preview asks the very same question of a draft (core/app/federations/draft-effect.ts).
 */
export function judgeTerms(context: TermsContext, id: string, record: GovernedObservation): TermsVerdict {
  const { declaration } = context.federation;
  // 3. The federation's scope: a rule from its originator to us for its class, in this federation.
  const rule = declaration.scope.find((r) => r.from === record.mesh && r.to === context.ownMesh && r.classes.includes(record.class));
  if (!rule) {
    return { outcome: 'rejected', reason: 'out-of-scope', message: `Federation ${declaration.id} v${context.federation.version} lets no ${record.class} cross from ${record.mesh} to ${context.ownMesh}.`, overRelease: true };
  }
  // A relay — carried by a partner that is not its originator — must also be one the originator
  // let the carrier pass on: where this federation has the originator's rule to the carrier, its
  // onward-release rule must permit it (no consent is on record for `originator-consent`).
  if (record.mesh !== context.carrier) {
    const toCarrier = declaration.scope.find((r) => r.from === record.mesh && r.to === context.carrier && r.classes.includes(record.class));
    if (toCarrier && toCarrier.onwardRelease !== 'permitted') {
      return {
        outcome: 'rejected',
        reason: 'onward-release-forbidden',
        message: `${context.carrier} passed on ${record.mesh}'s ${record.class} ${id.slice(0, 16)}…, which federation ${declaration.id} lets it receive with onward release ${toCarrier.onwardRelease}.`,
        overRelease: true,
      };
    }
  }
  const observedAt = Date.parse(record.time.wall);
  if (observedAt < Date.parse(declaration.validity.start) || observedAt > Date.parse(declaration.validity.expires)) {
    return { outcome: 'rejected', reason: 'outside-window', message: `Observation ${id.slice(0, 16)}… was made at ${record.time.wall}, outside federation ${declaration.id}'s validity.`, overRelease: true };
  }
  const releasable = releasableTo(record.label);
  if (releasable && !releasable.includes(context.ownMesh)) {
    return { outcome: 'rejected', reason: 'not-releasable', message: `Observation ${id.slice(0, 16)}… is releasable to ${releasable.join(', ')}, not to ${context.ownMesh}.`, overRelease: true };
  }

  // 4. Translation, and the ceiling judged in the ceiling's own policy.
  const translation = context.translate(record);
  if (!translation.ok) return { outcome: 'quarantined', rule, missing: translation.missing };
  const ceilingPolicy = context.policyOf(rule.ceiling.policy) ?? NATO_POLICY;
  const rank = classificationRank(ceilingPolicy, translation.ceilingClassification);
  const ceiling = classificationRank(ceilingPolicy, rule.ceiling.classification);
  if (rank === undefined || ceiling === undefined || rank > ceiling) {
    return {
      outcome: 'rejected',
      reason: 'above-ceiling',
      message: `Observation ${id.slice(0, 16)}… is ${record.label.classification} (${translation.ceilingClassification} under ${ceilingPolicy.id}), above federation ${declaration.id}'s ceiling of ${rule.ceiling.classification}.`,
      overRelease: true,
    };
  }
  return { outcome: 'pass', rule, translation };
}

/** The label's "Releasable To" values, when it has that permissive category (STANAG 4774); undefined when it does not restrict release. */
export function releasableTo(label: ConfidentialityLabel): readonly string[] | undefined {
  return label.categories.find((category) => category.tagName === 'Releasable To' && category.type === 'PERMISSIVE')?.values;
}

/** The subject of a certificate, for messages; never throws. */
export function certificateSubject(pem: string): string {
  try {
    return new X509Certificate(pem).subject.replace(/\n/g, ', ');
  } catch {
    return 'an unreadable certificate';
  }
}
