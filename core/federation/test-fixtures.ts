/** Real meshes for federation tests: each with its own root CA, its card, and its authority's signing key. */
import type { KeyObject } from 'node:crypto';
import { createMeshAuthority } from '../credentials/index.js';
import { DECLARATION_TYPE, type Declaration, type MeshCard } from './declaration.js';

export interface TestMesh {
  readonly code: string;
  readonly card: MeshCard;
  readonly signer: { readonly keyid: string; readonly key: KeyObject };
}

export async function testMesh(code: string): Promise<TestMesh> {
  const authority = await createMeshAuthority(code, 'Ed25519');
  return {
    code,
    card: { type: 'entente.mesh-card/v1', mesh: code, trustAnchor: { sha256: authority.anchor.sha256, pem: authority.anchor.pem }, intermediates: [] },
    signer: { keyid: authority.issuer.sha256, key: authority.issuerKeys.privateKey },
  };
}

/** A two- (or more-) party declaration valid from `start` for a day. */
/** The start test declarations use: a day ago, so the meshes' fresh certificates are valid throughout. */
export const FEDERATION_START = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
export const atDay = (days: number, hours = 0) => new Date(FEDERATION_START.getTime() + days * 86_400_000 + hours * 3_600_000);

export function declarationFor(meshes: readonly TestMesh[], overrides: Partial<Declaration> = {}, start = FEDERATION_START): Declaration {
  const [a, b] = meshes;
  return {
    type: DECLARATION_TYPE,
    id: 'baltic-shield',
    version: 1,
    purpose: 'Exercise BALTIC SHIELD: shared air picture',
    partners: meshes.map((m) => ({ mesh: m.code, card: m.card, releaseAuthority: `${m.code} national release authority` })),
    scope: [
      { from: a!.code, to: b!.code, classes: ['track', 'incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'forbidden' },
      { from: b!.code, to: a!.code, classes: ['track'], ceiling: { policy: 'NATO', classification: 'CONFIDENTIAL' }, caveats: [], onwardRelease: 'originator-consent' },
    ],
    validity: { start: start.toISOString(), expires: new Date(start.getTime() + 30 * 86_400_000).toISOString() },
    arbitration: { policy: 'originator-wins', divergenceThreshold: 0.2 },
    resynchronisation: { priority: ['incident', 'track'], backlogLimit: 10_000, maxAgeSeconds: 21_600 },
    silenceToleranceSeconds: 300,
    disconnectionWindows: [{ partner: b!.code, start: new Date(start.getTime() + 9 * 86_400_000).toISOString(), end: new Date(start.getTime() + 9 * 86_400_000 + 6 * 3_600_000).toISOString(), reason: 'planned EMCON' }],
    exit: [
      { class: 'track', action: 'purge', derived: 'purge' },
      { class: 'incident', action: 'retain', handling: 'national archive, NATO SECRET', derived: 'retain' },
    ],
    ...overrides,
  };
}
