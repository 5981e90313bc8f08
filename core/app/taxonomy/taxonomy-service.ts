/**
 * Taxonomy over the store (decision 0005, "Taxonomy translation"): this mesh's vocabularies,
 * the equivalence attestations its authority signs, the partners' ones admitted after
 * verification against their cards in the active federation, and the translator the
 * admission pipeline asks for each record from a partner.
 */
import { canonicalize } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { DsseEnvelope, payloadOf } from '../../crypto/dsse.js';
import type { Declaration, MeshCard } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ConfidentialityLabel } from '../../labels/label.js';
import { NATO_POLICY } from '../../labels/nato-policy.js';
import { parsePolicyFile, PolicyFile, type LabelPolicy } from '../../labels/policy.js';
import type { WriteDb } from '../../store/database.js';
import { insertAttestation, listAttestations, upsertVocabulary, type StoredAttestation } from '../../store/taxonomy-store.js';
import type { AttestationBody} from '../../taxonomy/attestation.js';
import { ATTESTATION_TYPE, cardVocabularies, pivotProblem, readAttestation, signAttestation, type Attestation, type AttestationReason } from '../../taxonomy/attestation.js';
import { weakerOf, type Relation } from '../../taxonomy/grades.js';
import { translateLabel, translatePayloadTerms, type AttestationFact, type LabelTranslation, type MissingTerm, type PayloadTranslation } from '../../taxonomy/translate.js';
import { findTerm, MARKINGS, parseVocabulary, VOCABULARY_LIMITS, type Vocabulary } from '../../taxonomy/vocabulary.js';
import { authorityActor } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { federationRecord, requireRecord } from '../federations/federation-records.js';
import { ownVocabularies } from '../mesh/mesh-vocabularies.js';

export interface AttestationView {
  readonly id: string;
  readonly federation: string;
  readonly mesh: string;
  readonly vocabulary: string;
  readonly term: string;
  readonly relation: string;
  readonly pivot: { readonly vocabulary: string; readonly term: string };
  readonly expires: string;
  readonly storedAt: string;
  /** Signed by this mesh's authority (true) or admitted from a partner. */
  readonly own: boolean;
}

export function attestationView(row: StoredAttestation, ownMesh: string): AttestationView {
  return {
    id: row.id,
    federation: row.federation,
    mesh: row.mesh,
    vocabulary: row.vocabulary,
    term: row.term,
    relation: row.relation,
    pivot: { vocabulary: row.pivotVocabulary, term: row.pivotTerm },
    expires: row.expires,
    storedAt: row.storedAt,
    own: row.mesh === ownMesh,
  };
}

/** Adds or replaces a vocabulary this mesh defines; markings follow from the label policy and are refused here. */
export async function defineVocabulary(op: Operation, candidate: unknown): Promise<{ vocabulary: Vocabulary; changed: boolean }> {
  const vocabulary = parseVocabulary(candidate);
  if (vocabulary.name === MARKINGS) throw new Refused('markings-derived', 'The markings vocabulary follows from the label policy (`mesh init --policy`); it cannot be defined by hand.');
  const existing = ownVocabularies(op);
  if (!existing.some((v) => v.name === vocabulary.name) && existing.length >= VOCABULARY_LIMITS.vocabularies) {
    throw new Refused('too-many-vocabularies', `A mesh publishes at most ${VOCABULARY_LIMITS.vocabularies} vocabularies; this one has ${existing.length}.`);
  }
  const db = op.write;
  const now = op.clock.advance(db);
  const log = await op.log();
  const changed = db.transaction(() => {
    const changed = upsertVocabulary(db, { name: vocabulary.name, vocabulary: canonicalize(vocabulary), definedAt: now.toISOString() });
    if (changed) {
      log.append(
        [{ type: 'translation', who: authorityActor(op.mesh().mesh), what: { ids: [], detail: { vocabulary: vocabulary.name, pivot: vocabulary.pivot, terms: vocabulary.terms.length } }, why: { reasons: ['vocabulary-defined'], text: `Defined the ${vocabulary.name} vocabulary (pivot ${vocabulary.pivot}, ${vocabulary.terms.length} terms).` } }],
        now,
      );
    }
    return changed;
  })();
  return { vocabulary, changed };
}

