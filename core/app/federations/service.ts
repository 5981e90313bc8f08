/**
 * The federations part as the shells see it: declaring, signing, exchanging and leaving
 * federations (writers: each advances the trusted clock), and what the console shows of them
 * (readers: judged at the floor without raising it).
 */
import type { FederationExchange } from '../../federation/exchange.js';
import type { CrossingVerdict, Evaluation } from '../../federation/lifecycle.js';
import type { ClockJump } from '../context/clock.js';
import type { PassphraseSource } from '../context/keyring.js';
import type { AppContext } from '../context/operation.js';
import { checkDraft, knownPartners, startDraft, type DraftCheck, type DraftRequest, type KnownPartner } from './federation-drafts.js';
import { previewDraftEffect, type DraftEffect } from './draft-effect.js';
import { requireRecord } from './federation-records.js';
import { confirmClock, declarationFromOptions, exportFederation, federationStatus, importFederation, mayCrossNow, propose, sign, withdraw, type ProposalOptions } from './federation-service.js';
import { federationDetail, federationSummaries, summaryOf, type FederationDetailView, type FederationSummaryView } from './federation-views.js';

export interface FederationsService {
  /** Proposes a declaration (from a file, or built from `ProposalOptions`) and signs it for this mesh. */
  propose(candidate: unknown): Promise<{ id: string; version: number; digest: string }>;
  proposeFromOptions(options: ProposalOptions): Promise<{ id: string; version: number; digest: string }>;
  /**
   * Signs the newest version for this mesh. `passphrase`: for this call only (the console asks
   * the officer per signature); without it, the services' own. Likewise for propose and withdraw.
   */
  sign(id: string, passphrase?: PassphraseSource): Promise<Evaluation>;
  /** Proposes a draft from the console's editor: checked as `checkDraft` does, then signed for this mesh. */
  proposeDraft(candidate: unknown, passphrase?: PassphraseSource): Promise<{ id: string; version: number; digest: string }>;
  /** A draft to start the editor with: the next version of a federation, or a new one with partners this home knows. */
  startDraft(request: DraftRequest): unknown;
  /** Every issue of a draft (path, reason, sentence), and once it has none its digest and crossing preview. */
  checkDraft(candidate: unknown): DraftCheck;
  /**
   * What a valid draft would have done with this mesh's history, beside the version in force:
   * outbound crossings per partner, inbound admissions, queue vs merge (draft-effect.ts). Read-only;
   * refused `invalid-draft` while the draft has issues.
   */
  previewEffect(candidate: unknown): DraftEffect;
  /** The partners whose cards this home holds, to start a new federation with. */
  knownPartners(): KnownPartner[];
  /** One version's declaration as signed, with its digest; null when there is no such version. */
  version(id: string, version: number): { declaration: unknown; digest: string } | null;
  export(id: string): FederationExchange;
  import(text: string): Promise<Evaluation>;
  withdraw(id: string, reason: string, passphrase?: PassphraseSource): Promise<Evaluation>;
  /** Every federation's state; exits that fell due run first (asking for the key only then). */
  status(): Promise<FederationSummaryView[]>;
  summaries(): FederationSummaryView[];
  summary(id: string): FederationSummaryView;
  detail(id: string): FederationDetailView | null;
  mayCross(from: string, to: string, cls: string): CrossingVerdict;
  /** The wall clock's jump past the last trusted time, while it is unconfirmed. */
  clockJump(): ClockJump | null;
  /** The operator confirms the clock: the trusted time rises to it and the exits it held run. */
  confirmClock(): Promise<{ confirmed: ClockJump | null; exited: string[] }>;
}

export function createFederationsService(context: AppContext): FederationsService {
  return {
    propose: (candidate) => propose(context.writing(), candidate),
    proposeFromOptions: (options) => {
      const op = context.writing();
      return propose(op, declarationFromOptions(op, options, op.clock.now()));
    },
    sign: (id, passphrase) => sign(context.writing(passphrase), id),
    proposeDraft: (candidate, passphrase) => propose(context.writing(passphrase), candidate),
    startDraft: (request) => startDraft(context.reading(), request),
    checkDraft: (candidate) => checkDraft(context.reading(), candidate),
    previewEffect: (candidate) => previewDraftEffect(context.reading(), candidate),
    knownPartners: () => knownPartners(context.reading()),
    version: (id, version) => {
      const found = requireRecord(context.reading().read, id).versions.find((v) => v.declaration.version === version);
      return found ? { declaration: found.declaration, digest: found.digest } : null;
    },
    export: (id) => exportFederation(context.reading(), id),
    import: (text) => importFederation(context.writing(), text),
    withdraw: (id, reason, passphrase) => withdraw(context.writing(passphrase), id, reason),
    status: () => federationStatus(context.writing()),
    summaries: () => federationSummaries(context.reading()),
    summary: (id) => {
      const op = context.reading();
      return summaryOf(requireRecord(op.read, id), op.clock.now(), op.clock.jump());
    },
    detail: (id) => federationDetail(context.reading(), id),
    mayCross: (from, to, cls) => {
      const op = context.reading();
      return mayCrossNow(op, from, to, cls, op.clock.now());
    },
    clockJump: () => context.reading().clock.jump(),
    confirmClock: () => confirmClock(context.writing()),
  };
}
