/**
 * Equivalence attestations (decision 0005): the authority of the mesh that owns a term states,
 * for one federation and until it expires, how the term relates to a pivot term —
 * "(DEU, markings, GEHEIM) exact (NATO, SECRET)". A DSSE envelope (payload type
 * application/vnd.entente.equivalence+json) signed with the mesh authority's issuing key, as
 * federation declarations are; it counts only against the keys the owning mesh's card names.
 */
import { hash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { JsonError, readStrictJson } from '../canonical/strict-json.js';
import { describeIssues, FederationId, IsoDateTime, MeshCode } from '../common/atoms.js';
import { Refused } from '../common/refused.js';
import { DsseEnvelope, envelopeSignedBy, payloadOf, signEnvelope } from '../crypto/dsse.js';
import { cardAuthority } from '../federation/card.js';
import type { MeshCard } from '../federation/declaration.js';
import { NATO_POLICY } from '../labels/nato-policy.js';
import { parsePolicyFile } from '../labels/policy.js';
import { Relation } from './grades.js';
import { APP6_PIVOT, findTerm, isSidc, markingsVocabulary, MARKINGS_PIVOT, PivotName, TermText, VocabularyName, type Vocabulary } from './vocabulary.js';

export const ATTESTATION_TYPE = 'entente.equivalence/v1';
export const ATTESTATION_PAYLOAD_TYPE = 'application/vnd.entente.equivalence+json';

export const AttestationBody = z
  .strictObject({
    type: z.literal(ATTESTATION_TYPE),
    federation: FederationId,
    /** The mesh that owns the term, whose authority signs. */
    mesh: MeshCode,
    vocabulary: VocabularyName,
    term: TermText,
    relation: Relation,
    pivot: z.strictObject({ vocabulary: PivotName, term: TermText }),
    issuedAt: IsoDateTime,
    expires: IsoDateTime,
  })
  .refine((body) => Date.parse(body.issuedAt) < Date.parse(body.expires), { path: ['expires'], message: 'must be after issuedAt' });
export type AttestationBody = z.infer<typeof AttestationBody>;

/** An attestation that was read and verified, named by its id. */
export interface Attestation {
  /** SHA-256 of the envelope's RFC 8785 canonical JSON: what log entries and crossings cite. */
  readonly id: string;
  readonly body: AttestationBody;
  readonly envelope: DsseEnvelope;
}

export type AttestationReason = 'malformed-attestation' | 'wrong-authority' | 'bad-signature' | 'wrong-federation' | 'expired-attestation' | 'unknown-term';
export type AttestationReading = ({ readonly ok: true } & Attestation) | { readonly ok: false; readonly reason: AttestationReason; readonly message: string };

export function attestationId(envelope: DsseEnvelope): string {
  return hash('sha256', canonicalize(envelope), 'hex');
}

/** Signs a body for its mesh. @throws Refused('malformed-attestation') for a body the schema refuses. */
export function signAttestation(body: AttestationBody, signer: { keyid: string; key: KeyObject }): Attestation {
  const parsed = AttestationBody.safeParse(body);
  if (!parsed.success) throw new Refused('malformed-attestation', `The attestation is malformed: ${describeIssues(parsed.error, 'attestation')}.`);
  const envelope = signEnvelope(ATTESTATION_PAYLOAD_TYPE, Buffer.from(canonicalize(parsed.data), 'utf8'), [signer]);
  return { id: attestationId(envelope), body: parsed.data, envelope };
}

/**
 * The vocabularies a card publishes. A card from before vocabularies travelled still has its
 * label policy, from which its markings follow.
 */
export function cardVocabularies(card: MeshCard): readonly Vocabulary[] {
  if (card.vocabularies) return card.vocabularies;
  if (card.labelPolicy === undefined) return [];
  try {
    return [markingsVocabulary(parsePolicyFile(card.labelPolicy))];
  } catch {
    return [];
  }
}

export interface AttestationContext {
  /** The card of the mesh the attestation speaks for, as the federation names it. */
  readonly card: MeshCard;
  readonly federation: { readonly id: string; readonly expires: string };
  readonly now: Date;
}

/**
 * Reads an attestation as a receiver must: signed by the owning mesh's authority (its card's
 * keys, at `now`), for this federation, not expired and not outliving the federation, about a
 * term that mesh publishes and a pivot term the pivot knows.
 */
export function readAttestation(candidate: unknown, { card, federation, now }: AttestationContext): AttestationReading {
  const refuse = (reason: AttestationReason, message: string): AttestationReading => ({ ok: false, reason, message });
  const envelope = DsseEnvelope.safeParse(candidate);
  if (!envelope.success) return refuse('malformed-attestation', `An attestation is not a DSSE envelope: ${describeIssues(envelope.error, 'envelope')}.`);
  if (envelope.data.payloadType !== ATTESTATION_PAYLOAD_TYPE) return refuse('malformed-attestation', `An attestation has payload type "${envelope.data.payloadType.slice(0, 64)}", not ${ATTESTATION_PAYLOAD_TYPE}.`);
  // The signature first: nothing in an unsigned body is worth reading.
  const authority = cardAuthority(card);
  const signed = envelope.data.signatures.some((s) => {
    const key = authority(s.keyid, now);
    return key.ok && envelopeSignedBy(envelope.data, s.keyid, key.publicKey);
  });
  if (!signed) {
    const namesOurKey = envelope.data.signatures.some((s) => s.keyid === card.trustAnchor.sha256 || card.intermediates.some((i) => i.sha256 === s.keyid));
    return namesOurKey
      ? refuse('bad-signature', `An attestation's signature by the authority of ${card.mesh} does not verify: it was altered after signing.`)
      : refuse('wrong-authority', `An attestation for ${card.mesh} is not signed by the authority of ${card.mesh}.`);
  }
  let json: unknown;
  try {
    json = readStrictJson(payloadOf(envelope.data), { maxBytes: 64 * 1024, maxDepth: 4 });
  } catch (error) {
    return refuse('malformed-attestation', `An attestation's payload is not usable JSON${error instanceof JsonError ? `: ${error.message}` : '.'}`);
  }
  const parsed = AttestationBody.safeParse(json);
  if (!parsed.success) return refuse('malformed-attestation', `An attestation is malformed: ${describeIssues(parsed.error, 'attestation')}.`);
  const body = parsed.data;
  if (body.mesh !== card.mesh) return refuse('wrong-authority', `An attestation signed by the authority of ${card.mesh} speaks for ${body.mesh}'s term "${body.term}".`);
  if (body.federation !== federation.id) return refuse('wrong-federation', `The attestation of ${body.mesh} "${body.term}" is for federation ${body.federation}, not ${federation.id}.`);
  if (Date.parse(body.expires) > Date.parse(federation.expires)) {
    return refuse('malformed-attestation', `The attestation of ${body.mesh} "${body.term}" expires at ${body.expires}, after federation ${federation.id} does (${federation.expires}).`);
  }
  if (now.getTime() >= Date.parse(body.expires)) return refuse('expired-attestation', `The attestation of ${body.mesh} "${body.term}" expired at ${body.expires}.`);
  const vocabulary = cardVocabularies(card).find((v) => v.name === body.vocabulary);
  if (!vocabulary || !findTerm([vocabulary], body.vocabulary, body.term)) {
    return refuse('unknown-term', `"${body.term}" is not a term of the ${body.vocabulary} vocabulary ${body.mesh} publishes.`);
  }
  const pivot = pivotProblem(vocabulary, body.pivot);
  if (pivot) return refuse('unknown-term', pivot);
  return { ok: true, id: attestationId(envelope.data), body, envelope: envelope.data };
}

/** Why a pivot term is not one the pivot has, or undefined when it is. */
export function pivotProblem(vocabulary: Vocabulary, pivot: { vocabulary: string; term: string }): string | undefined {
  if (pivot.vocabulary !== vocabulary.pivot) return `The ${vocabulary.name} vocabulary pivots on ${vocabulary.pivot}, not ${pivot.vocabulary}.`;
  if (pivot.vocabulary === MARKINGS_PIVOT && !NATO_POLICY.classifications.some((c) => c.name === pivot.term)) {
    return `"${pivot.term}" is not a classification of the NATO policy.`;
  }
  if (pivot.vocabulary === APP6_PIVOT && !isSidc(pivot.term)) return `"${pivot.term}" is not an APP-6 symbol code.`;
  return undefined;
}
