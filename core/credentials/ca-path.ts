/**
 * A CA certificate's path up to a trust anchor through a given set of CAs (RFC 5280 §6.1, built
 * by path.ts): how a checkpoint's signer, a partner card's intermediates and a bundle's
 * certificates are judged, however many levels below its root a national issuing CA sits.
 */
import type { ParsedCertificate } from './certificate.js';
import { CredentialError, refusalOf, type Refusal } from './errors.js';
import { buildPath } from './path.js';

export type CaPathResult = { readonly ok: true; readonly path: readonly ParsedCertificate[] } | Refusal;

export interface CaPaths {
  readonly anchor: ParsedCertificate;
  /** The anchor or one of the CAs given, by fingerprint. */
  certificate(sha256: string): ParsedCertificate | undefined;
  /** `ca` first, the anchor last; built once per CA, so a log of a million checkpoints builds one. Never throws. */
  pathOf(ca: ParsedCertificate): CaPathResult;
}

/** @example caPaths(root, [levelOneCa, issuingCa]).pathOf(issuingCa) // → { ok: true, path: [issuingCa, levelOneCa, root] } */
export function caPaths(anchor: ParsedCertificate, cas: readonly ParsedCertificate[]): CaPaths {
  const bySha = new Map<string, ParsedCertificate>([[anchor.sha256, anchor]]);
  for (const ca of cas) if (!bySha.has(ca.sha256)) bySha.set(ca.sha256, ca);
  const bySubject = new Map<string, ParsedCertificate[]>();
  for (const ca of bySha.values()) bySubject.set(ca.subjectDer, [...(bySubject.get(ca.subjectDer) ?? []), ca]);
  const built = new Map<string, CaPathResult>();
  return {
    anchor,
    certificate: (sha256) => bySha.get(sha256),
    pathOf: (ca) => {
      let result = built.get(ca.sha256);
      if (!result) {
        result = build(ca);
        built.set(ca.sha256, result);
      }
      return result;
    },
  };

  function build(ca: ParsedCertificate): CaPathResult {
    if (!ca.isCa) return refusalOf(new CredentialError('not-a-ca', `Certificate ${ca.subject} is not a CA.`));
    try {
      const path = buildPath(ca, { isAnchor: (candidate) => candidate.sha256 === anchor.sha256, issuersNamed: (name) => bySubject.get(name) ?? [] });
      return { ok: true, path: Object.freeze(path) };
    } catch (error) {
      if (error instanceof CredentialError) return refusalOf(error);
      throw error;
    }
  }
}
