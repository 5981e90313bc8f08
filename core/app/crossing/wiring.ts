/**
 * The crossing's seams (parts.ts) bound to the parts that own them: the agents' hello, the
 * taxonomy's translators and attestations, integrity's events, taint and tombstones, and the
 * mesh's own CRLs. The one place the pipeline meets them.
 */
import { Refused } from '../../common/refused.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import { NATO_POLICY, parsePolicyFile, type LabelPolicy } from '../../labels/index.js';
import { latestBundleExportAcknowledged } from '../../store/crossing-store.js';
import { isPurged, readTaint } from '../../store/integrity-store.js';
import { latestCrls } from '../../store/mesh-store.js';
import { listAttestations } from '../../store/taxonomy-store.js';
import { checkIncomingHello, helloFor } from '../agents/agents-service.js';
import { labelPolicyOf } from '../credentials/credentials-service.js';
import { federationRecord } from '../federations/federation-records.js';
import { recordIntegrityEventWith } from '../integrity/events.js';
import { applyPartnerCrl, applyTaintNotice, taintNoticesFor, taintOnArrival } from '../integrity/taint.js';
import { admitPartnerAttestations, ceilingClassifier, translatorFor } from '../taxonomy/taxonomy-service.js';
import type { CrossingParts } from './parts.js';

export const crossingParts: CrossingParts = {
  helloFor: async (op, request) => {
    const signed = await helloFor(op, request);
    const body = JSON.parse(Buffer.from(signed.envelope.payload, 'base64').toString('utf8')) as { agent: { id: string } };
    return { envelope: signed.envelope, signer: signed.signer, agent: body.agent.id };
  },
  checkIncomingHello: (op, envelope, now, bundle) => checkIncomingHello(op, envelope, now, { bundle }),
  translatorFor: (op, request) => translatorFor(op, request),
  ceilingClassifier: (op, request) => ceilingClassifier(op, request),
  attestationsFor: (op, federation) => listAttestations(op.read, { federation }).map((row) => JSON.parse(row.envelope) as DsseEnvelope),
  admitPartnerAttestations: (op, envelopes, now) => admitPartnerAttestations(op, envelopes, now),
  applyPartnerCrl: (op, partner, pem, now) => applyPartnerCrl(op, partner, pem, now),
  ownCrls: (op) => latestCrls(op.read).map((row) => row.pem),
  applyTaintNotice: (op, notice, now) => applyTaintNotice(op, notice, now),
  taintNoticesFor: (op, partner) => {
    try {
      // Taints marked since the last bundle the partner acknowledged (a lost bundle's are sent again).
      return taintNoticesFor(op, partner, latestBundleExportAcknowledged(op.read, partner) ?? '1970-01-01T00:00:00.000Z');
    } catch (error) {
      if (error instanceof Refused) return [];
      throw error;
    }
  },
  policyOf: (op, federation, policyId) => ceilingPolicies(op, federation).get(policyId),
  recordIntegrityEvent: (op, log, event, now) => recordIntegrityEventWith(op.write, op.mesh(), log, event, now),
  isPurged: (op, id) => isPurged(op.read, id),
  isTainted: (op, id) => readTaint(op.read, id) !== undefined,
  markTainted: (op, id, evidence, now) => taintOnArrival(op.write, id, evidence.sources, now),
};

/** NATO's, ours, and each partner's policy as its card in the federation carries it. */
function ceilingPolicies(op: Parameters<CrossingParts['policyOf']>[0], federation: string): Map<string, LabelPolicy> {
  const record = federationRecord(op.read, federation);
  return ceilingPoliciesOf(op, record ? evaluate(record, op.clock.now()).inForce?.declaration : undefined);
}

/** The same for a declaration in hand (a draft the editor previews): NATO's, ours, its partners'. */
export function ceilingPoliciesOf(op: Parameters<CrossingParts['policyOf']>[0], declaration: Pick<Declaration, 'partners'> | undefined): Map<string, LabelPolicy> {
  const policies = new Map<string, LabelPolicy>([[NATO_POLICY.id, NATO_POLICY]]);
  const own = labelPolicyOf(op.mesh().mesh);
  policies.set(own.id, own);
  for (const partner of declaration?.partners ?? []) {
    if (partner.card.labelPolicy === undefined) continue;
    try {
      const policy = parsePolicyFile(partner.card.labelPolicy);
      if (!policies.has(policy.id)) policies.set(policy.id, policy);
    } catch {
      /* a card with an unreadable policy states no ceiling we can judge */
    }
  }
  return policies;
}
