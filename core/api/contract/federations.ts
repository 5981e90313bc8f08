/** The contract's federations part: each federation's state, partners, signatures and versions. */
import { z } from 'zod';
import { count, federationId, isoTime, meshCode, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const FederationState = z.enum(['draft', 'proposed', 'active', 'expired', 'withdrawn', 'exited']);

export const FederationPartner = z.strictObject({
  mesh: meshCode,
  displayName: text(256).nullable(),
  releaseAuthority: text(256),
  trustAnchorSha256: sha256Hex,
  /** Of the newest version: signed when every signature this partner owes verifies. */
  signature: z.enum(['signed', 'missing']),
  /** Set when the partner's authority changed since the version before (both keys must sign). */
  rotation: z.strictObject({ oldKeySigned: z.boolean(), newKeySigned: z.boolean() }).nullable(),
  withdrawn: z.boolean(),
});

export const FederationSummary = z.strictObject({
  id: text(64),
  /** The newest version on record. */
  version: z.number().int().min(1),
  /** The version in force (or last in force): every partner signed it. */
  inForce: z.number().int().min(1).nullable(),
  state: FederationState,
  purpose: text(1000),
  partners: z.array(FederationPartner).max(16),
  start: isoTime,
  expires: isoTime,
  /** Older versions the one in force replaced. */
  amended: z.array(z.number().int().min(1)).max(1000),
  /** The trusted now the state was judged at (never earlier than a moment already seen). */
  judgedAt: isoTime,
  /** Expired only by an unconfirmed jump of the workstation clock: its exit waits for the operator. */
  exitHeld: z.boolean(),
});

export const FederationDetail = z.strictObject({
  summary: FederationSummary,
  /** The newest version's declaration in full, as its partners sign it. */
  declaration: z.json(),
  /** Its RFC 8785 canonical bytes' SHA-256. */
  digest: sha256Hex,
  versions: z.array(z.strictObject({ version: z.number().int().min(1), digest: sha256Hex, complete: z.boolean() })).max(1000),
});

/**
 * The workspace passphrase for one signing call, typed by the officer in the console's dialog:
 * used for that call's keyring and never kept (null for a home whose keys are in clear).
 */
export const OnePassphrase = z.string().min(1).max(1024).nullable();

/** One thing wrong with a draft: the field's dotted path (`scope.0.classes.1`, '' for the whole), its reason code, and why. */
export const DraftIssue = z.strictObject({ path: text(256), reason: text(64), message: text(1024) });

/** What the draft would let this mesh's observations cross, per partner and class, beside the version in force. */
export const DraftPreview = z.strictObject({
  inForce: z.number().int().min(1).nullable(),
  rows: z.array(z.strictObject({ partner: meshCode, class: text(64), draft: z.boolean(), inForce: z.boolean(), observations: count })).max(4096),
});

export const DraftCheck = z.strictObject({
  issues: z.array(DraftIssue).max(100),
  /** The SHA-256 of the canonical draft the partners would sign; null while it has issues. */
  digest: sha256Hex.nullable(),
  preview: DraftPreview.nullable(),
});

const EffectOutcome = z.enum(['crossed', 'refused', 'admitted', 'quarantined']);
/** One observation's fate under one declaration: the pipeline's reason code (null when it went through), and that reason in words. */
const EffectVerdict = z.strictObject({ outcome: EffectOutcome, reason: text(64).nullable(), words: text(256) });
const EffectTally = z.array(z.strictObject({ outcome: EffectOutcome, reason: text(64).nullable(), words: text(256), inForce: count, draft: count })).max(64);
const EffectChange = z.strictObject({
  observation: sha256Hex,
  subject: text(256),
  class: text(64),
  origin: meshCode,
  /** Outbound: the partner it would go to; inbound: the partner whose agent carried it. */
  partner: meshCode,
  /** The originator label's marking (STANAG 4774). */
  label: text(1024),
  inForce: EffectVerdict,
  draft: EffectVerdict,
});
const SubjectState = z.enum(['merged', 'held']);
const score = z.number().min(0).max(1);

/**
 * What a valid draft would have done with this mesh's history, beside the version in force
 * (core/app/federations/draft-effect.ts): each side's outcome counts, and the first `examples`
 * observations (or queue subjects) whose outcome the draft changes; `changed` counts them all.
 */
export const DraftEffect = z.strictObject({
  federation: text(64),
  draftVersion: z.number().int().min(1),
  inForce: z.number().int().min(1).nullable(),
  judgedAt: isoTime,
  examples: count,
  outbound: z.strictObject({
    observations: count,
    partners: z.array(z.strictObject({ partner: meshCode, tally: EffectTally })).max(16),
    changed: count,
    changes: z.array(EffectChange).max(100),
  }),
  inbound: z.strictObject({ observations: count, tally: EffectTally, changed: count, changes: z.array(EffectChange).max(100) }),
  queue: z.strictObject({
    subjects: count,
    /** False when another federation's arbitration governs this mesh's picture: both sides then agree. */
    governs: z.boolean(),
    tally: z.array(z.strictObject({ state: SubjectState, inForce: count, draft: count })).max(2),
    changed: count,
    changes: z
      .array(
        z.strictObject({
          subject: text(256),
          inForce: SubjectState,
          draft: SubjectState,
          score: z.strictObject({ inForce: score, draft: score }),
          threshold: z.strictObject({ inForce: score, draft: score }),
        }),
      )
      .max(100),
  }),
});

/** An exchange file crosses as one string: the boundary's own bound on strings (core/api/plain-data.ts). */
const EXCHANGE_MAX_CHARS = 1_000_000;

export const federationMethods = {
  listFederations: { args: noArguments, result: z.strictObject({ federations: z.array(FederationSummary).max(1000) }) },
  getFederation: { args: z.strictObject({ federation: federationId }), result: FederationDetail },
  /** One stored version's declaration as signed, for the editor's version-to-version diff. */
  getFederationVersion: {
    args: z.strictObject({ federation: federationId, version: z.number().int().min(1).max(1_000_000) }),
    result: z.strictObject({ version: z.number().int().min(1), declaration: z.json(), digest: sha256Hex }),
  },
  /** The partners whose cards this home holds (from federations on record), to start a new federation with. */
  listKnownPartners: {
    args: noArguments,
    result: z.strictObject({ partners: z.array(z.strictObject({ mesh: meshCode, displayName: text(256).nullable(), trustAnchorSha256: sha256Hex })).max(1000) }),
  },
  /** A draft to start editing: the next version of `amend`, or a new federation with these partners (known ones by mesh, others by card). */
  startFederationDraft: {
    args: z
      .strictObject({ amend: federationId.optional(), partners: z.array(meshCode).max(15).optional(), cards: z.array(z.json()).max(15).optional() })
      .refine((a) => a.amend !== undefined || (a.partners?.length ?? 0) + (a.cards?.length ?? 0) > 0, 'name the federation to amend, or at least one partner'),
    result: z.strictObject({ draft: z.json() }),
  },
  /** Checks a draft with the core's declaration schema and this mesh's own checks, as the officer types. */
  checkFederationDraft: { args: z.strictObject({ draft: z.json() }), result: DraftCheck },
  /** Before signing: what a valid draft would have let cross, refused, quarantined or sent to the queue, beside the version in force. Read-only. */
  previewDraftEffect: { args: z.strictObject({ draft: z.json() }), result: DraftEffect },
  /** Proposes the draft: stored as a new version and signed for this mesh. */
  proposeFederationDraft: {
    args: z.strictObject({ draft: z.json(), passphrase: OnePassphrase }),
    result: z.strictObject({ id: text(64), version: z.number().int().min(1), digest: sha256Hex }),
  },
  /** Signs the newest version for this mesh. */
  signFederation: { args: z.strictObject({ federation: federationId, passphrase: OnePassphrase }), result: FederationSummary },
  /** This mesh leaves: its authority signs the withdrawal, and the exit runs at once. */
  withdrawFederation: {
    args: z.strictObject({ federation: federationId, reason: z.string().min(1).max(1000), passphrase: OnePassphrase }),
    result: FederationSummary,
  },
  /** The exchange file for the partners (`entente federation export`), as text, with the file name to save it under. */
  exportFederation: {
    args: z.strictObject({ federation: federationId }),
    result: z.strictObject({ name: text(128), text: z.string().max(EXCHANGE_MAX_CHARS) }),
  },
  /** Takes in a partner's exchange file (`entente federation import`), read by the officer's choice of file. */
  importFederation: { args: z.strictObject({ text: z.string().min(1).max(EXCHANGE_MAX_CHARS) }), result: FederationSummary },
} as const satisfies MethodTable;

/** What `federationsChanged` says: which federations gained a version, signature, withdrawal or exit. */
export const FederationsChanged = z.strictObject({
  federations: z.array(text(64)).min(1).max(1000),
});

export const federationEvents = {
  /** A federation version, signature, withdrawal or exit was recorded (here or by another process). */
  federationsChanged: FederationsChanged,
} as const satisfies EventTable;
