/**
 * Deciding a queue item (docs/decisions/0007, "A decision"): the operator's credential signs a
 * governed observation of class `decision` — subject the item's subject, lineage sources the
 * competing observations, payload `{ item, action, choose?, merge?, reason }` — stored like any
 * observation (so it crosses in bundles and links and every partner applies it), and the
 * picture kept in the same transaction. Refused: an unknown or non-operator principal, a
 * revoked one, an unknown or closed item, the same decision made again.
 */
import type { AuditDraft } from '../../audit/entry.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { LabelError, NATO_POLICY, validateLabel, type ConfidentialityLabel } from '../../labels/index.js';
import type { GovernedObservation } from '../../observation/index.js';
import { DECISION_CLASS, decisionsAmong, parseDecisionPayload, type DecisionAction, type DecisionPayload } from '../../reconcile/decision.js';
import { candidateOf } from '../../reconcile/picture.js';
import { readCertificate, readPrincipal } from '../../store/mesh-store.js';
import { readQueueItem, subjectRecords } from '../../store/reconcile-store.js';
import type { Operation } from '../context/operation.js';
import { labelPolicyOf, loadChainVerifier } from '../credentials/credentials-service.js';
import { storeOwnObservation } from '../observations/observation-service.js';

/** The derivation a decision names: it is derived from the competing observations by a person's judgement. */
export const DECISION_DERIVATION = { name: 'entente.decision', version: '1' } as const;

export interface DecideRequest {
  readonly item: string;
  readonly action: DecisionAction;
  readonly choose?: string;
  readonly merge?: Readonly<Record<string, string>>;
  readonly reason: string;
  /** The enrolled operator deciding: their key signs the decision. */
  readonly operator: string;
  /** The decision's label (JSON); by default the highest label of this mesh's competing observations. */
  readonly labelText?: string;
}

