/**
 * What carries a federation between meshes (`entente federation export` / `import`): one
 * version of the declaration with every signature its sender holds, and the partners'
 * signed withdrawals. Withdrawals are DSSE envelopes signed by the withdrawing partner's
 * authority, so a partner can leave but nobody can make another partner leave.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { DsseEnvelope, DsseSignature, envelopeSignedBy, payloadOf, signEnvelope } from '../crypto/dsse.js';
import { canonicalize } from '../canonical/jcs.js';
import { JsonError, readStrictJson } from '../canonical/strict-json.js';
import { describeIssues, MeshCode } from '../common/atoms.js';
import { cardAuthority } from './card.js';
import type { Declaration } from './declaration.js';

export const EXCHANGE_TYPE = 'entente.federation-exchange/v1';
export const WITHDRAWAL_PAYLOAD_TYPE = 'application/vnd.entente.federation-withdrawal+json';

export const FederationExchange = z.strictObject({
  type: z.literal(EXCHANGE_TYPE),
  /** The declaration as signed: validated by core/federation's schema on import. */
  declaration: z.unknown(),
  signatures: z.array(DsseSignature).max(64),
  withdrawals: z.array(z.unknown()).max(64),
});
export type FederationExchange = z.infer<typeof FederationExchange>;

export const WithdrawalBody = z.strictObject({
  type: z.literal('entente.federation-withdrawal/v1'),
  federation: z.string().min(1).max(64),
  version: z.number().int().min(1),
  partner: MeshCode,
  // eslint-disable-next-line no-control-regex -- no control characters in a reason shown to officers.
  reason: z.string().min(1).max(1_000).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/),
  at: z.iso.datetime({ offset: true }),
});
export type WithdrawalBody = z.infer<typeof WithdrawalBody>;

export function signWithdrawal(body: WithdrawalBody, signer: { keyid: string; key: KeyObject }): DsseEnvelope {
  return signEnvelope(WITHDRAWAL_PAYLOAD_TYPE, Buffer.from(canonicalize(WithdrawalBody.parse(body)), 'utf8'), [signer]);
}

export type WithdrawalReading = { readonly ok: true; readonly body: WithdrawalBody; readonly envelope: DsseEnvelope } | { readonly ok: false; readonly reason: string; readonly message: string };

/** A withdrawal counts only when the withdrawing partner's own authority signed it. */
export function readWithdrawal(candidate: unknown, declaration: Declaration, at: Date): WithdrawalReading {
  const envelope = DsseEnvelope.safeParse(candidate);
  if (!envelope.success || envelope.data.payloadType !== WITHDRAWAL_PAYLOAD_TYPE) return { ok: false, reason: 'malformed-withdrawal', message: 'A withdrawal is not a signed withdrawal envelope.' };
  let body: WithdrawalBody;
  try {
    const parsed = WithdrawalBody.safeParse(readStrictJson(payloadOf(envelope.data)));
    if (!parsed.success) return { ok: false, reason: 'malformed-withdrawal', message: `A withdrawal is malformed: ${describeIssues(parsed.error, 'withdrawal')}.` };
    body = parsed.data;
  } catch (error) {
    return { ok: false, reason: 'malformed-withdrawal', message: `A withdrawal payload is not usable JSON${error instanceof JsonError ? `: ${error.message}` : '.'}` };
  }
  const partner = declaration.partners.find((p) => p.mesh === body.partner);
  if (body.federation !== declaration.id || !partner) return { ok: false, reason: 'malformed-withdrawal', message: `The withdrawal of ${body.partner} is not from a partner of ${declaration.id}.` };
  const signed = envelope.data.signatures.some((s) => {
    const key = cardAuthority(partner.card)(s.keyid, at);
    return key.ok && envelopeSignedBy(envelope.data, s.keyid, key.publicKey);
  });
  if (!signed) return { ok: false, reason: 'not-a-partner-signature', message: `The withdrawal of ${body.partner} is not signed by its authority.` };
  return { ok: true, body, envelope: envelope.data };
}

export function parseExchange(candidate: unknown): { ok: true; value: FederationExchange } | { ok: false; message: string } {
  const parsed = FederationExchange.safeParse(candidate);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: `The federation file is malformed: ${describeIssues(parsed.error, 'file')}.` };
}
