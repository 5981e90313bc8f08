/**
 * The evidence behind a queue item's cause estimate (docs/decisions/0007): what this mesh knows
 * of each competing observation beyond its signed content — how it crossed (a translated term
 * on a field in conflict, or an attestation weaker than exact: `crossings.translations`), and
 * its device (certified shortly before, publishing in a burst, its certificate near its end).
 * Local knowledge: it shapes what a person reads, never the picture.
 */
import { readCertificate } from '../../store/mesh-store.js';
import { readCrossing } from '../../store/crossing-store.js';
import type { CauseSignals } from '../../reconcile/divergence.js';
import type { Candidate } from '../../reconcile/divergence.js';
import type { ReadDb } from '../../store/database.js';
import { cachedStatement } from '../../store/statements.js';

/** A device certified less than this before its observation is new to the mesh. */
export const RECENT_CERTIFICATION_MS = 24 * 3_600_000;
/** A certificate ending less than this after the observation is near its revocation or expiry. */
export const NEAR_END_MS = 24 * 3_600_000;
/** More than BURST_COUNT observations from one device within ± BURST_WINDOW_MS of one is a burst. */
export const BURST_WINDOW_MS = 10_000;
export const BURST_COUNT = 20;

/**
 * What one upkeep has already looked up: a subject's competing observations mostly share a few
 * device certificates, and an observation competes again in every item its subject opens, so
 * each certificate and each observation's device neighbourhood is read once per upkeep.
 */
export class CauseLookups {
  private readonly certificates = new Map<string, { notBefore: number; notAfter: number; revoked: boolean } | null>();
  private readonly bursts = new Map<string, boolean>();

  constructor(private readonly db: ReadDb) {}

  certificate(sha256: string): { notBefore: number; notAfter: number; revoked: boolean } | null {
    let known = this.certificates.get(sha256);
    if (known === undefined) {
      const cert = readCertificate(this.db, sha256);
      known = cert ? { notBefore: Date.parse(cert.notBefore), notAfter: Date.parse(cert.notAfter), revoked: revokedHere(this.db, sha256) } : null;
      this.certificates.set(sha256, known);
    }
    return known;
  }

  burst(id: string, device: string, mesh: string, at: number): boolean {
    let known = this.bursts.get(id);
    if (known === undefined) this.bursts.set(id, (known = burstAround(this.db, device, mesh, at)));
    return known;
  }
}

export function causeSignals(db: ReadDb, competing: readonly { candidate: Candidate; certificate: string }[], fields: readonly string[], lookups = new CauseLookups(db)): CauseSignals[] {
  return competing.map(({ candidate, certificate }) => {
    const cert = lookups.certificate(certificate);
    const at = candidate.statedAt;
    const crossing = readCrossing(db, candidate.id);
    return {
      id: candidate.id,
      translated: crossing !== undefined && translatedOn(crossing.translations, fields),
      recentlyCertified: cert !== null && at - cert.notBefore >= 0 && at - cert.notBefore < RECENT_CERTIFICATION_MS,
      nearRevocation: cert !== null && (cert.notAfter - at < NEAR_END_MS || cert.revoked),
      burst: lookups.burst(candidate.id, candidate.device, candidate.mesh, at),
    };
  });
}

/** A translation on one of the fields in conflict, or any attestation weaker than exact. */
function translatedOn(translationsText: string, fields: readonly string[]): boolean {
  let translations: unknown;
  try {
    translations = JSON.parse(translationsText);
  } catch {
    return false;
  }
  if (!Array.isArray(translations)) return false;
  return translations.some((t: unknown) => {
    if (t === null || typeof t !== 'object') return false;
    const { field, grade } = t as { field?: unknown; grade?: unknown };
    return (typeof field === 'string' && fields.includes(field)) || (typeof grade === 'string' && grade !== 'exact');
  });
}

/** Counted on migration 18's index (device, mesh, observed_at): one short range, at most BURST_COUNT + 1 rows. */
function burstAround(db: ReadDb, device: string, mesh: string, at: number): boolean {
  const from = new Date(at - BURST_WINDOW_MS).toISOString();
  const to = new Date(at + BURST_WINDOW_MS).toISOString();
  const n = cachedStatement(db, 'SELECT COUNT(*) FROM (SELECT 1 FROM observations WHERE device = ? AND mesh = ? AND observed_at BETWEEN ? AND ? LIMIT ?)').pluck().get(device, mesh, from, to, BURST_COUNT + 1) as number;
  return n > BURST_COUNT;
}

/** Whether this mesh revoked the principal holding the certificate (a partner's revocations reach us as its CRLs, checked at admission). */
function revokedHere(db: ReadDb, certificate: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM principals WHERE certificate_sha256 = ? AND revoked_at IS NOT NULL').get(certificate) !== undefined;
}
