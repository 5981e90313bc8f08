/**
 * Building a certification path (RFC 5280 §6.1, searched as RFC 4158 describes): signatures, CA
 * rights, pathLenConstraint and a depth cap. Time and revocation are checked per use, in chain.ts.
 */
import { KEY_USAGE, type ParsedCertificate } from './certificate.js';
import { CredentialError, type CredentialReason } from './errors.js';

/** More CAs than this between a certificate and its anchor is refused: no real national PKI is deeper. */
export const MAX_INTERMEDIATES = 8;
/** Signature checks one search may spend before giving up (hostile sets of look-alike CAs). */
export const MAX_SIGNATURE_CHECKS = 64;

export interface PathSearch {
  readonly isAnchor: (certificate: ParsedCertificate) => boolean;
  /** Known CAs (anchors included) whose subject Name is exactly these DER bytes (hex). */
  readonly issuersNamed: (nameDer: string) => readonly ParsedCertificate[];
  readonly maxIntermediates?: number;
  /**
   * The path's first certificate is a CA that will issue end entities (a mesh's issuing CA at
   * import): it counts among the CAs below each one above it, as it will in every leaf's path.
   */
  readonly startIssues?: boolean;
}

/** May `issuer` sign certificates? RFC 5280 §6.1.4 (k) basicConstraints cA, (n) keyCertSign if keyUsage is present. */
export function canSignCertificates(issuer: ParsedCertificate): boolean {
  return issuer.isCa && (issuer.keyUsage === undefined || (issuer.keyUsage & KEY_USAGE.keyCertSign) !== 0);
}

/** Does `issuer`'s key verify `certificate`'s signature? A key node cannot use is a "no". */
export function signatureVerifies(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    return certificate.x509.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * The path from `start` to an anchor: `start` first, the anchor last.
 *
 * @throws CredentialError 'unknown-issuer' | 'bad-signature' | 'not-a-ca' | 'chain-loop' | 'chain-too-long'
 */
export function buildPath(start: ParsedCertificate, search: PathSearch): ParsedCertificate[] {
  if (search.isAnchor(start)) return [start];
  const state = { budget: MAX_SIGNATURE_CHECKS, max: search.maxIntermediates ?? MAX_INTERMEDIATES, startIssues: search.startIssues === true };
  const result = extend([start], new Set([start.identity]), search, state);
  if (result instanceof CredentialError) throw result;
  return result;
}

function extend(
  path: ParsedCertificate[],
  identities: Set<string>,
  search: PathSearch,
  state: { budget: number; max: number; startIssues: boolean },
): ParsedCertificate[] | CredentialError {
  const current = path[path.length - 1]!;
  const candidates = search
    .issuersNamed(current.issuerDer)
    .filter((candidate) => candidate.sha256 !== current.sha256)
    // RFC 4158 §3.5.12: key identifiers that disagree rule a candidate out without a signature check.
    .filter((candidate) => !(current.authorityKeyId && candidate.subjectKeyId && current.authorityKeyId !== candidate.subjectKeyId));
  if (candidates.length === 0) {
    // Name the missing issuer too: a chain file that lacks a middle CA is fixed by adding that one.
    const issuer = current.x509.issuer.replaceAll('\n', ', ');
    return new CredentialError('unknown-issuer', `${describeAt(path.length - 1, current)} was issued by ${issuer}, which is not a CA this mesh knows: it does not chain to the mesh's trust anchor.`);
  }
  // Anchors first, then the CA certificate that stays valid longest (a renewed CA over its predecessor).
  candidates.sort((a, b) => Number(search.isAnchor(b)) - Number(search.isAnchor(a)) || b.notAfter - a.notAfter);

  let failure: CredentialError | undefined;
  const keep = (error: CredentialError) => {
    if (!failure || rank(error.reason) > rank(failure.reason)) failure = error;
  };
  for (const issuer of candidates) {
    const anchor = search.isAnchor(issuer);
    if (!anchor && identities.has(issuer.identity)) {
      keep(new CredentialError('chain-loop', `The chain loops: ${issuer.subject} appears in it twice.`));
      continue;
    }
    if (state.budget <= 0) {
      keep(new CredentialError('chain-too-long', 'Too many candidate paths to the trust anchor; the search gave up.'));
      break;
    }
    state.budget -= 1;
    if (!signatureVerifies(current, issuer)) {
      keep(new CredentialError('bad-signature', `The signature on ${describeAt(path.length - 1, current)} does not verify with the key of ${issuer.subject}.`));
      continue;
    }
    if (!canSignCertificates(issuer)) {
      keep(new CredentialError('not-a-ca', `${issuer.subject} signed ${describeAt(path.length - 1, current)} but is not a CA allowed to sign certificates.`));
      continue;
    }
    // §6.1.4 (l), (m): the non-self-issued intermediates below this CA, not counting the path's
    // first certificate (the end entity) — unless it is an issuing CA, which leaves will sit under.
    const below = path.slice(state.startIssues ? 0 : 1).filter((certificate) => !certificate.selfIssued).length;
    if (issuer.pathLength !== undefined && below > issuer.pathLength) {
      const counted = state.startIssues ? `, the issuing CA ${path[0]!.subject} included: it could not issue the mesh's certificates` : '';
      keep(new CredentialError('chain-too-long', `${issuer.subject} allows ${issuer.pathLength} CA(s) below it (pathLenConstraint); this chain has ${below}${counted}.`));
      continue;
    }
    if (anchor) return [...path, issuer];
    if (path.length + (state.startIssues ? 1 : 0) > state.max) {
      keep(new CredentialError('chain-too-long', `The chain has more than ${state.max} intermediate CAs.`));
      continue;
    }
    identities.add(issuer.identity);
    const longer = extend([...path, issuer], identities, search, state);
    identities.delete(issuer.identity);
    if (!(longer instanceof CredentialError)) return longer;
    keep(longer);
  }
  return failure!;
}

/** A dead end says less than a real defect found on the way: report the most telling failure. */
function rank(reason: CredentialReason): number {
  return reason === 'unknown-issuer' ? 0 : reason === 'bad-signature' ? 1 : 2;
}

function describeAt(index: number, certificate: ParsedCertificate): string {
  return index === 0 ? `the certificate (${certificate.subject})` : `CA certificate ${certificate.subject}`;
}