export async function decide(op: Operation, request: DecideRequest): Promise<{ id: string; record: GovernedObservation; payload: DecisionPayload }> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  const item = readQueueItem(db, request.item);
  if (!item) throw new Refused('unknown-item', `No queue item ${request.item.slice(0, 16)}… is held here.`);
  if (item.status === 'decided' || item.status === 'superseded') {
    throw new Refused('item-closed', `Queue item ${request.item.slice(0, 16)}… is ${item.status}${item.decision ? ` (by decision ${item.decision.slice(0, 16)}…)` : ''}: there is nothing left to decide.`);
  }
  if (item.kind === 'decision-clash') throw new Refused('item-closed', `Queue item ${request.item.slice(0, 16)}… is a clash between partners' decisions: the declared precedence settles it; decide the divergence item instead.`);
  const principal = readPrincipal(db, 'operator', request.operator);
  if (!principal) {
    const other = (['device', 'boundary-agent'] as const).find((role) => readPrincipal(db, role, request.operator));
    if (other) throw new Refused('not-an-operator', `${request.operator} is a ${other} of ${mesh.code}, not an operator: only an operator's credential signs a decision.`);
    throw new Refused('unknown-operator', `No operator ${request.operator} is enrolled in mesh ${mesh.code}.`);
  }
  if (principal.revokedAt) throw new Refused('revoked', `Operator ${request.operator}'s credential was revoked at ${principal.revokedAt}: it cannot sign a decision.`);
  const certificate = readCertificate(db, principal.certificateSha256)!;
  const chains = loadChainVerifier(op);
  const standing = chains.verify(certificate.pem, { role: 'operator', at: now, admittedAt: now });
  if (!standing.ok) throw new Refused(standing.reason, `Operator ${request.operator} cannot decide: ${standing.message}`);

  const competing = JSON.parse(item.competing) as string[];
  const payload = parseDecisionPayload({
    item: item.id,
    action: request.action,
    ...(request.choose === undefined ? {} : { choose: request.choose }),
    ...(request.merge === undefined ? {} : { merge: { ...request.merge } }),
    reason: request.reason,
  });
  const held = new Map(subjectRecords(db, item.subject).map(({ id, record }) => [id, JSON.parse(record) as GovernedObservation]));
  const named = [payload.choose, ...Object.values(payload.merge ?? {})].filter((id): id is string => id !== undefined);
  const outsider = named.find((id) => !competing.includes(id));
  if (outsider) throw new Refused('not-competing', `${outsider.slice(0, 16)}… is not one of the competing observations of item ${item.id.slice(0, 16)}….`);
  for (const [field, id] of Object.entries(payload.merge ?? {})) {
    const fields = held.get(id)?.payload;
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || !Object.hasOwn(fields, field)) {
      throw new Refused('unknown-field', `Observation ${id.slice(0, 16)}… asserts no field ${field}: a merge takes each field from an observation that has it.`);
    }
  }
  // The same decision made again (a replay, or a second click) would only repeat what stands.
  const effect = (p: DecisionPayload) => JSON.stringify([p.action, p.choose ?? null, p.merge ? Object.entries(p.merge).sort() : null]);
  const ours = decisionsAmong([...held].map(([id, record]) => candidateOf(id, record))).filter((d) => d.candidate.mesh === mesh.code && d.payload.item === item.id);
  if (ours.some((d) => effect(d.payload) === effect(payload))) throw new Refused('decision-replayed', `${mesh.code} already made this decision on item ${item.id.slice(0, 16)}….`);

  const label = request.labelText === undefined ? defaultLabel(mesh.code, competing, held) : parseLabel(request.labelText, [NATO_POLICY, labelPolicyOf(mesh)]);
  const key = await op.keyring.key(principal.certificateSha256);
  const log = await op.log();
  const who = { mesh: mesh.code, role: 'operator' as const, id: request.operator, certificate: principal.certificateSha256 };
  const stored = storeOwnObservation(
    op,
    { subject: item.subject, class: DECISION_CLASS, payload, label, signer: { id: request.operator, certificateSha256: principal.certificateSha256 }, sources: [...competing].sort(), derivation: { ...DECISION_DERIVATION } },
    { key, chains, log, now },
    (id): AuditDraft[] => [
      // The record is an observation like any other (the store and the log agree on every one), then the decision it carries.
      {
        type: 'observation',
        who,
        what: { ids: [id, ...competing], subject: item.subject, detail: { class: DECISION_CLASS, derivation: `${DECISION_DERIVATION.name}@${DECISION_DERIVATION.version}` } },
        why: { reasons: ['derived'] },
      },
      {
        type: 'decision',
        who,
        what: { ids: [id, ...competing], subject: item.subject, detail: { item: item.id, action: payload.action } },
        why: { reasons: ['queue-decided'], text: payload.reason.slice(0, 1_000) },
      },
    ],
  );
  return { ...stored, payload };
}

/** This mesh's own competing observations' label, the most recent one's: the decision names them, so it is handled at least as they are. */
function defaultLabel(own: string, competing: readonly string[], held: ReadonlyMap<string, GovernedObservation>): ConfidentialityLabel {
  const mine = competing.map((id) => held.get(id)).filter((r): r is GovernedObservation => r !== undefined && r.mesh === own);
  const newest = mine.sort((a, b) => b.time.hlc.l - a.time.hlc.l || b.time.hlc.c - a.time.hlc.c)[0];
  if (!newest) throw new Refused('label-required', `None of the competing observations is ${own}'s own, so the decision's label cannot be taken from them: give one (--label FILE).`);
  return newest.label as ConfidentialityLabel;
}

function parseLabel(text: string, policies: Parameters<typeof validateLabel>[1]): ConfidentialityLabel {
  try {
    return validateLabel(readStrictJson(text, { maxBytes: 64 * 1024, maxDepth: 8 }), policies);
  } catch (error) {
    if (error instanceof LabelError) throw new Refused(error.reason, error.message);
    if (error instanceof JsonError) throw new Refused(error.reason, `The label: ${error.message}`);
    throw error;
  }
}
