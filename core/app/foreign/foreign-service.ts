/**
 * Admitting a partner's observation — the core's own import function, which the boundary
 * (bundles, live links) will call: the record must verify against the partner's anchor as its
 * card names it, an active federation must let its class cross from that partner to us, and its
 * label must sit at or below the declared ceiling. Admitted, it is stored with the federation it
 * came under (what exit semantics act on) and the crossing is recorded. Refused, nothing is written.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { normaliseSerial, parsePrincipalUri } from '../../credentials/index.js';
import { classificationRank, NATO_POLICY } from '../../labels/index.js';
import { GovernedObservation, ObservationVerifier } from '../../observation/index.js';
import { insertAdmission } from '../../store/federation-store.js';
import { insertCertificate } from '../../store/mesh-store.js';
import { appendObservations } from '../../store/observation-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { loadChainVerifier } from '../credentials/credentials-service.js';
import { mayCrossNow } from '../federations/federation-service.js';
import { credentialCheckFor, observationRow } from '../observations/observation-service.js';

export interface ForeignObservation {
  /** The signed record as it arrived (JSON text). */
  readonly recordText: string;
  /** The partner device's certificate (PEM); the record names it by SHA-256. */
  readonly deviceCertificatePem: string;
}

export async function admitForeignObservation(op: Operation, input: ForeignObservation): Promise<{ id: string; federation: string; version: number }> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  let candidate: unknown;
  try {
    candidate = readStrictJson(input.recordText);
  } catch (error) {
    if (error instanceof JsonError) throw new Refused(error.reason, `The foreign record: ${error.message}`);
    throw error;
  }
  const shape = GovernedObservation.safeParse(candidate);
  if (!shape.success) throw new Refused('malformed-record', 'The foreign record is not a governed observation.');
  const record = shape.data;
  if (record.mesh === mesh.code) throw new Refused('not-foreign', `The record is from ${mesh.code} itself, not from a partner.`);

  const verdict = mayCrossNow(op, record.mesh, mesh.code, record.class, now);
  if (!verdict.allowed) throw new Refused(verdict.reason, verdict.message);
  if (record.label.policy.id !== verdict.ceiling.policy) {
    throw new Refused('above-ceiling', `The label is under policy ${record.label.policy.id}; federation ${verdict.federation} sets its ceiling under ${verdict.ceiling.policy}.`);
  }
  const rank = classificationRank(NATO_POLICY, record.label.classification);
  const ceiling = classificationRank(NATO_POLICY, verdict.ceiling.classification);
  if (rank === undefined || ceiling === undefined || rank > ceiling) {
    throw new Refused('above-ceiling', `A ${record.label.classification} observation may not cross under federation ${verdict.federation}'s ceiling of ${verdict.ceiling.classification}.`);
  }

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(input.deviceCertificatePem);
  } catch {
    throw new Refused('bad-certificate', 'The partner device certificate is not a readable certificate.');
  }
  const sha256 = createHash('sha256').update(certificate.raw).digest('hex');
  if (sha256 !== record.device.certificate) throw new Refused('unknown-certificate', 'The certificate given is not the one the record names.');
  const principal = parsePrincipalUri(certificate.subjectAltName?.replace(/^URI:/, '') ?? '');
  const log = await op.log();

  return db.transaction(() => {
    // Stored first (inside the transaction) so the one credential check used for stored records judges it.
    insertCertificate(db, {
      sha256,
      mesh: record.mesh,
      role: 'device',
      principal: principal?.id ?? record.device.id,
      serial: normaliseSerial(certificate.serialNumber),
      notBefore: new Date(certificate.validFrom).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
      pem: certificate.toString(),
      addedAt: now.toISOString(),
    });
    const checked = new ObservationVerifier(credentialCheckFor(op, loadChainVerifier(op))).verify(candidate, now);
    if (!checked.ok) throw new Refused(checked.reason, checked.message);
    appendObservations(db, [observationRow(record, checked.id, now)]);
    insertAdmission(db, { observationId: checked.id, federation: verdict.federation, partner: record.mesh, admittedAt: now.toISOString() });
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(mesh),
          what: { ids: [checked.id], subject: record.subject, federation: verdict.federation, detail: { from: record.mesh, class: record.class, version: verdict.version, ceiling: verdict.ceiling.classification } },
          why: { reasons: ['admitted'], text: `Admitted from ${record.mesh} under ${verdict.federation} v${verdict.version}.` },
        },
      ],
      now,
    );
    return { id: checked.id, federation: verdict.federation, version: verdict.version };
  })();
}
