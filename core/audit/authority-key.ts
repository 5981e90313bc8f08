/**
 * Which keys may sign a mesh's checkpoints: its trust anchor, or a CA certificate the anchor
 * signed (the issuing CA, when the mesh imported a national CA below a root), valid at the
 * checkpoint's time. Kept apart from core/credentials' leaf checks: a checkpoint is signed by
 * the authority itself, not by a device or an operator.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { AuthorityKey } from './verify-log.js';

const sha256Of = (certificate: X509Certificate) => createHash('sha256').update(certificate.raw).digest('hex');

/** The subject on one line: node:crypto separates its parts with newlines, and failures are one-line sentences. */
const nameOf = (certificate: X509Certificate) => certificate.subject.replaceAll('\n', ', ');

/**
 * @param anchorPem the mesh's root, trusted as given (pin its fingerprint out of band).
 * @param caPems CA certificates that may stand between it and the signer; unreadable ones are skipped.
 */
export function authorityKeys(anchorPem: string, caPems: readonly string[]): AuthorityKey {
  const anchor = new X509Certificate(anchorPem);
  const bySha = new Map<string, X509Certificate>([[sha256Of(anchor), anchor]]);
  for (const pem of caPems) {
    try {
      const certificate = new X509Certificate(pem);
      bySha.set(sha256Of(certificate), certificate);
    } catch {
      // An unreadable certificate vouches for nothing; a checkpoint that needs it fails by name.
    }
  }
  const anchorSha = sha256Of(anchor);
  return (signer, at) => {
    const certificate = bySha.get(signer);
    if (!certificate) return { ok: false, reason: 'unknown-signer', message: `No certificate ${signer.slice(0, 16)}… of this mesh's authority is known.` };
    if (!certificate.ca) return { ok: false, reason: 'not-a-ca', message: `Certificate ${nameOf(certificate)} is not a CA.` };
    if (signer !== anchorSha && !(certificate.checkIssued(anchor) && certificate.verify(anchor.publicKey))) {
      return { ok: false, reason: 'unknown-issuer', message: `Certificate ${nameOf(certificate)} was not issued by the mesh's trust anchor.` };
    }
    if (Number.isNaN(at.getTime()) || at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) {
      return { ok: false, reason: 'invalid-time', message: `Certificate ${nameOf(certificate)} was not valid at ${Number.isNaN(at.getTime()) ? 'that time' : at.toISOString()}.` };
    }
    return { ok: true, publicKey: certificate.publicKey };
  };
}
