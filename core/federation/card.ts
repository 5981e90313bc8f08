/**
 * A partner's mesh card is only worth what its certificates are: the fingerprint it states must
 * be the SHA-256 of the anchor it carries, every intermediate must be a CA the anchor issued,
 * and the keys that may speak for the partner's authority come from there alone.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { authorityKeys } from '../audit/authority-key.js';
import type { AuthorityKey } from '../audit/verify-log.js';
import type { MeshCard } from './declaration.js';

export type CardCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'card-mismatch'; readonly message: string };

const sha256Of = (certificate: X509Certificate) => createHash('sha256').update(certificate.raw).digest('hex');

export function checkCard(card: MeshCard): CardCheck {
  const mismatch = (message: string): CardCheck => ({ ok: false, reason: 'card-mismatch', message: `The card of ${card.mesh} ${message}.` });
  let anchor: X509Certificate;
  try {
    anchor = new X509Certificate(card.trustAnchor.pem);
  } catch {
    return mismatch('carries a trust anchor that is not a readable certificate');
  }
  if (sha256Of(anchor) !== card.trustAnchor.sha256) return mismatch(`states trust anchor ${card.trustAnchor.sha256.slice(0, 16)}… but carries ${sha256Of(anchor).slice(0, 16)}…`);
  if (!anchor.ca) return mismatch('carries a trust anchor that is not a CA');
  for (const intermediate of card.intermediates) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(intermediate.pem);
    } catch {
      return mismatch('carries an intermediate that is not a readable certificate');
    }
    if (sha256Of(certificate) !== intermediate.sha256) return mismatch(`states intermediate ${intermediate.sha256.slice(0, 16)}… but carries another`);
    if (!certificate.ca || !certificate.checkIssued(anchor) || !certificate.verify(anchor.publicKey)) return mismatch(`carries intermediate ${certificate.subject.replaceAll('\n', ', ')}, which its anchor did not issue`);
  }
  return { ok: true };
}

/** The keys that may sign for the card's mesh authority. */
export function cardAuthority(card: MeshCard): AuthorityKey {
  return authorityKeys(
    card.trustAnchor.pem,
    card.intermediates.map((i) => i.pem),
  );
}

/** Whether two cards name the same authority (a change is a key rotation). */
export function sameAuthority(a: MeshCard, b: MeshCard): boolean {
  const ids = (card: MeshCard) => [card.trustAnchor.sha256, ...card.intermediates.map((i) => i.sha256).sort()].join(',');
  return ids(a) === ids(b);
}
