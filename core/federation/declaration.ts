/**
 * The federation declaration (docs/federation/README.md; schema in
 * docs/federation/declaration.schema.json): who the partners are, each with its mesh card and
 * release authority; what may cross from whom to whom, under which ceiling, caveats and onward
 * release rule; when it starts and expires; how divergence is arbitrated; what happens after a
 * disconnection; which silences are intended; and, per class, what each partner does with the
 * others' data on exit. Every partner's authority signs the same canonical bytes.
 */
import { hash } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { describeIssues, MeshCode, Sha256Hex } from '../common/atoms.js';
import { ObservationClass } from '../observation/record.js';
import { Refused } from '../common/refused.js';
import { Arbitration, arbitrationIssues } from '../reconcile/arbitration/schema.js';
import { Vocabularies } from '../taxonomy/vocabulary.js';

export const DECLARATION_TYPE = 'entente.federation/v1';
/** The refusal of a declaration that seats one trust anchor as two partners. */
export const DUPLICATE_AUTHORITY = 'duplicate-authority';
/** The DSSE payload type the partners sign. */
/** Drift between two mesh clocks when the declaration names none: 50 ppm, some 4 s a day (ordinary quartz, both sides). */
export const DEFAULT_MAX_DRIFT_PPM = 50;

export const DECLARATION_PAYLOAD_TYPE = 'application/vnd.entente.federation+json';

// eslint-disable-next-line no-control-regex -- control characters would let a declaration forge lines in status output.
const Text = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'expected text without control characters');
const Instant = z.iso.datetime({ offset: true });
const Pem = z.string().min(1).max(64 * 1024).regex(/^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, 'expected one PEM certificate');

/** Observation classes every mesh knows unless its card says otherwise. */
/** `decision`: the operators' signed decisions on the reconciliation queue (docs/decisions/0007), which cross like any observation. */
export const DEFAULT_TAXONOMY: readonly string[] = ['track', 'assessment', 'incident', 'logistics', 'report', 'decision'];

/** A partner's public mesh card, as `entente mesh card` writes it. */
export const MeshCard = z.strictObject({
  type: z.literal('entente.mesh-card/v1'),
  mesh: MeshCode,
  displayName: Text(256).optional(),
  trustAnchor: z.strictObject({ sha256: Sha256Hex, pem: Pem }),
  intermediates: z.array(z.strictObject({ sha256: Sha256Hex, pem: Pem })).max(8).default([]),
  /** The observation classes the mesh publishes. */
  taxonomy: z.strictObject({ classes: z.array(ObservationClass).min(1).max(256) }).optional(),
  /** The mesh's national label policy (core/labels' SPIF-like JSON), for ceilings in its own markings. */
  labelPolicy: z.unknown().optional(),
  /** The mesh's vocabularies (core/taxonomy): markings from its label policy, and any it defines, for equivalence attestations. */
  vocabularies: Vocabularies.optional(),
});
export type MeshCard = z.infer<typeof MeshCard>;

export const Partner = z.strictObject({
  mesh: MeshCode,
  card: MeshCard,
  /** Who releases this partner's data into the federation: a role or office, as the partner names it. */
  releaseAuthority: Text(256),
});
export type Partner = z.infer<typeof Partner>;

export const Ceiling = z.strictObject({ policy: Text(64), classification: Text(64) });
export type Ceiling = z.infer<typeof Ceiling>;

export const ScopeRule = z.strictObject({
  from: MeshCode,
  to: MeshCode,
  classes: z.array(ObservationClass).min(1).max(256),
  ceiling: Ceiling,
  /** Handling caveats the receiver must keep with what crosses (e.g. "REL TO DEU, NLD", "EXERCISE ONLY"). */
  caveats: z.array(Text(128)).max(32).default([]),
  /** Whether the receiver may pass it on (relay it) to anyone else, in this federation or another. */
  onwardRelease: z.enum(['forbidden', 'originator-consent', 'permitted']),
});
export type ScopeRule = z.infer<typeof ScopeRule>;

export const ExitRule = z.strictObject({
  class: ObservationClass,
  action: z.enum(['purge', 'retain']),
  /** Under what handling retained data is kept; required for retain. */
  handling: Text(256).optional(),
  /** Products derived from purged data: purged too, or kept. */
  derived: z.enum(['purge', 'retain']),
});
export type ExitRule = z.infer<typeof ExitRule>;

export const DisconnectionWindow = z.strictObject({
  partner: MeshCode,
  start: Instant,
  end: Instant,
  reason: Text(256),
});
export type DisconnectionWindow = z.infer<typeof DisconnectionWindow>;

