/**
 * Which keys may sign a mesh's checkpoints: its trust anchor, or a CA certificate that chains to
 * the anchor through the mesh's CAs (its issuing CA, however many levels below a national root
 * it sits), every certificate on that path valid at the checkpoint's time. Kept apart from
 * core/credentials' leaf checks: a checkpoint is signed by the authority itself, not by a device.
 */
import { caPaths, parseCertificate, type ParsedCertificate } from '../credentials/index.js';
import type { AuthorityKey } from './verify-log.js';

/**
 * @param anchorPem the mesh's root, trusted as given (pin its fingerprint out of band).
 * @param caPems CA certificates that may stand between it and the signer; unreadable ones are skipped.
 */
export function authorityKeys(anchorPem: string, caPems: readonly string[]): AuthorityKey {
  let anchor: ParsedCertificate;
  try {
    anchor = parseCertificate(anchorPem);
  } catch {
    return () => ({ ok: false, reason: 'bad-certificate', message: "The mesh's trust anchor is not a readable certificate." });
  }
  const paths = caPaths(anchor, caPems.flatMap(readable));
  return (signer, at) => {
    const certificate = paths.certificate(signer);
    if (!certificate) return { ok: false, reason: 'unknown-signer', message: `No certificate ${signer.slice(0, 16)}… of this mesh's authority is known.` };
    const found = paths.pathOf(certificate);
    if (!found.ok) return found;
    const time = at.getTime();
    const invalid = Number.isNaN(time) ? certificate : found.path.find((ca) => time < ca.notBefore || time > ca.notAfter);
    if (invalid) {
      return { ok: false, reason: 'invalid-time', message: `Certificate ${invalid.subject} was not valid at ${Number.isNaN(time) ? 'that time' : at.toISOString()}.` };
    }
    return { ok: true, publicKey: certificate.publicKey };
  };
}

/** An unreadable certificate vouches for nothing; a checkpoint that needs it fails by name. */
function readable(pem: string): ParsedCertificate[] {
  try {
    return [parseCertificate(pem)];
  } catch {
    return [];
  }
}