export interface AttestRequest {
  readonly federation: string;
  readonly vocabulary: string;
  readonly term: string;
  readonly relation: Relation;
  readonly pivotTerm: string;
}

/** The declaration a federation stands under for attestations: the one in force, else the newest proposed. */
function declarationOf(op: ReadOperation, id: string, now: Date): Declaration {
  const evaluation = evaluate(requireRecord(op.read, id), now);
  if (evaluation.state === 'expired' || evaluation.state === 'withdrawn' || evaluation.state === 'exited') {
    throw new Refused('federation-inactive', `Federation ${id} is ${evaluation.state}: no attestation is made or admitted under it.`);
  }
  return (evaluation.inForce ?? evaluation.latest).declaration;
}

/**
 * Signs "(this mesh, vocabulary, term) relation (pivot, pivotTerm)" for a federation, expiring
 * with it, with the mesh authority's issuing key, as declarations are signed. The term must be
 * one this mesh publishes, and published on the card the federation carries: partners check
 * it there (`unknown-term`).
 */
export async function attest(op: Operation, request: AttestRequest): Promise<Attestation> {
  return (await attestAll(op, [request]))[0]!;
}

/** At most this many statements in one `attest --file`: a mesh's vocabularies hold at most a few thousand terms. */
export const MAX_ATTESTATIONS_AT_ONCE = 4_096;

/**
 * Signs every statement (the same checks as one), then stores them all with one log entry, in
 * one transaction: a statement refused anywhere in the list refuses the list, writing nothing.
 */
export async function attestAll(op: Operation, requests: readonly AttestRequest[]): Promise<Attestation[]> {
  if (requests.length === 0) throw new Refused('no-statements', 'There is no statement to attest.');
  if (requests.length > MAX_ATTESTATIONS_AT_ONCE) throw new Refused('too-many-statements', `At most ${MAX_ATTESTATIONS_AT_ONCE} statements are attested at once, not ${requests.length}.`);
  const db = op.write;
  const now = op.clock.advance(db);
  const { mesh } = op.mesh();
  const vocabularies = ownVocabularies(op);
  const log = await op.log();
  const attestations = requests.map((request, index) => {
    const at = requests.length === 1 ? '' : `Statement ${index + 1}: `;
    const declaration = declarationOf(op, request.federation, now);
    const seat = declaration.partners.find((p) => p.mesh === mesh.code);
    if (!seat) throw new Refused('not-a-partner', `${at}Mesh ${mesh.code} is not a partner of federation ${declaration.id}.`);
    const vocabulary = vocabularies.find((v) => v.name === request.vocabulary);
    if (!vocabulary || !findTerm([vocabulary], request.vocabulary, request.term)) {
      throw new Refused('unknown-term', `${at}"${String(request.term).slice(0, 128)}" is not a term of a ${String(request.vocabulary).slice(0, 64)} vocabulary of ${mesh.code}.`);
    }
    const pivot = { vocabulary: vocabulary.pivot, term: request.pivotTerm };
    const problem = pivotProblem(vocabulary, pivot);
    if (problem) throw new Refused('unknown-term', `${at}${problem}`);
    const body: AttestationBody = {
      type: ATTESTATION_TYPE,
      federation: declaration.id,
      mesh: mesh.code,
      vocabulary: request.vocabulary,
      term: request.term,
      relation: request.relation,
      pivot,
      issuedAt: now.toISOString(),
      expires: declaration.validity.expires,
    };
    const attestation = signAttestation(body, { keyid: log.signer.certificateSha256, key: log.signer.key });
    // Read back as a partner will, against our card as the federation carries it.
    const reading = readAttestation(attestation.envelope, { card: seat.card, federation: { id: declaration.id, expires: declaration.validity.expires }, now });
    if (!reading.ok) {
      const hint = reading.reason === 'unknown-term' ? ' Define the vocabulary before proposing the federation, so the card it carries publishes the term.' : '';
      throw new Refused(reading.reason, `${at}${reading.message}${hint}`);
    }
    return attestation;
  });
  const [first] = attestations;
  const text =
    attestations.length === 1
      ? `Attested ${first!.body.vocabulary} "${first!.body.term}" ${first!.body.relation} ${first!.body.pivot.vocabulary} "${first!.body.pivot.term}".`
      : `Attested ${attestations.length} equivalences (${[...new Set(attestations.map((a) => a.body.vocabulary))].join(', ')}).`;
  db.transaction(() => {
    for (const attestation of attestations) storeAttestation(db, attestation, now);
    // One entry per federation the statements name (the entry carries one federation).
    for (const federation of new Set(attestations.map((a) => a.body.federation))) {
      log.append([translationEntry(op, attestations.filter((a) => a.body.federation === federation), ['attested'], text)], now);
    }
  })();
  return attestations;
}