export const Declaration = z
  .strictObject({
    type: z.literal(DECLARATION_TYPE),
    /** Stable across versions: lowercase letters, digits and hyphens. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'expected an id of 3–64 lowercase letters, digits and hyphens'),
    version: z.number().int().min(1).max(1_000_000),
    purpose: Text(1_000),
    partners: z.array(Partner).min(2).max(16),
    scope: z.array(ScopeRule).min(1).max(256),
    validity: z.strictObject({ start: Instant, expires: Instant }),
    /** How divergence is arbitrated: the old policy shorthand, or rules, strategies and a tie-break (core/reconcile/arbitration). */
    arbitration: Arbitration,
    resynchronisation: z.strictObject({
      /** Classes that cross first after a disconnection, in order; the rest follow by time. */
      priority: z.array(ObservationClass).max(256),
      /** At most this many queued observations per direction; older ones beyond it are dropped and recorded. */
      backlogLimit: z.number().int().min(0).max(100_000_000),
      /** Queued observations older than this many seconds are not sent at all. */
      maxAgeSeconds: z.number().int().min(0).max(31_536_000),
    }),
    /** Silence from a partner shorter than this is tolerated; longer, outside a window, is an integrity event. */
    silenceToleranceSeconds: z.number().int().min(0).max(31_536_000),
    disconnectionWindows: z.array(DisconnectionWindow).max(1_000).default([]),
    /**
     * The clocks' declared relative drift bound (0007 "Time"): offset intervals between meshes widen by
     * this × a sample's age. Absent: {@link DEFAULT_MAX_DRIFT_PPM}. Optional, so earlier versions keep their bytes.
     */
    time: z.strictObject({ maxDriftPpm: z.number().min(0).max(10_000) }).optional(),
    exit: z.array(ExitRule).min(1).max(256),
  })
  .superRefine((d, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const meshes = d.partners.map((p) => p.mesh);
    const anchors = d.partners.map((p) => p.card.trustAnchor.sha256);
    d.partners.forEach((p, i) => {
      if (meshes.indexOf(p.mesh) !== i) issue(['partners', i, 'mesh'], `partner ${p.mesh} is named twice`);
      if (p.card.mesh !== p.mesh) issue(['partners', i, 'card', 'mesh'], `the card is of mesh ${p.card.mesh}, not ${p.mesh}`);
      // One authority in two seats would have one signature count for both partners.
      const first = anchors.indexOf(p.card.trustAnchor.sha256);
      if (first !== i) {
        ctx.addIssue({ code: 'custom', path: ['partners', i, 'card', 'trustAnchor'], message: `partner ${p.mesh} carries the trust anchor of ${meshes[first]}; each partner must be its own authority`, params: { reason: DUPLICATE_AUTHORITY } });
      }
    });
    d.scope.forEach((rule, i) => {
      if (!meshes.includes(rule.from)) issue(['scope', i, 'from'], `${rule.from} is not a partner`);
      if (!meshes.includes(rule.to)) issue(['scope', i, 'to'], `${rule.to} is not a partner`);
      if (rule.from === rule.to) issue(['scope', i, 'to'], 'a scope rule must cross between two partners');
      const sender = d.partners.find((p) => p.mesh === rule.from);
      const known = sender?.card.taxonomy?.classes ?? DEFAULT_TAXONOMY;
      rule.classes.forEach((c, j) => {
        if (!known.includes(c)) issue(['scope', i, 'classes', j], `${c} is not a class ${rule.from} publishes (${known.join(', ')})`);
      });
    });
    if (!(Date.parse(d.validity.start) < Date.parse(d.validity.expires))) issue(['validity', 'expires'], 'must be after the start');
    d.disconnectionWindows.forEach((w, i) => {
      if (!meshes.includes(w.partner)) issue(['disconnectionWindows', i, 'partner'], `${w.partner} is not a partner`);
      if (!(Date.parse(w.start) < Date.parse(w.end))) issue(['disconnectionWindows', i, 'end'], 'must be after the start');
    });
    d.exit.forEach((rule, i) => {
      if (rule.action === 'retain' && !rule.handling) issue(['exit', i, 'handling'], 'retained data needs its handling named');
    });
    // The policy may name only what the declaration does: its partners, its classes, and the fields it weighs.
    const classes = [...new Set([...d.scope.flatMap((r) => r.classes), ...d.exit.map((r) => r.class), ...d.resynchronisation.priority])];
    const fields = d.arbitration.fieldWeights ? Object.keys(d.arbitration.fieldWeights) : undefined;
    for (const found of arbitrationIssues(d.arbitration, { meshes, classes, ...(fields ? { fields } : {}) })) {
      ctx.addIssue({ code: 'custom', path: ['arbitration', ...found.path], message: found.message, params: { reason: found.reason } });
    }
  });
export type Declaration = z.infer<typeof Declaration>;

export class DeclarationError extends Refused {
  declare readonly reason: string;

  constructor(reason: string, message: string) {
    super(reason, message);
    this.name = 'DeclarationError';
  }
}

/** Validates a candidate declaration. @throws DeclarationError naming the first bad field. */
export function parseDeclaration(candidate: unknown): Declaration {
  const parsed = Declaration.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    // Two seats for one authority is refused by its own name, whatever else is wrong.
    const duplicate = parsed.error.issues.find((i) => i.code === 'custom' && (i.params as { reason?: unknown } | undefined)?.reason === DUPLICATE_AUTHORITY);
    if (duplicate) throw new DeclarationError(DUPLICATE_AUTHORITY, `The declaration is refused: ${duplicate.message}.`);
    // An arbitration issue carries its own reason (unknown-mesh, weights-do-not-sum, rule-too-deep, …).
    const own = first?.code === 'custom' ? (first.params as { reason?: unknown } | undefined)?.reason : undefined;
    const reason = typeof own === 'string' ? own : first?.path.includes('classes') && first.code === 'custom' ? 'unknown-class' : 'malformed-declaration';
    throw new DeclarationError(reason, `The declaration is ${typeof own === 'string' ? 'refused' : 'malformed'}: ${describeIssues(parsed.error, 'declaration')}.`);
  }
  return parsed.data;
}

/** The bytes every partner signs: RFC 8785 canonical JSON of the validated declaration. */
export function declarationBytes(declaration: Declaration): Buffer {
  return Buffer.from(canonicalize(declaration), 'utf8');
}

/** Names one version of a declaration: SHA-256 of its canonical bytes. */
export function declarationDigest(declaration: Declaration): string {
  return hash('sha256', declarationBytes(declaration), 'hex');
}
