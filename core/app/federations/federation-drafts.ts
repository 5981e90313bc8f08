/**
 * Declaration drafts for the console's editor: a starting draft (a new federation with partners
 * this home knows, or the next version of one on record), the check run as the officer types —
 * every issue the core's own schema (core/federation/declaration.ts) finds, each with its field's
 * path, then the checks this mesh makes before it signs — and the preview of what the draft would
 * let this mesh's observations cross that the version in force does not. Drafts are not stored:
 * proposing one signs it (federation-service.ts), until then it lives in the editor.
 */
import { randomBytes } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { DECLARATION_TYPE, DUPLICATE_AUTHORITY, Declaration, declarationDigest, MeshCard, type Declaration as DeclarationValue } from '../../federation/declaration.js';
import { admitVersion, evaluate } from '../../federation/lifecycle.js';
import { countObservations } from '../../store/observation-store.js';
import type { ReadOperation } from '../context/operation.js';
import { declarationFromOptions, judgeDeclaration } from './federation-service.js';
import { federationRecord, federationRecords, requireRecord } from './federation-records.js';

/** One thing wrong with a draft: where (a dotted path such as `scope.0.classes.1`), its reason code, and why. */
export interface DraftIssue {
  readonly path: string;
  readonly reason: string;
  readonly message: string;
}

/** For one partner and class from this mesh: whether the draft and the version in force let it cross, and how many observations of it this mesh holds. */
export interface PreviewRow {
  readonly partner: string;
  readonly class: string;
  readonly draft: boolean;
  readonly inForce: boolean;
  readonly observations: number;
}

export interface DraftCheck {
  readonly issues: DraftIssue[];
  /** The SHA-256 of the canonical draft the partners would sign; null while it has issues. */
  readonly digest: string | null;
  /** Null while the draft has issues. */
  readonly preview: { readonly inForce: number | null; readonly rows: PreviewRow[] } | null;
}

/** A partner this home knows the card of (from a federation on record), to start a draft with. */
export interface KnownPartner {
  readonly mesh: string;
  readonly displayName: string | null;
  readonly trustAnchorSha256: string;
}

export interface DraftRequest {
  /** The next version of this federation, from its newest. */
  readonly amend?: string | undefined;
  /** A new federation: partners by mesh code among the known ones… */
  readonly partners?: readonly string[] | undefined;
  /** …and cards of partners not known yet (as `entente mesh card` writes them). */
  readonly cards?: readonly unknown[] | undefined;
}

/** How long a new draft is valid for, until the officer says otherwise. */
const NEW_DRAFT_DAYS = 30;

/** The newest card each partner mesh has in a federation on record, this mesh's own left out. */
function knownCards(op: ReadOperation): Map<string, MeshCard> {
  const own = op.mesh().mesh.code;
  const cards = new Map<string, MeshCard>();
  for (const record of federationRecords(op.read)) {
    for (const partner of record.versions.at(-1)!.declaration.partners) if (partner.mesh !== own) cards.set(partner.mesh, partner.card);
  }
  return cards;
}

export function knownPartners(op: ReadOperation): KnownPartner[] {
  return [...knownCards(op).values()]
    .map((card) => ({ mesh: card.mesh, displayName: card.displayName ?? null, trustAnchorSha256: card.trustAnchor.sha256 }))
    .sort((a, b) => a.mesh.localeCompare(b.mesh));
}

