/**
 * A partner's mesh card is only worth what its certificates are: the fingerprint it states must
 * be the SHA-256 of the anchor it carries, every intermediate must be a CA that chains to the
 * anchor through the card's other intermediates (a national PKI is often several levels deep),
 * and the keys that may speak for the partner's authority come from there alone.
 */
import { caPaths, parseCertificate, type ParsedCertificate } from '../credentials/index.js';
import { authorityKeys } from '../audit/authority-key.js';
import type { AuthorityKey } from '../audit/verify-log.js';
import type { MeshCard } from './declaration.js';

export type CardCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'card-mismatch'; readonly message: string };

export function checkCard(card: MeshCard): CardCheck {
  const mismatch = (message: string): CardCheck => ({ ok: false, reason: 'card-mismatch', message: `The card of ${card.mesh} ${message}.` });
  const anchor = readable(card.trustAnchor.pem);
  if (!anchor) return mismatch('carries a trust anchor that is not a readable certificate');
  if (anchor.sha256 !== card.trustAnchor.sha256) return mismatch(`states trust anchor ${card.trustAnchor.sha256.slice(0, 16)}… but carries ${anchor.sha256.slice(0, 16)}…`);
  if (!anchor.isCa) return mismatch('carries a trust anchor that is not a CA');
  const intermediates: ParsedCertificate[] = [];
  for (const intermediate of card.intermediates) {
    const certificate = readable(intermediate.pem);
    if (!certificate) return mismatch('carries an intermediate that is not a readable certificate');
    if (certificate.sha256 !== intermediate.sha256) return mismatch(`states intermediate ${intermediate.sha256.slice(0, 16)}… but carries another`);
    intermediates.push(certificate);
  }
  const paths = caPaths(anchor, intermediates);
  for (const certificate of intermediates) {
    const path = paths.pathOf(certificate);
    if (!path.ok) return mismatch(`carries intermediate ${certificate.subject}, which does not chain to its anchor (${path.reason})`);
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

function readable(pem: string): ParsedCertificate | undefined {
  try {
    return parseCertificate(pem);
  } catch {
    return undefined;
  }
}

/** Whether two cards name the same authority (a change is a key rotation). */
export function sameAuthority(a: MeshCard, b: MeshCard): boolean {
  const ids = (card: MeshCard) => [card.trustAnchor.sha256, ...card.intermediates.map((i) => i.sha256).sort()].join(',');
  return ids(a) === ids(b);
}
