/**
 * The governed observation: the unit every mesh exchanges. Its shape is docs/decisions/
 * 0002-governed-observations.md; this schema is the one place it is checked.
 */
import { z } from 'zod';
import { ConfidentialityLabel } from '../labels/label.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected lowercase hex SHA-256');
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected base64url').max(512);
export const MeshCode = z.string().regex(/^[A-Z0-9]{2,16}$/, 'expected a mesh code such as DEU');
export const PrincipalId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected an id of letters, digits and . _ : -');

export const SignatureAlgorithm = z.enum(['Ed25519', 'ES256']);

export const Integrity = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('signature'), alg: SignatureAlgorithm, sig: base64url }),
  z.strictObject({
    type: z.literal('batch'),
    alg: SignatureAlgorithm,
    root: sha256Hex,
    size: z.number().int().min(1).max(1_000_000),
    index: z.number().int().min(0).max(999_999),
    proof: z.array(sha256Hex).max(40),
    sig: base64url,
  }),
]);

export const TimeReference = z.strictObject({
  /** Which clock the time comes from: none is canonical, so the record says which it is. */
  reference: z.enum(['global', 'mesh-derived', 'local']),
  wall: z.iso.datetime({ offset: true }),
  hlc: z.strictObject({ l: z.number().int().nonnegative(), c: z.number().int().nonnegative().max(1_000_000) }),
});

const lineageFields = {
  device: PrincipalId,
  sources: z.array(sha256Hex).max(1000),
  derivation: z.strictObject({ name: z.string().min(1).max(128), version: z.string().min(1).max(64) }).nullable(),
};

const recordFields = {
  v: z.literal(1),
  mesh: MeshCode,
  subject: z.string().min(1).max(256),
  class: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a lowercase class such as track'),
  payload: z.json(),
  label: ConfidentialityLabel,
  time: TimeReference,
  authority: z.strictObject({ anchor: sha256Hex, issuer: sha256Hex }),
  device: z.strictObject({ id: PrincipalId, certificate: sha256Hex }),
};

export const UnsignedObservation = z
  .strictObject({ ...recordFields, lineage: z.strictObject(lineageFields) })
  .superRefine(checkLineage);

export const GovernedObservation = z
  .strictObject({ ...recordFields, lineage: z.strictObject({ ...lineageFields, integrity: Integrity }) })
  .superRefine(checkLineage);

export type UnsignedObservation = z.infer<typeof UnsignedObservation>;
export type GovernedObservation = z.infer<typeof GovernedObservation>;
export type Integrity = z.infer<typeof Integrity>;

function checkLineage(record: { device: { id: string }; lineage: z.infer<z.ZodObject<typeof lineageFields>> }, ctx: z.RefinementCtx): void {
  const { sources, derivation, device } = record.lineage;
  if (device !== record.device.id) ctx.addIssue({ code: 'custom', path: ['lineage', 'device'], message: 'must be the signing device' });
  if (sources.some((s, i) => i > 0 && s <= sources[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['lineage', 'sources'], message: 'must be sorted and unique' });
  if (sources.length > 0 && derivation === null) ctx.addIssue({ code: 'custom', path: ['lineage', 'derivation'], message: 'a derived observation must name its derivation' });
}
