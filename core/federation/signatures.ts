/**
 * Multi-party signing: every partner's authority signs the same canonical declaration (one
 * DSSE signature each, over PAE(type, bytes)). A version is complete only when every partner
 * has a signature that verifies against the keys its own card names — and, when a partner's
 * authority changed since the previous version (a key rotation), against the old card's keys
 * as well, so no stolen or new key alone can speak for a partner.
 */
import type { KeyObject } from 'node:crypto';
import { pae, type DsseSignature } from '../crypto/dsse.js';
import { signBytes, verifyBytes } from '../crypto/signatures.js';
import { cardAuthority, sameAuthority } from './card.js';
import { DECLARATION_PAYLOAD_TYPE, declarationBytes, type Declaration, type MeshCard } from './declaration.js';

export function signDeclaration(declaration: Declaration, signer: { keyid: string; key: KeyObject }): DsseSignature {
  return { keyid: signer.keyid, ...signBytes(pae(DECLARATION_PAYLOAD_TYPE, declarationBytes(declaration)), signer.key) };
}

export interface PartnerSignatures {
  readonly mesh: string;
  /** signed: every signature this partner owes verifies; missing: one is not there yet. */
  readonly state: 'signed' | 'missing';
  /** Certificates (SHA-256) whose signatures verified for this partner. */
  readonly signers: readonly string[];
  /** Set when the partner's authority changed since the previous version. */
  readonly rotation?: { readonly oldKeySigned: boolean; readonly newKeySigned: boolean };
}

export interface SignatureReport {
  readonly partners: readonly PartnerSignatures[];
  readonly complete: boolean;
  /** Signatures that verify for no partner (a stranger's key, or bytes altered after signing). */
  readonly unattributed: readonly DsseSignature[];
}

/** Which signatures verify for which partner, judged at `at` (the trusted now). */
export function signatureReport(declaration: Declaration, signatures: readonly DsseSignature[], previous: Declaration | null, at: Date): SignatureReport {
  const bytes = pae(DECLARATION_PAYLOAD_TYPE, declarationBytes(declaration));
  const verifiesUnder = (card: MeshCard, signature: DsseSignature): boolean => {
    const key = cardAuthority(card)(signature.keyid, at);
    return key.ok && verifyBytes(bytes, signature.alg, signature.sig, key.publicKey);
  };
  const attributed = new Set<DsseSignature>();
  const partners = declaration.partners.map((partner): PartnerSignatures => {
    const mine = signatures.filter((s) => verifiesUnder(partner.card, s));
    mine.forEach((s) => attributed.add(s));
    const before = previous?.partners.find((p) => p.mesh === partner.mesh)?.card;
    if (before && !sameAuthority(before, partner.card)) {
      const old = signatures.filter((s) => verifiesUnder(before, s));
      old.forEach((s) => attributed.add(s));
      const rotation = { oldKeySigned: old.length > 0, newKeySigned: mine.length > 0 };
      return { mesh: partner.mesh, state: rotation.oldKeySigned && rotation.newKeySigned ? 'signed' : 'missing', signers: [...mine, ...old].map((s) => s.keyid), rotation };
    }
    return { mesh: partner.mesh, state: mine.length > 0 ? 'signed' : 'missing', signers: mine.map((s) => s.keyid) };
  });
  return { partners, complete: partners.every((p) => p.state === 'signed'), unattributed: signatures.filter((s) => !attributed.has(s)) };
}
