/**
 * The mesh's credentials in the store: its identity row, certificates, private keys,
 * enrolled principals and CRLs. Multi-row writes run in one transaction (the caller's).
 */
import type { ReadDb, WriteDb } from './database.js';
import { cachedStatement } from './statements.js';

export type CertificateRole = 'root' | 'ca' | 'device' | 'operator' | 'boundary-agent';
export type PrincipalRole = 'device' | 'operator' | 'boundary-agent';

export interface MeshRow {
  readonly code: string;
  readonly displayName: string;
  readonly anchorSha256: string;
  readonly issuerSha256: string;
  /** The mesh's national label policy, as JSON text. */
  readonly labelPolicy: string;
  readonly keysEncrypted: boolean;
  readonly createdAt: string;
}

export interface CertificateRow {
  readonly sha256: string;
  readonly mesh: string;
  readonly role: CertificateRole;
  readonly principal: string | null;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly pem: string;
  readonly addedAt: string;
}

export interface PrincipalRow {
  readonly role: PrincipalRole;
  readonly id: string;
  readonly certificateSha256: string;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
}

export interface CrlRow {
  readonly issuerSha256: string;
  readonly number: number;
  readonly thisUpdate: string;
  readonly pem: string;
}

export function readMesh(db: ReadDb): MeshRow | undefined {
  const row = db
    .prepare(
      `SELECT code, display_name AS displayName, anchor_sha256 AS anchorSha256, issuer_sha256 AS issuerSha256,
              label_policy AS labelPolicy, keys_encrypted AS keysEncrypted, created_at AS createdAt
         FROM mesh WHERE singleton = 1`,
    )
    .get() as (Omit<MeshRow, 'keysEncrypted'> & { keysEncrypted: number }) | undefined;
  return row && { ...row, keysEncrypted: row.keysEncrypted === 1 };
}

export function insertMesh(db: WriteDb, mesh: MeshRow): void {
  db.prepare(
    `INSERT INTO mesh (singleton, code, display_name, anchor_sha256, issuer_sha256, label_policy, keys_encrypted, created_at)
     VALUES (1, @code, @displayName, @anchorSha256, @issuerSha256, @labelPolicy, @keysEncrypted, @createdAt)`,
  ).run({ ...mesh, keysEncrypted: mesh.keysEncrypted ? 1 : 0 });
}

const CERTIFICATE_COLUMNS = `sha256, mesh, role, principal, serial, not_before AS notBefore, not_after AS notAfter, pem, added_at AS addedAt`;

/** Stores a certificate; storing the same one twice is harmless. */
export function insertCertificate(db: WriteDb, certificate: CertificateRow): void {
  cachedStatement(db,
    `INSERT INTO certificates (sha256, mesh, role, principal, serial, not_before, not_after, pem, added_at)
     VALUES (@sha256, @mesh, @role, @principal, @serial, @notBefore, @notAfter, @pem, @addedAt)
     ON CONFLICT (sha256) DO NOTHING`,
  ).run(certificate);
}

export function readCertificate(db: ReadDb, sha256: string): CertificateRow | undefined {
  // Once per item on an admission's hot path (its signer's certificate): cached.
  return cachedStatement(db, `SELECT ${CERTIFICATE_COLUMNS} FROM certificates WHERE sha256 = ?`).get(sha256) as CertificateRow | undefined;
}

export function listCertificates(db: ReadDb, mesh: string, roles: readonly CertificateRole[]): CertificateRow[] {
  const placeholders = roles.map(() => '?').join(', ');
  return db
    .prepare(`SELECT ${CERTIFICATE_COLUMNS} FROM certificates WHERE mesh = ? AND role IN (${placeholders}) ORDER BY added_at, sha256`)
    .all(mesh, ...roles) as CertificateRow[];
}

export function insertPrivateKey(db: WriteDb, certificateSha256: string, pkcs8Pem: string, encrypted: boolean): void {
  db.prepare('INSERT INTO private_keys (certificate_sha256, pkcs8_pem, encrypted) VALUES (?, ?, ?)').run(
    certificateSha256,
    pkcs8Pem,
    encrypted ? 1 : 0,
  );
}

export function readPrivateKey(db: ReadDb, certificateSha256: string): { pkcs8Pem: string; encrypted: boolean } | undefined {
  const row = db
    .prepare('SELECT pkcs8_pem AS pkcs8Pem, encrypted FROM private_keys WHERE certificate_sha256 = ?')
    .get(certificateSha256) as { pkcs8Pem: string; encrypted: number } | undefined;
  return row && { pkcs8Pem: row.pkcs8Pem, encrypted: row.encrypted === 1 };
}

const PRINCIPAL_COLUMNS = `role, id, certificate_sha256 AS certificateSha256, enrolled_at AS enrolledAt, revoked_at AS revokedAt`;

export function insertPrincipal(db: WriteDb, principal: PrincipalRow): void {
  db.prepare(
    `INSERT INTO principals (role, id, certificate_sha256, enrolled_at, revoked_at)
     VALUES (@role, @id, @certificateSha256, @enrolledAt, @revokedAt)`,
  ).run(principal);
}

export function readPrincipal(db: ReadDb, role: PrincipalRole, id: string): PrincipalRow | undefined {
  return db.prepare(`SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE role = ? AND id = ?`).get(role, id) as PrincipalRow | undefined;
}

export function listPrincipals(db: ReadDb, role: PrincipalRole): PrincipalRow[] {
  return db.prepare(`SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE role = ? ORDER BY id`).all(role) as PrincipalRow[];
}

export function markPrincipalRevoked(db: WriteDb, role: PrincipalRole, id: string, revokedAt: string): void {
  db.prepare('UPDATE principals SET revoked_at = ? WHERE role = ? AND id = ? AND revoked_at IS NULL').run(revokedAt, role, id);
}

export function insertCrl(db: WriteDb, crl: CrlRow): void {
  db.prepare('INSERT INTO crls (issuer_sha256, number, this_update, pem) VALUES (@issuerSha256, @number, @thisUpdate, @pem)').run(crl);
}

/** The newest CRL each issuer published. */
export function latestCrls(db: ReadDb): CrlRow[] {
  return db
    .prepare(
      `SELECT issuer_sha256 AS issuerSha256, number, this_update AS thisUpdate, pem FROM crls c
        WHERE number = (SELECT MAX(number) FROM crls WHERE issuer_sha256 = c.issuer_sha256)`,
    )
    .all() as CrlRow[];
}
