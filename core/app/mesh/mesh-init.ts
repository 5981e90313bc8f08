/**
 * Giving a workspace its mesh: a new national root, or an existing national CA imported from
 * PEM, with its label policy; the authority's key kept under the workspace passphrase. Written
 * in one transaction with its log entry; a refusal writes nothing.
 */
import { Refused } from '../../common/refused.js';
import { createMeshAuthority, importMeshAuthority, type IssuedCertificate, type KeyAlgorithm, type PrincipalRole } from '../../credentials/index.js';
import { defaultNationalPolicy, PolicyFile, type LabelPolicy } from '../../labels/index.js';
import type { WriteDb } from '../../store/database.js';
import { insertCertificate, insertMesh, insertPrivateKey, readMesh, type MeshRow } from '../../store/mesh-store.js';
import { credential } from '../context/keyring.js';
import { appendToLog, authorityActor } from '../context/log.js';
import { requireMeshContext } from '../context/mesh-context.js';
import type { Operation } from '../context/operation.js';
import { readStrictJson } from '../../canonical/strict-json.js';

export interface MeshInitRequest {
  readonly mesh: string;
  readonly displayName?: string;
  readonly algorithm: KeyAlgorithm;
  /** False only for a test or demo home made with --insecure-keys: keys are then kept in clear. */
  readonly encryptKeys: boolean;
  /** An imported key encrypted elsewhere is opened with the workspace passphrase. */
  readonly importCa?: { certificatePem: string; keyPem: string; chainPem?: string };
  readonly policyJson?: string;
}

export async function initMesh(op: Operation, request: MeshInitRequest): Promise<MeshRow> {
  const { write: db } = op;
  const existing = readMesh(db);
  if (existing) throw new Refused('already-initialised', `This workspace already stands for mesh ${existing.code}; a home holds one mesh.`);
  const policy = request.policyJson === undefined ? defaultNationalPolicy(request.mesh) : parsePolicy(request.policyJson);
  const passphrase = request.encryptKeys ? await op.keyring.passphrase() : null;
  // Keys meant to be encrypted are never kept in clear for want of a passphrase.
  if (request.encryptKeys && passphrase === null) {
    throw new Refused('passphrase-required', 'A passphrase is needed to protect this mesh’s private keys (only a test or demo home goes without: --insecure-keys).');
  }
  const authority = request.importCa
    ? credential(() => importMeshAuthority({ ...request.importCa!, passphrase }))
    : // From the workspace's clock (the services' one seam for time), so a home made on an injected clock is valid from then.
      await createMeshAuthority(request.mesh, request.algorithm, { notBefore: op.clock.wall() });
  const now = op.clock.wall().toISOString();
  const mesh: MeshRow = {
    code: request.mesh,
    displayName: request.displayName ?? `${request.mesh} national mesh`,
    anchorSha256: authority.anchor.sha256,
    issuerSha256: authority.issuer.sha256,
    labelPolicy: JSON.stringify(policy),
    keysEncrypted: passphrase !== null,
    createdAt: now,
  };
  const sealedKey = await op.keyring.seal(authority.issuerKeys.privateKey, passphrase !== null);
  db.transaction(() => {
    insertMesh(db, mesh);
    storeCertificate(db, request.mesh, authority.anchor, 'root', null, now);
    for (const ca of authority.intermediates) storeCertificate(db, request.mesh, ca, 'ca', null, now);
    insertPrivateKey(db, authority.issuer.sha256, sealedKey, passphrase !== null);
    // The mesh exists from here on (inside the transaction): the log reads who it is.
    appendToLog(db, requireMeshContext(db), { certificateSha256: authority.issuer.sha256, key: authority.issuerKeys.privateKey }, [
      {
        type: 'credential',
        who: authorityActor(mesh),
        what: { ids: [...new Set([authority.anchor.sha256, authority.issuer.sha256])], detail: { event: request.importCa ? 'national-ca-imported' : 'root-created' } },
        why: { reasons: ['mesh-initialised'] },
      },
    ], new Date(now));
  })();
  return mesh;
}

/** Stores a certificate of this mesh with the role it plays. */
export function storeCertificate(db: WriteDb, mesh: string, certificate: IssuedCertificate, role: 'root' | 'ca' | PrincipalRole, principal: string | null, now: string): void {
  insertCertificate(db, { ...certificate, mesh, role, principal, addedAt: now });
}

function parsePolicy(text: string): LabelPolicy {
  let json: unknown;
  try {
    json = readStrictJson(text, { maxBytes: 256 * 1024, maxDepth: 8 });
  } catch (error) {
    throw new Refused('malformed-policy', `The label policy file is not usable JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = PolicyFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Refused('malformed-policy', `The label policy file is wrong at ${['policy', ...issue.path.map(String)].join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}
