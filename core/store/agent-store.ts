/**
 * Boundary agents' cross-certificates and the hello nonces seen (migration 8). Multi-row writes
 * run in one transaction (the caller's).
 */
import type { ReadDb, WriteDb } from './database.js';

/** A certificate a partner issued to one of this mesh's agents. */
export interface PartnerCertificateRow {
  readonly sha256: string;
  readonly agent: string;
  readonly partner: string;
  readonly federation: string;
  readonly pem: string;
  readonly intermediates: readonly string[];
  readonly notAfter: string;
  readonly installedAt: string;
}

/** A certificate this mesh issued to a partner's agent. */
export interface IssuedAgentCertificateRow {
  readonly sha256: string;
  readonly partner: string;
  readonly agent: string;
  readonly federation: string;
  /** As node:crypto prints it (uppercase hex). */
  readonly serial: string;
  readonly pem: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly revokedAt: string | null;
}

const PARTNER_COLUMNS = `sha256, agent, partner, federation, pem, intermediates, not_after AS notAfter, installed_at AS installedAt`;

/** Installs a partner certificate; installing the same one twice is harmless. */
export function insertPartnerCertificate(db: WriteDb, row: PartnerCertificateRow): void {
  db.prepare(
    `INSERT INTO agent_partner_certificates (sha256, agent, partner, federation, pem, intermediates, not_after, installed_at)
     VALUES (@sha256, @agent, @partner, @federation, @pem, @intermediates, @notAfter, @installedAt)
     ON CONFLICT (sha256) DO NOTHING`,
  ).run({ ...row, intermediates: JSON.stringify(row.intermediates) });
}

/** Partner certificates, newest installed first; narrowed to one agent, partner or federation when asked. */
export function listPartnerCertificates(db: ReadDb, filter: { agent?: string; partner?: string; federation?: string } = {}): PartnerCertificateRow[] {
  const rows = db
    .prepare(
      `SELECT ${PARTNER_COLUMNS} FROM agent_partner_certificates
        WHERE (@agent IS NULL OR agent = @agent) AND (@partner IS NULL OR partner = @partner) AND (@federation IS NULL OR federation = @federation)
        ORDER BY installed_at DESC, sha256`,
    )
    .all({ agent: filter.agent ?? null, partner: filter.partner ?? null, federation: filter.federation ?? null }) as (Omit<PartnerCertificateRow, 'intermediates'> & { intermediates: string })[];
  return rows.map((row) => ({ ...row, intermediates: JSON.parse(row.intermediates) as string[] }));
}

const ISSUED_COLUMNS = `sha256, partner, agent, federation, serial, pem, not_after AS notAfter, issued_at AS issuedAt, revoked_at AS revokedAt`;

export function insertIssuedAgentCertificate(db: WriteDb, row: IssuedAgentCertificateRow): void {
  db.prepare(
    `INSERT INTO agent_issued_certificates (sha256, partner, agent, federation, serial, pem, not_after, issued_at, revoked_at)
     VALUES (@sha256, @partner, @agent, @federation, @serial, @pem, @notAfter, @issuedAt, @revokedAt)`,
  ).run(row);
}

export function listIssuedAgentCertificates(db: ReadDb, filter: { partner?: string; agent?: string; federation?: string } = {}): IssuedAgentCertificateRow[] {
  return db
    .prepare(
      `SELECT ${ISSUED_COLUMNS} FROM agent_issued_certificates
        WHERE (@partner IS NULL OR partner = @partner) AND (@agent IS NULL OR agent = @agent) AND (@federation IS NULL OR federation = @federation)
        ORDER BY issued_at, sha256`,
    )
    .all({ partner: filter.partner ?? null, agent: filter.agent ?? null, federation: filter.federation ?? null }) as IssuedAgentCertificateRow[];
}

export function markIssuedAgentCertificateRevoked(db: WriteDb, sha256: string, revokedAt: string): void {
  db.prepare('UPDATE agent_issued_certificates SET revoked_at = ? WHERE sha256 = ? AND revoked_at IS NULL').run(revokedAt, sha256);
}

/** Serials and revocation times of every issued agent certificate revoked so far: what the CRL lists. */
export function revokedIssuedAgentCertificates(db: ReadDb): { serial: string; revokedAt: string }[] {
  return db.prepare('SELECT serial, revoked_at AS revokedAt FROM agent_issued_certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, sha256').all() as { serial: string; revokedAt: string }[];
}

/**
 * Records a hello's nonce for the bundle it opened: `new` the first time, `same` when it was seen
 * with this very bundle (a re-import), `replayed` when it came before with another one.
 */
export function rememberNonce(db: WriteDb, nonce: string, digest: string, seenAt: string = new Date().toISOString()): 'new' | 'same' | 'replayed' {
  const seen = db.prepare('SELECT bundle FROM hello_nonces WHERE nonce = ?').pluck().get(nonce) as string | undefined;
  if (seen !== undefined) return seen === digest ? 'same' : 'replayed';
  db.prepare('INSERT INTO hello_nonces (nonce, bundle, seen_at) VALUES (?, ?, ?)').run(nonce, digest, seenAt);
  return 'new';
}
