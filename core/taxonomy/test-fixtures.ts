/** Real meshes for taxonomy tests: each card with its demo label policy and vocabularies, each authority signing its own attestations. */
import { testMesh, type TestMesh } from '../federation/test-fixtures.js';
import { defaultNationalPolicy } from '../labels/national-policy.js';
import { signAttestation, type Attestation } from './attestation.js';
import { demoMarkingStatements } from './demo-markings.js';
import type { Relation } from './grades.js';
import { markingsVocabulary, type Vocabulary } from './vocabulary.js';

export const FEDERATION = { id: 'baltic-shield', expires: '2030-01-01T00:00:00.000Z' };
export const ISSUED = '2026-12-01T00:00:00.000Z';

export async function taxonomyMesh(code: string, vocabularies: readonly Vocabulary[] = []): Promise<TestMesh> {
  const mesh = await testMesh(code);
  const policy = defaultNationalPolicy(code);
  return { ...mesh, card: { ...mesh.card, labelPolicy: policy, vocabularies: [markingsVocabulary(policy), ...vocabularies] } };
}

export function attestationOf(mesh: TestMesh, vocabulary: string, term: string, relation: Relation, pivot: { vocabulary: string; term: string }, overrides: { federation?: string; expires?: string; issuedAt?: string } = {}): Attestation {
  return signAttestation(
    { type: 'entente.equivalence/v1', federation: overrides.federation ?? FEDERATION.id, mesh: mesh.code, vocabulary, term, relation, pivot, issuedAt: overrides.issuedAt ?? ISSUED, expires: overrides.expires ?? FEDERATION.expires },
    mesh.signer,
  );
}

/** The demo marking statements of a mesh, signed by its authority. */
export function demoAttestations(mesh: TestMesh): Attestation[] {
  return demoMarkingStatements(mesh.code).map((s) => attestationOf(mesh, 'markings', s.term, s.relation, { vocabulary: 'NATO', term: s.pivot }));
}