function storeAttestation(db: WriteDb, { id, body, envelope }: Attestation, now: Date): boolean {
  return insertAttestation(db, {
    id,
    federation: body.federation,
    mesh: body.mesh,
    vocabulary: body.vocabulary,
    term: body.term,
    relation: body.relation,
    pivotVocabulary: body.pivot.vocabulary,
    pivotTerm: body.pivot.term,
    expires: body.expires,
    envelope: canonicalize(envelope),
    storedAt: now.toISOString(),
  });
}

function translationEntry(op: ReadOperation, attestations: readonly Attestation[], reasons: string[], text: string) {
  const first = attestations[0]!.body;
  return {
    type: 'translation' as const,
    who: authorityActor(op.mesh().mesh),
    what: { ids: [], federation: first.federation, attestations: attestations.map((a) => a.id), detail: { count: attestations.length } },
    why: { reasons, text: text.slice(0, 1_000) },
  };
}

export type AdmissionOutcome =
  | { readonly outcome: 'stored' | 'duplicate'; readonly id: string; readonly mesh: string; readonly term: string }
  | { readonly outcome: 'refused'; readonly reason: AttestationReason | 'no-federation' | 'federation-inactive' | 'not-a-partner'; readonly message: string };

/**
 * The federation and mesh an envelope claims, read before it is trusted only to find the card
 * it must verify against; readAttestation then judges it whole.
 */
