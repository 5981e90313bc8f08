/**
 * The mesh context: who this workspace is — its mesh row, trust anchor and CA certificates, and
 * who may sign its checkpoints — read once per operation instead of by every function it calls.
 */
import { authorityKeys } from '../../audit/authority-key.js';
import type { AuthorityKey } from '../../audit/verify-log.js';
import { Refused } from '../../common/refused.js';
import type { ReadDb } from '../../store/database.js';
import { listCertificates, readCertificate, readMesh, type MeshRow } from '../../store/mesh-store.js';

export interface MeshContext {
  readonly mesh: MeshRow;
  /** The trust anchor's certificate (PEM). */
  readonly anchorPem: string;
  /** The mesh's CA certificates below the anchor (PEM), in the order they were added. */
  readonly caPems: readonly string[];
  /** Who may sign this mesh's checkpoints, judged from the certificates the workspace holds. */
  readonly authorityKeys: AuthorityKey;
}

/** The mesh context, or undefined for a workspace without a mesh yet. */
export function readMeshContext(db: ReadDb): MeshContext | undefined {
  const mesh = readMesh(db);
  if (!mesh) return undefined;
  const anchorPem = readCertificate(db, mesh.anchorSha256)!.pem;
  const caPems = listCertificates(db, mesh.code, ['ca']).map((c) => c.pem);
  // Built on first use: only the log's operations need it, and a damaged certificate must not stop the others.
  let keys: AuthorityKey | undefined;
  return { mesh, anchorPem, caPems, authorityKeys: (signer, at) => (keys ??= authorityKeys(anchorPem, caPems))(signer, at) };
}

export function requireMeshContext(db: ReadDb): MeshContext {
  const context = readMeshContext(db);
  if (!context) throw new Refused('no-mesh', 'This workspace has no mesh yet: run `entente mesh init --mesh CODE` first.');
  return context;
}
