/**
 * The crossing receipt (docs/decisions/0005-crossing.md, "Receipts"): the importer's mesh
 * authority signs what became of a bundle — its digest, the outcome counts, the RFC 6962 root
 * over the admitted ids in bundle order, and each refused id with its reason — so the exporter
 * can prove from its own log what the partner admitted. A DSSE envelope; its payload is the
 * body's RFC 8785 canonical JSON.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalBytes } from '../../canonical/jcs.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { describeIssues, FederationId, IsoDateTime, isSha256Hex, MeshCode, Sha256Hex } from '../../common/atoms.js';
import { Refused } from '../../common/refused.js';
import { DsseSignature, envelopeSignedBy, payloadOf, signEnvelope, type DsseEnvelope, type EnvelopeSigner } from '../../crypto/dsse.js';
import { leafHashOfText, MerkleRootBuilder } from '../../crypto/merkle.js';

export const RECEIPT_TYPE = 'entente.crossing-receipt/v1';
export const RECEIPT_PAYLOAD_TYPE = 'application/vnd.entente.crossing-receipt+json';

/** A receipt lists every refused id: up to 2^20 of them (some 100 MiB of payload at most). */
export const MAX_RECEIPT_REFUSALS = 1 << 20;
const MAX_RECEIPT_PAYLOAD_BYTES = 128 * 1024 * 1024;

const Count = z.number().int().min(0).max(2 ** 32);
/** A reason code as the pipeline names them: lowercase words and hyphens. */
const ReasonCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a reason code such as above-ceiling');

export const ReceiptBody = z.strictObject({
  type: z.literal(RECEIPT_TYPE),
  /** The bundle's digest: SHA-256 of its manifest line. */
  bundle: Sha256Hex,
  /** The exporting mesh, and the importing one whose authority signs. */
  from: MeshCode,
  to: MeshCode,
  federation: FederationId,
  /** One outcome per item (decision 0005, "What crosses"). */
  counts: z.strictObject({ admitted: Count, duplicate: Count, rejected: Count, quarantined: Count, tainted: Count }),
  /** The ids admitted (tainted ones included: they are admitted, marked), and their root in bundle order. */
  admitted: z.strictObject({ count: Count, root: Sha256Hex }),
  refused: z.array(z.strictObject({ id: Sha256Hex, reason: ReasonCode })).max(MAX_RECEIPT_REFUSALS),
  at: IsoDateTime,
});
export type ReceiptBody = z.infer<typeof ReceiptBody>;

/** The envelope as dsse.ts reads it, with room for a receipt's payload (the generic one stops at 1 MiB). */
const ReceiptEnvelope = z.strictObject({
  payloadType: z.string().min(1).max(256),
  payload: z
    .string()
    .max(Math.ceil((MAX_RECEIPT_PAYLOAD_BYTES * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
  signatures: z.array(DsseSignature).min(1).max(16),
});

/**
 * RFC 6962 root over the admitted ids in bundle order: each leaf is leafHash of the id's 64
 * lowercase hex characters (the same leaf hashing as the bundle's lines, over the id's text).
 * Streams: any number of ids in O(log n) memory.
 */
export async function admittedRoot(ids: AsyncIterable<string> | Iterable<string>): Promise<{ count: number; root: string }> {
  const builder = new MerkleRootBuilder();
  const push = (id: string) => {
    // The pattern itself, not the schema's safeParse around it: this runs once per admitted id.
    if (!isSha256Hex(id)) throw new Refused('malformed-receipt', `The admitted id ${JSON.stringify(String(id).slice(0, 80))} is not a lowercase hex SHA-256.`);
    builder.push(Buffer.from(leafHashOfText(id), 'hex'));
  };
  // A store's rows come as a plain iterator: read without a turn of the event loop per id.
  if (Symbol.iterator in ids) for (const id of ids) push(id);
  else for await (const id of ids) push(id);
  return { count: builder.size, root: builder.root().toString('hex') };
}

/** Signs a receipt with the importing mesh's authority (keyid: SHA-256 of its certificate). */
export function signReceipt(body: ReceiptBody, signer: EnvelopeSigner): DsseEnvelope {
  const checked = ReceiptBody.safeParse(body);
  if (!checked.success) throw new Refused('malformed-receipt', `The receipt cannot be signed: ${describeIssues(checked.error, 'receipt')}.`);
  return signEnvelope(RECEIPT_PAYLOAD_TYPE, canonicalBytes(checked.data), [signer]);
}

export interface ReceiptKey {
  /** SHA-256 of the partner authority's certificate, as its card names it. */
  readonly keyid: string;
  readonly key: KeyObject;
}

/**
 * Reads a receipt the partner's authority signed: `malformed-receipt` for anything that is not
 * a receipt envelope, `wrong-payload-type` for another kind of envelope, `bad-receipt-signature`
 * unless a signature with the partner's keyid verifies with its key. The body is read only after
 * the signature verified, and only its canonical form is accepted (so one receipt has one digest).
 */
export function readReceipt(envelope: unknown, verifyKey: ReceiptKey): ReceiptBody {
  const shape = ReceiptEnvelope.safeParse(envelope);
  if (!shape.success) throw new Refused('malformed-receipt', `The receipt is not a signed envelope: ${describeIssues(shape.error, 'receipt')}.`);
  if (shape.data.payloadType !== RECEIPT_PAYLOAD_TYPE) {
    throw new Refused('wrong-payload-type', `The envelope holds ${JSON.stringify(shape.data.payloadType.slice(0, 80))}, not a crossing receipt (${RECEIPT_PAYLOAD_TYPE}).`);
  }
  if (!envelopeSignedBy(shape.data, verifyKey.keyid, verifyKey.key)) {
    throw new Refused('bad-receipt-signature', `No signature on the receipt verifies with the partner authority's key ${verifyKey.keyid.slice(0, 16)}….`);
  }
  const payload = payloadOf(shape.data);
  let json: unknown;
  try {
    json = readStrictJson(payload, { maxBytes: MAX_RECEIPT_PAYLOAD_BYTES, maxDepth: 4, maxValues: 3 * MAX_RECEIPT_REFUSALS + 64, maxContainers: MAX_RECEIPT_REFUSALS + 16 });
  } catch (error) {
    if (error instanceof Refused) throw new Refused('malformed-receipt', `The receipt's body is not strict JSON (${error.reason}): ${error.message}`);
    throw error;
  }
  const body = ReceiptBody.safeParse(json);
  if (!body.success) throw new Refused('malformed-receipt', `The receipt's body is not a crossing receipt: ${describeIssues(body.error, 'receipt')}.`);
  if (!canonicalBytes(body.data).equals(payload)) throw new Refused('malformed-receipt', "The receipt's body is not in canonical form (RFC 8785).");
  return body.data;
}

/** Envelope with the generic schema's type, for callers that store or forward it. */
export type ReceiptEnvelope = z.infer<typeof ReceiptEnvelope>;
