/**
 * The convergence proof that ends a sync (decision 0006): each agent signs, with its one key,
 * the count and full-set fingerprint of what it holds for the federation and scope after the
 * exchange. Equal digests both ways are a convergence both logs can show; unequal ones name the
 * difference that remained.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../../canonical/jcs.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { describeIssues, FederationId, IsoDateTime } from '../../common/atoms.js';
import { Refused } from '../../common/refused.js';
import { envelopeSignedBy, payloadOf, signEnvelope, type DsseEnvelope } from '../../crypto/dsse.js';
import { Scope } from './messages.js';

export const CONVERGENCE_TYPE = 'entente.convergence/v1';
export const CONVERGENCE_PAYLOAD_TYPE = 'application/vnd.entente.convergence+json';

/** A negentropy fingerprint of the whole set: 16 bytes, hex. */
const Digest = z.string().regex(/^[0-9a-f]{32}$/, 'expected 16 bytes of lowercase hex');

export const ConvergenceBody = z.strictObject({
  type: z.literal(CONVERGENCE_TYPE),
  federation: FederationId,
  version: z.number().int().min(1).max(1_000_000),
  scope: Scope,
  count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  digest: Digest,
  at: IsoDateTime,
  /** The peer's statement this one answers (null from the side that speaks first). */
  peerDigest: Digest.nullable(),
});
export type ConvergenceBody = z.infer<typeof ConvergenceBody>;

export function signConvergence(body: ConvergenceBody, signer: { key: KeyObject; keyid: string }): DsseEnvelope {
  return signEnvelope(CONVERGENCE_PAYLOAD_TYPE, Buffer.from(canonicalize(ConvergenceBody.parse(body)), 'utf8'), [signer]);
}

/** The peer's statement, signed by the key its hello was signed with. @throws Refused 'bad-proof' */
export function readConvergence(envelope: DsseEnvelope, keyid: string, publicKey: KeyObject): ConvergenceBody {
  if (envelope.payloadType !== CONVERGENCE_PAYLOAD_TYPE) throw new Refused('bad-proof', `The proof's payload type is ${envelope.payloadType.slice(0, 80)}, not a convergence statement.`);
  if (!envelopeSignedBy(envelope, keyid, publicKey)) throw new Refused('bad-proof', "The convergence statement is not signed by the peer agent's key.");
  let json: unknown;
  try {
    json = readStrictJson(payloadOf(envelope), { maxBytes: 4096, maxDepth: 4 });
  } catch (error) {
    throw new Refused('bad-proof', `The convergence statement is not strict JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const parsed = ConvergenceBody.safeParse(json);
  if (!parsed.success) throw new Refused('bad-proof', `The convergence statement is malformed: ${describeIssues(parsed.error, 'statement')}.`);
  return parsed.data;
}