/** A draft to start editing from; refused for an unknown federation or partner, or a card that is not one. */
export function startDraft(op: ReadOperation, request: DraftRequest): unknown {
  const now = op.clock.now();
  if (request.amend !== undefined) {
    const latest = requireRecord(op.read, request.amend).versions.at(-1)!.declaration;
    return { ...latest, version: latest.version + 1 };
  }
  const known = knownCards(op);
  const cards: MeshCard[] = (request.partners ?? []).map((mesh) => {
    const card = known.get(mesh);
    if (!card) throw new Refused('unknown-partner', `This home knows no card of mesh ${mesh}: add its card (entente mesh card) to the draft instead.`);
    return card;
  });
  for (const candidate of request.cards ?? []) {
    const parsed = MeshCard.safeParse(candidate);
    if (!parsed.success) throw new Refused('malformed-card', `A partner card is not a mesh card: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    cards.push(parsed.data);
  }
  if (cards.length === 0) throw new Refused('no-partner', 'A federation needs at least one partner besides this mesh: choose a known one or add its card.');
  const expires = new Date(now.getTime() + NEW_DRAFT_DAYS * 86_400_000).toISOString();
  const draft = declarationFromOptions(op, { partners: cards, purpose: '', classes: ['track'], ceiling: 'SECRET', expires, exit: 'purge' }, now) as { id: string };
  // A fresh id, not the one the CLI's options would give, so two drafts started together differ.
  return { ...draft, type: DECLARATION_TYPE, id: `${op.mesh().mesh.code.toLowerCase()}-${randomBytes(4).toString('hex')}` };
}

/** Where each of the mesh's own refusals points in the draft, so the editor shows it beside that field. */
const REFUSAL_PATHS: Record<string, string> = {
  'not-a-partner': 'partners',
  'card-mismatch': 'partners',
  'pinned-anchor': 'partners',
  [DUPLICATE_AUTHORITY]: 'partners',
  'expired-declaration': 'validity.expires',
  'fast-forward': 'version',
  rollback: 'version',
  'conflicting-version': 'version',
};

/** Every issue of the draft, its digest and preview once it has none. Never throws for a bad draft. */
export function checkDraft(op: ReadOperation, candidate: unknown): DraftCheck {
  const parsed = Declaration.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      const own = issue.code === 'custom' ? (issue.params as { reason?: unknown } | undefined)?.reason : undefined;
      const reason = typeof own === 'string' ? own : issue.code === 'custom' && issue.path.includes('classes') ? 'unknown-class' : 'malformed-declaration';
      return { path, reason, message: issue.message.replaceAll(/\s+/g, ' ') };
    });
    return { issues: issues.slice(0, 100), digest: null, preview: null };
  }
  const declaration = parsed.data;
  const now = op.clock.now();
  try {
    judgeDeclaration(op, declaration, now);
    const digest = declarationDigest(declaration);
    const record = federationRecord(op.read, declaration.id);
    const admission = admitVersion(record, declaration, digest, now);
    if (!admission.ok) throw new Refused(admission.reason, admission.message);
    const inForce = record ? (evaluate(record, now).inForce?.declaration ?? null) : null;
    return { issues: [], digest, preview: { inForce: inForce?.version ?? null, rows: previewRows(op, declaration, inForce) } };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { issues: [{ path: REFUSAL_PATHS[error.reason] ?? '', reason: error.reason, message: error.message }], digest: null, preview: null };
  }
}

/**
 * What may cross from this mesh, partner by partner and class by class, under the draft and under
 * the version in force, with the count of this mesh's observations of the class. The ceiling and
 * labels are not applied here: the count says how many would be offered, not how many released.
 */
function previewRows(op: ReadOperation, draft: DeclarationValue, inForce: DeclarationValue | null): PreviewRow[] {
  const own = op.mesh().mesh.code;
  const allowed = (d: DeclarationValue | null) => new Set((d?.scope ?? []).filter((r) => r.from === own).flatMap((r) => r.classes.map((c) => `${r.to} ${c}`)));
  const underDraft = allowed(draft);
  const underInForce = allowed(inForce);
  const counts = new Map<string, number>();
  return [...new Set([...underDraft, ...underInForce])].sort().map((key) => {
    const [partner = '', cls = ''] = key.split(' ');
    if (!counts.has(cls)) counts.set(cls, countObservations(op.read, { mesh: own, class: cls }));
    return { partner, class: cls, draft: underDraft.has(key), inForce: underInForce.has(key), observations: counts.get(cls)! };
  });
}
