/**
 * The quarantine: items that crossed with a term this mesh has no mapping for wait here,
 * visible, until an operator decides (`entente quarantine release|reject`). Deciding signs a
 * statement with the operator's own credential; a release gives the item the marking the
 * operator judged — as an alternative label whose originator is that operator, beside the
 * untouched originator label — and never a guessed authority.
 */
import { signerRole } from '../../reconcile/decision.js';
import { createHash } from 'node:crypto';
import { canonicalize } from '../../canonical/jcs.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { signEnvelope, type DsseEnvelope } from '../../crypto/dsse.js';
import { classificationRank, normaliseLabel, type ConfidentialityLabel } from '../../labels/index.js';
import { GovernedObservation, ObservationVerifier } from '../../observation/index.js';
import { decideQuarantine, insertCrossing, listQuarantine, readQuarantine, type QuarantineRow } from '../../store/crossing-store.js';
import { readPrincipal } from '../../store/mesh-store.js';
import { appendObservations } from '../../store/observation-store.js';
import { labelPolicyOf } from '../credentials/credentials-service.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { partnerChains } from '../federations/partner-chains.js';
import { observationRow } from '../observations/observation-service.js';
import { storeForeignCertificate } from './admit.js';
import { indexStoredObservations } from '../sync-index/maintain.js';
import { keepPicture } from '../reconcile/keep.js';
import { crossingParts } from './wiring.js';

export const DECISION_PAYLOAD_TYPE = 'application/vnd.entente.quarantine-decision+json';

export interface QuarantineView {
  readonly id: string;
  readonly origin: string;
  readonly partner: string;
  readonly federation: string;
  readonly subject: string;
  readonly class: string;
  readonly classification: string;
  readonly reason: string;
  readonly missing: { readonly vocabulary: string; readonly term: string }[];
  readonly heldAt: string;
  readonly bundle: string;
  readonly decision: { readonly outcome: 'released' | 'rejected'; readonly at: string; readonly by: string; readonly reason: string } | null;
}

export function quarantineViews(op: ReadOperation, options: { all?: boolean; limit?: number; offset?: number } = {}): QuarantineView[] {
  return listQuarantine(op.read, { all: options.all ?? false, limit: options.limit ?? 1_000, offset: options.offset ?? 0 }).map(viewOf);
}

function viewOf(row: QuarantineRow): QuarantineView {
  const record = readStrictJson(row.record) as GovernedObservation;
  return {
    id: row.observationId,
    origin: row.origin,
    partner: row.partner,
    federation: row.federation,
    subject: row.subject,
    class: row.class,
    classification: `${record.label.policy.id} ${record.label.classification}`,
    reason: row.reason,
    missing: JSON.parse(row.missing) as QuarantineView['missing'],
    heldAt: row.heldAt,
    bundle: row.bundle,
    decision: row.decision === null ? null : { outcome: row.decision, at: row.decidedAt!, by: row.decidedBy!, reason: row.decisionReason! },
  };
}

export interface Decision {
  readonly id: string;
  /** The enrolled operator deciding: their key signs the decision. */
  readonly operator: string;
  readonly reason: string;
  /** For a release: the classification, in this mesh's policy, the operator gives the item. */
  readonly classification?: string;
}

