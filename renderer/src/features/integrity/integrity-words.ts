/**
 * Integrity events in words (the kinds of core/boundary/integrity-kinds.ts, 0005 "Integrity
 * events"): what happened and what the officer may do about it. A kind the list does not know
 * is shown by its code, never hidden.
 */
import type { KnownIntegrityEventKind } from '../../../../core/boundary/integrity-kinds.js';

export const INTEGRITY_WORDS: Record<KnownIntegrityEventKind, string> = {
  'unknown-agent': 'A boundary agent this mesh does not know presented itself.',
  'not-certified-here': 'A partner agent presented a certificate this mesh did not issue for it.',
  'federation-mismatch': 'A partner agent named a federation that does not hold between the two meshes.',
  'agent-revoked': 'A partner agent whose certificate is revoked tried to exchange.',
  'replayed-hello': 'A hello already seen was presented again (a possible replay).',
  'revoked-credential': 'A record was signed with a credential its mesh has revoked.',
  'unknown-credential': 'A record named a device credential its mesh did not issue to that device, or one not carried with it.',
  'tampered-bundle': 'A bundle did not match its own digests: it was altered after signing.',
  'bundle-changed': 'A bundle already imported came back with different contents.',
  'over-release': 'A partner sent something the federation does not let it release to this mesh.',
  'translation-loss': 'A marking or term has no mapping here: the item waits in quarantine.',
  'bad-attestation': 'An equivalence attestation did not verify and was not used.',
  taint: 'Records were tainted: a source or credential they rest on was compromised.',
  'purged-redelivery': 'A partner delivered again what an exit purged here.',
  'untrusted-crl': 'A partner CRL did not verify against the partner’s CA.',
  'clock-jump': 'The workstation clock moved further than the trusted clock allows.',
  'link-refused': 'A live link was refused at its handshake or on a frame.',
  'undeclared-silence': 'A partner fell silent outside any declared disconnection window.',
  'clock-samples-contradict': 'A partner’s clock samples do not agree with each other.',
  'clock-too-far-ahead': 'A partner’s records are stamped further ahead of this mesh’s clock than it follows: admitted, the clock not moved.',
};

export function integrityInWords(kind: string): string {
  return (INTEGRITY_WORDS as Record<string, string | undefined>)[kind] ?? `An integrity event of kind “${kind}”.`;
}