function claimOf(candidate: unknown): { federation: string; mesh: string } | undefined {
  const envelope = DsseEnvelope.safeParse(candidate);
  if (!envelope.success) return undefined;
  try {
    const body = readStrictJson(payloadOf(envelope.data), { maxBytes: 64 * 1024, maxDepth: 4 }) as { federation?: unknown; mesh?: unknown } | null;
    return typeof body?.federation === 'string' && typeof body.mesh === 'string' ? { federation: body.federation, mesh: body.mesh } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Partners' attestations (from a bundle, or a file): each verified against the owning mesh's
 * card in its federation, which must be active; the good ones stored (a second time changes
 * nothing) and logged in one entry, each envelope given its own outcome.
 */
export async function admitPartnerAttestations(op: Operation, envelopes: readonly unknown[], now: Date): Promise<AdmissionOutcome[]> {
  const outcomes: AdmissionOutcome[] = [];
  const good: Attestation[] = [];
  for (const candidate of envelopes) {
    const claim = claimOf(candidate);
    const record = claim ? federationRecord(op.read, claim.federation) : null;
    if (!claim) {
      outcomes.push({ outcome: 'refused', reason: 'malformed-attestation', message: 'An attestation is not a signed equivalence envelope naming its federation and mesh.' });
      continue;
    }
    if (!record) {
      outcomes.push({ outcome: 'refused', reason: 'no-federation', message: `This workspace holds no federation ${claim.federation.slice(0, 64)}.` });
      continue;
    }
    const evaluation = evaluate(record, now);
    if (evaluation.state !== 'active' || !evaluation.inForce) {
      outcomes.push({ outcome: 'refused', reason: 'federation-inactive', message: `Federation ${record.id} is ${evaluation.state}, not active.` });
      continue;
    }
    const declaration = evaluation.inForce.declaration;
    const partner = declaration.partners.find((p) => p.mesh === claim.mesh);
    if (!partner) {
      outcomes.push({ outcome: 'refused', reason: 'not-a-partner', message: `${claim.mesh.slice(0, 16)} is not a partner of federation ${record.id}.` });
      continue;
    }
    const reading = readAttestation(candidate, { card: partner.card, federation: { id: declaration.id, expires: declaration.validity.expires }, now });
    if (!reading.ok) {
      outcomes.push({ outcome: 'refused', reason: reading.reason, message: reading.message });
      continue;
    }
    good.push(reading);
    outcomes.push({ outcome: 'stored', id: reading.id, mesh: reading.body.mesh, term: reading.body.term });
  }
  if (good.length === 0) return outcomes;
  const db = op.write;
  const log = await op.log();
  const stored = db.transaction(() => {
    const added = new Set(good.filter((a) => storeAttestation(db, a, now)).map((a) => a.id));
    const fresh = good.filter((a) => added.has(a.id));
    if (fresh.length > 0) log.append([translationEntry(op, fresh, ['attestations-admitted'], `Admitted ${fresh.length} equivalence attestation(s) of partners.`)], now);
    return added;
  })();
  return outcomes.map((o) => (o.outcome === 'stored' && !stored.has(o.id) ? { ...o, outcome: 'duplicate' } : o));
}

/** What the admission pipeline gives the translator: the signed record's label, payload and class. */
export interface TranslatableRecord {
  readonly mesh: string;
  readonly class: string;
  readonly label: ConfidentialityLabel;
  readonly payload: unknown;
}

export type RecordTranslation =
  | {
      readonly ok: true;
      /** The label in this mesh's policy (kind alternative), stored beside the record; null when it is in our policy already. */
      readonly alternative: ConfidentialityLabel | null;
      readonly ceilingClassification: string;
      readonly translations: readonly PayloadTranslation[];
      readonly attestations: readonly string[];
      readonly grade: Relation;
    }
  | { readonly ok: false; readonly reason: 'translation-loss'; readonly missing: readonly MissingTerm[] };

function policyOf(card: MeshCard): LabelPolicy | undefined {
  try {
    return card.labelPolicy === undefined ? undefined : parsePolicyFile(card.labelPolicy);
  } catch {
    return undefined;
  }
}

/**
 * The translator for records from one partner under one federation (active at `now`): built
 * once per bundle, asked once per record. It uses the stored attestations of both sides that
 * are unexpired at `now`; the sender's vocabularies come from its card in the federation.
 */
/** Distinct labels a translator remembers the translation of. */
const MAX_REMEMBERED_LABELS = 4096;

export function translatorFor(op: ReadOperation, options: { from: string; federation: string; now: Date; declaration?: Declaration }): (record: TranslatableRecord) => RecordTranslation {
  const { from, now } = options;
  const { mesh } = op.mesh();
  // `declaration`: judge under this one instead of the version in force (a draft, for the editor's
  // preview); the attestations are still the federation's own, scoped to its id.
  const declaration = options.declaration ?? declarationInForce(op, options.federation, now);
  const sender = declaration.partners.find((p) => p.mesh === from);
  if (!sender) throw new Refused('not-a-partner', `${from} is not a partner of federation ${declaration.id}.`);
  const ownPolicy = PolicyFile.parse(JSON.parse(mesh.labelPolicy));
  const senderPolicy = policyOf(sender.card);
  const policies = new Map<string, LabelPolicy>([[NATO_POLICY.id, NATO_POLICY], [ownPolicy.id, ownPolicy], ...(senderPolicy ? [[senderPolicy.id, senderPolicy] as const] : [])]);
  const attestations = attestationFacts(op, declaration.id, [from, mesh.code], now);
  const senderVocabularies = { mesh: from, vocabularies: cardVocabularies(sender.card) };
  const receiverVocabularies = { mesh: mesh.code, vocabularies: ownVocabularies(op) };
  const rules = declaration.scope.filter((r) => r.from === from && r.to === mesh.code);
  // A bundle's records mostly share a handful of labels: each distinct label (its JSON text, in the
  // ceiling's policy) is translated once per translator, whose attestations and policies are fixed.
  // The answer is a pure function of those; it is shared, never changed, by the records that use it.
  const labels = new Map<string, LabelTranslation>();
  const translatedLabel = (label: ConfidentialityLabel, ceilingPolicy: LabelPolicy): LabelTranslation => {
    const key = `${ceilingPolicy.id}\n${JSON.stringify(label)}`;
    let translated = labels.get(key);
    if (translated === undefined) {
      translated = translateLabel(label, { senderMesh: from, receiverMesh: mesh.code, receiverPolicy: ownPolicy, ceilingPolicy, attestations });
      // Bounded whatever the bundle: a hostile one with a new label per record only loses the saving.
      if (labels.size >= MAX_REMEMBERED_LABELS) labels.clear();
      labels.set(key, translated);
    }
    return translated;
  };
  return (record) => {
    const rule = rules.find((r) => r.classes.includes(record.class)) ?? rules[0];
    const ceilingPolicy = policies.get(rule?.ceiling.policy ?? NATO_POLICY.id);
    const label = ceilingPolicy
      ? translatedLabel(record.label, ceilingPolicy)
      : ({ ok: false, reason: 'translation-loss', missing: [{ vocabulary: MARKINGS, term: record.label.classification }] } as const);
    const payload = translatePayloadTerms(record.payload, senderVocabularies, receiverVocabularies, attestations);
    if (!label.ok || !payload.ok) return { ok: false, reason: 'translation-loss', missing: [...(label.ok ? [] : label.missing), ...(payload.ok ? [] : payload.missing)] };
    const grade = payload.translations.reduce<Relation>((g, t) => weakerOf(g, t.grade), label.grade);
    const ids = new Set([...label.attestations, ...payload.translations.flatMap((t) => t.attestations)]);
    return { ok: true, alternative: label.alternative, ceilingClassification: label.ceilingClassification, translations: payload.translations, attestations: [...ids].sort(), grade };
  };
}

function declarationInForce(op: ReadOperation, federation: string, now: Date): Declaration {
  const evaluation = evaluate(requireRecord(op.read, federation), now);
  if (evaluation.state !== 'active' || !evaluation.inForce) throw new Refused('federation-inactive', `Federation ${federation} is ${evaluation.state}, not active.`);
  return evaluation.inForce.declaration;
}

/** The stored attestations of these meshes for a federation, unexpired at `now`, as translation reads them. */
function attestationFacts(op: ReadOperation, federation: string, meshes: readonly string[], now: Date): AttestationFact[] {
  return meshes.flatMap((m) =>
    listAttestations(op.read, { federation, mesh: m })
      .filter((row) => Date.parse(row.expires) > now.getTime())
      .map((row) => ({ id: row.id, body: { mesh: row.mesh, vocabulary: row.vocabulary, term: row.term, relation: row.relation as Relation, pivot: { vocabulary: row.pivotVocabulary, term: row.pivotTerm } } })),
  );
}

/**
 * For export: a stored record's classification in the ceiling's policy, from the attestations
 * of the mesh whose markings its label is in (undefined when it has none there). The outbound
 * half of release control; the receiver judges again with its own translator.
 */
export function ceilingClassifier(op: ReadOperation, options: { federation: string; now: Date }): (origin: string, label: ConfidentialityLabel, ceilingPolicy: LabelPolicy) => string | undefined {
  const { mesh } = op.mesh();
  const ownPolicy = PolicyFile.parse(JSON.parse(mesh.labelPolicy));
  const facts = new Map<string, AttestationFact[]>();
  return (origin, label, ceilingPolicy) => {
    let attestations = facts.get(origin);
    if (!attestations) facts.set(origin, (attestations = attestationFacts(op, options.federation, [origin, mesh.code], options.now)));
    const translated = translateLabel(label, { senderMesh: origin, receiverMesh: mesh.code, receiverPolicy: ownPolicy, ceilingPolicy, attestations });
    return translated.ok ? translated.ceilingClassification : undefined;
  };
}

export function listOwnAndPartnerAttestations(op: ReadOperation, filter: { federation?: string }): AttestationView[] {
  const { mesh } = op.mesh();
  return listAttestations(op.read, filter).map((row) => attestationView(row, mesh.code));
}