export async function decideQuarantined(op: Operation, outcome: 'released' | 'rejected', decision: Decision): Promise<{ view: QuarantineView; statement: DsseEnvelope }> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  const row = readQuarantine(db, decision.id);
  if (!row) throw new Refused('not-found', `Nothing with id ${decision.id.slice(0, 16)}… waits in quarantine.`);
  if (row.decision !== null) throw new Refused('already-decided', `Quarantined item ${decision.id.slice(0, 16)}… was already ${row.decision} by ${row.decidedBy} at ${row.decidedAt}.`);
  const operator = readPrincipal(db, 'operator', decision.operator);
  if (!operator || operator.revokedAt) throw new Refused('unknown-operator', `${decision.operator} is not an enrolled operator of ${mesh.code} in good standing.`);
  if (decision.reason.trim().length === 0) throw new Refused('reason-required', 'A quarantine decision needs a reason.');

  let alternative: ConfidentialityLabel | null = null;
  const record = GovernedObservation.parse(readStrictJson(row.record));
  if (outcome === 'released') {
    const policy = labelPolicyOf(mesh);
    if (decision.classification === undefined || classificationRank(policy, decision.classification) === undefined) {
      throw new Refused('unknown-classification', `A release needs a classification of ${mesh.code}'s policy (${policy.classifications.map((c) => c.name).join(', ')}).`);
    }
    // The item is checked again now: the device may have been revoked while it waited.
    const chain = partnerChains(db)(record.mesh);
    const verdict = new ObservationVerifier((r, admittedAt, query) => {
      if (!chain) return { ok: false, reason: 'unknown-partner', message: `No federation on record names ${r.mesh}.` };
      const result = chain.verify(row.certificatePem, { role: signerRole(r.class), at: query.observedAt, admittedAt });
      return result.ok ? { ok: true, publicKey: result.publicKey } : result;
    }).verify(record, now);
    if (!verdict.ok) throw new Refused(verdict.reason, `The quarantined item no longer verifies: ${verdict.message}`);
    alternative = normaliseLabel({
      kind: 'alternative',
      policy: { id: policy.id, ...(policy.uri === undefined ? {} : { uri: policy.uri }) },
      classification: decision.classification,
      categories: [],
      originator: { idType: 'operator', id: `urn:entente:${mesh.code}:operator:${encodeURIComponent(decision.operator)}` },
      createdAt: now.toISOString(),
    });
  }

  const statementBody = {
    type: 'entente.quarantine-decision/v1',
    mesh: mesh.code,
    observation: row.observationId,
    decision: outcome,
    operator: decision.operator,
    reason: decision.reason,
    ...(alternative ? { label: alternative } : {}),
    at: now.toISOString(),
  };
  const key = await op.keyring.key(operator.certificateSha256);
  const statement = signEnvelope(DECISION_PAYLOAD_TYPE, Buffer.from(canonicalize(statementBody), 'utf8'), [{ keyid: operator.certificateSha256, key }]);
  const statementDigest = createHash('sha256').update(canonicalize(statement)).digest('hex');
  const log = await op.log();
  db.transaction(() => {
    if (!decideQuarantine(db, { observationId: row.observationId, decision: outcome, decidedAt: now.toISOString(), decidedBy: decision.operator, reason: decision.reason, statement: canonicalize(statement) })) {
      throw new Refused('already-decided', `Quarantined item ${decision.id.slice(0, 16)}… was decided meanwhile.`);
    }
    const actor = { mesh: mesh.code, role: 'operator' as const, id: decision.operator, certificate: operator.certificateSha256 };
    if (outcome === 'released') {
      const crossing = JSON.parse(row.crossing) as Omit<Parameters<typeof insertCrossing>[1], 'observationId' | 'outcome' | 'admittedAt'>;
      storeForeignCertificate(op, row.certificatePem, record.mesh, now.toISOString());
      appendObservations(db, [observationRow(record, row.observationId, now)]);
      insertCrossing(db, {
        ...crossing,
        observationId: row.observationId,
        alternativeLabel: canonicalize(alternative),
        translations: canonicalize([{ by: 'operator-decision', operator: decision.operator, classification: decision.classification }]),
        outcome: 'released',
        admittedAt: now.toISOString(),
      });
      indexStoredObservations(op, crossingParts, [row.observationId], now);
      keepPicture(op, log, [row.observationId], now);
    }
    log.append(
      [
        ...(outcome === 'released'
          ? [
              {
                type: 'crossing' as const,
                who: actor,
                what: { ids: [row.observationId], subject: row.subject, federation: row.federation, attestations: [statementDigest], detail: { from: row.partner, bundle: row.bundle, released: true } },
                why: { reasons: ['admitted'], text: `Released from quarantine by ${decision.operator}: ${decision.reason}` },
              },
            ]
          : []),
        {
          type: 'decision',
          who: actor,
          what: { ids: [row.observationId], subject: row.subject, federation: row.federation, attestations: [statementDigest], detail: { decision: outcome, from: row.partner, ...(decision.classification ? { classification: decision.classification } : {}) } },
          why: { reasons: [outcome === 'released' ? 'quarantine-released' : 'quarantine-rejected'], text: decision.reason },
        },
      ],
      now,
    );
  })();
  return { view: viewOf(readQuarantine(db, row.observationId)!), statement };
}
