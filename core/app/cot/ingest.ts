/**
 * CoT events from the TAK ecosystem as this mesh's own observations (issue 17): each valid event
 * is stored through storeOwnObservation — the one path for own observations, so it is stamped,
 * signed by the ingesting device's key, checked as a receiver would, indexed, kept in the
 * picture and logged — and every event gets its own outcome: a bad one is refused with its
 * reason and the next one is still read.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditDraft } from '../../audit/entry.js';
import { Refused } from '../../common/refused.js';
import type { ChainVerifier } from '../../credentials/index.js';
import { cotToObservation, splitCotEvents, type CotPayload } from '../../cot/index.js';
import type { ConfidentialityLabel } from '../../labels/index.js';
import type { UnsignedObservation } from '../../observation/index.js';
import { readCertificate, readPrincipal } from '../../store/mesh-store.js';
import type { Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { loadChainVerifier } from '../credentials/credentials-service.js';
import { parseLabel, policiesOf, storeOwnObservation } from '../observations/observation-service.js';

export interface CotIngestRequest {
  /** The enrolled device whose credential signs what is ingested (the TAK gateway, the sensor's bridge). */
  readonly device: string;
  /** The label every ingested event is recorded under (JSON or STANAG 4774 XML, as `entente observe --label`). */
  readonly labelText: string;
}

export type CotOutcome =
  | { readonly outcome: 'admitted'; readonly id: string; readonly subject: string; readonly type: string }
  | { readonly outcome: 'refused'; readonly reason: string; readonly message: string };

/** A device's ingest, opened once (its key decrypted once) and fed one event at a time. */
export interface CotIngestSession {
  readonly device: string;
  /** Never throws: a bad event, or one the store refuses, is a `refused` outcome. */
  ingest(xml: string | Uint8Array): Promise<CotOutcome>;
}

/**
 * How long a session trusts the credentials it loaded: a device revoked while a listener runs is
 * refused from the next reload on (the revocation is in the store; the verifier is re-read).
 */
const CREDENTIALS_TTL_MS = 5_000;

/**
 * Opens a device's ingest: the device must be enrolled and in good standing, the label valid and
 * the key openable (the passphrase is asked for here, once). Throws Refused otherwise — nothing
 * is ingested under a device that cannot sign.
 */
export async function openCotIngest(op: Operation, request: CotIngestRequest): Promise<CotIngestSession> {
  const { mesh } = op.mesh();
  const principal = readPrincipal(op.read, 'device', request.device);
  if (!principal) throw new Refused('not-enrolled', `No device ${request.device} is enrolled in mesh ${mesh.code}.`);
  const certificate = readCertificate(op.read, principal.certificateSha256)!;
  let chains = loadChainVerifier(op);
  let loadedAt = Date.now();
  const standing = (now: Date): void => {
    if (Date.now() - loadedAt > CREDENTIALS_TTL_MS) {
      chains = loadChainVerifier(op);
      loadedAt = Date.now();
    }
    const untrusted = chains.refusedCrls[0];
    if (untrusted) throw new Refused('untrusted-crl', `A stored revocation list is not trustworthy, so revocation cannot be checked: ${untrusted.message}`);
    const result = chains.verify(certificate.pem, { role: 'device', at: now, admittedAt: now });
    if (!result.ok) throw new Refused(result.reason, `Device ${request.device} cannot record observations: ${result.message}`);
  };
  standing(op.clock.wall());
  const label = parseLabel(request.labelText, policiesOf(mesh));
  const key = await op.keyring.key(principal.certificateSha256);
  const log = await op.log();
  const signer = { id: request.device, certificateSha256: principal.certificateSha256 };
  const who = { mesh: mesh.code, role: 'device' as const, id: request.device, certificate: principal.certificateSha256 };

  return {
    device: request.device,
    ingest: async (xml) => {
      try {
        const parts = await cotToObservation(xml);
        const now = op.clock.wall();
        standing(now);
        const { id } = store(op, parts.subject, parts.class, parts.payload, label, signer, { key, chains, log, now }, who);
        return { outcome: 'admitted', id, subject: parts.subject, type: parts.payload.type };
      } catch (error) {
        if (error instanceof Refused) return { outcome: 'refused', reason: error.reason, message: error.message };
        // A listener keeps running whatever one event does; the message still names what broke.
        return { outcome: 'refused', reason: 'cot-ingest-failed', message: `The CoT event could not be stored: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}

function store(
  op: Operation,
  subject: string,
  klass: string,
  payload: CotPayload,
  label: ConfidentialityLabel,
  signer: { id: string; certificateSha256: string },
  signing: { key: KeyObject; chains: ChainVerifier; log: Log; now: Date },
  who: { mesh: string; role: 'device'; id: string; certificate: string },
): { id: string } {
  return storeOwnObservation(
    op,
    { subject, class: klass, payload: payload as UnsignedObservation['payload'], label, signer, sources: [], derivation: null },
    signing,
    (id): AuditDraft[] => [{ type: 'observation', who, what: { ids: [id], subject, detail: { class: klass, via: 'cot', type: payload.type } }, why: { reasons: ['recorded'] } }],
  );
}

/** Ingests each event text in order, one outcome per event. */
export async function ingestCotEvents(op: Operation, request: CotIngestRequest, xmlChunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<CotOutcome[]> {
  const session = await openCotIngest(op, request);
  const outcomes: CotOutcome[] = [];
  for await (const xml of xmlChunks) outcomes.push(await session.ingest(xml));
  return outcomes;
}

/**
 * A document of several events (a file): split by `</event>`, each ingested; text that runs past
 * one event's bound without closing, or is left after the last event, is a refusal of its own.
 */
export async function ingestCotDocument(op: Operation, request: CotIngestRequest, text: string): Promise<CotOutcome[]> {
  const session = await openCotIngest(op, request);
  const outcomes: CotOutcome[] = [];
  for (const piece of splitCotEvents(text)) {
    if (piece.kind === 'overflow') outcomes.push({ outcome: 'refused', reason: 'cot-too-large', message: 'The file holds text longer than one event may be without a closing </event>; it was skipped.' });
    else outcomes.push(await session.ingest(piece.text));
  }
  return outcomes;
}
