/**
 * What the console and `entente status` show of the mesh — its identity — and the public card a
 * partner needs (what `entente mesh card` writes and declarations carry). Shapes are the
 * contract's (getMeshIdentity), owned here so the app never imports the api.
 */
import { DEFAULT_TAXONOMY, type MeshCard } from '../../federation/declaration.js';
import { listCertificates, readMesh } from '../../store/mesh-store.js';
import type { ReadOperation } from '../context/operation.js';
import { ownVocabularies } from './mesh-vocabularies.js';

export interface MeshIdentityView {
  readonly mesh: {
    readonly code: string;
    readonly displayName: string;
    readonly trustAnchorSha256: string;
    readonly issuerSha256: string;
    readonly keysEncrypted: boolean;
    readonly labelPolicy: string;
    readonly createdAt: string;
  } | null;
}

export function meshIdentity(op: ReadOperation): MeshIdentityView {
  const mesh = readMesh(op.read);
  if (!mesh) return { mesh: null };
  return {
    mesh: {
      code: mesh.code,
      displayName: mesh.displayName,
      trustAnchorSha256: mesh.anchorSha256,
      issuerSha256: mesh.issuerSha256,
      keysEncrypted: mesh.keysEncrypted,
      labelPolicy: policyIdOf(mesh.labelPolicy),
      createdAt: mesh.createdAt,
    },
  };
}

/** This mesh's public card (what `entente mesh card` writes and partners put in declarations). */
export function meshCard(op: ReadOperation): MeshCard {
  const { mesh, anchorPem } = op.mesh();
  return {
    type: 'entente.mesh-card/v1',
    mesh: mesh.code,
    displayName: mesh.displayName,
    trustAnchor: { sha256: mesh.anchorSha256, pem: anchorPem },
    intermediates: listCertificates(op.read, mesh.code, ['ca']).map((c) => ({ sha256: c.sha256, pem: c.pem })),
    taxonomy: { classes: [...DEFAULT_TAXONOMY] },
    labelPolicy: JSON.parse(mesh.labelPolicy) as unknown,
    vocabularies: ownVocabularies(op),
  };
}

function policyIdOf(policyJson: string): string {
  const parsed = JSON.parse(policyJson) as { id?: unknown };
  return typeof parsed.id === 'string' ? parsed.id : 'unnamed policy';
}
