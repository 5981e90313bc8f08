/**
 * Exporting a crossing bundle (`entente bundle export`): what the federation lets that partner
 * receive, and nothing else — the scope's classes from each originator to it, at or under the
 * ceiling as translated, releasable to it, relayed only where the onward-release rule allows —
 * written as a stream by one of our boundary agents holding that partner's certificate, with
 * the certificates, CRLs, attestations and taint notices the partner needs to check it offline.
 * The per-partner cursor moves only when the partner's receipt says what it admitted.
 */
import type { Writable } from 'node:stream';
import { readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { writeBundle } from '../../boundary/bundle/writer.js';
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import { classificationRank } from '../../labels/index.js';
import type { GovernedObservation } from '../../observation/index.js';
import { insertBundleExport, iterateExportCandidates, latestObservationRowid, readExportCursor, type ExportCandidate } from '../../store/crossing-store.js';
import { readCertificate } from '../../store/mesh-store.js';
import { authorityActor } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { releasableTo } from './judge.js';
import type { CrossingParts } from './parts.js';

export interface ExportRequest {
  readonly to: string;
  /** The federation to export under; may be left out when exactly one active federation joins us and `to`. */
  readonly federation?: string;
  /** Export what was stored after this cursor; default: after what the partner's last receipt acknowledged. */
  readonly since?: number;
  readonly agent?: string;
}

export interface ExportReport {
  readonly bundle: string;
  readonly to: string;
  readonly federation: { readonly id: string; readonly version: number };
  readonly agent: string;
  readonly observations: number;
  readonly lines: number;
  /** Pass `to` as `--since` to export only what came after this bundle. */
  readonly cursor: { readonly from: number; readonly to: number };
}

export async function exportBundle(
  op: Operation,
  parts: CrossingParts,
  request: ExportRequest,
  sink: Writable,
  options: { onProgress?: (lines: number) => void; signal?: AbortSignal } = {},
): Promise<ExportReport> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  if (request.to === mesh.code) throw new Refused('not-a-partner', `${mesh.code} cannot export to itself.`);
  const { id: federation, declaration } = activeFederationWith(op, mesh.code, request.to, request.federation, now);
  const { envelope: hello, signer, agent } = await parts.helloFor(op, { to: request.to, federation, agent: request.agent });
  const since = request.since ?? readExportCursor(db, request.to, federation);
  const upTo = latestObservationRowid(db);
  const selected = selector(op, parts, { own: mesh.code, to: request.to, federation, declaration, now });

  // A first pass names the device certificates the selection needs, so they can precede it.
  const certificates = new Set<string>();
  for (const candidate of iterateExportCandidates(db, since, upTo)) if (selected(candidate)) certificates.add(candidate.deviceCertificate);

  async function* sections() {
    for (const sha256 of certificates) {
      const row = readCertificate(db, sha256);
      if (row) yield { kind: 'certificate' as const, pem: row.pem };
    }
    for (const pem of parts.ownCrls(op)) yield { kind: 'crl' as const, pem };
    for (const envelope of parts.attestationsFor(op, federation)) yield { kind: 'attestation' as const, envelope };
    for (const notice of parts.taintNoticesFor(op, request.to)) yield { kind: 'taint' as const, notice };
  }
  async function* observations() {
    for (const candidate of iterateExportCandidates(db, since, upTo)) {
      if (selected(candidate)) yield { record: readStrictJson(candidate.record) as GovernedObservation, certificate: candidate.deviceCertificate };
    }
  }
  const written = await writeBundle(sink, {
    hello,
    sections: sections(),
    observations: observations(),
    signer,
    exportedAt: now,
    cursor: String(upTo),
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const log = await op.log();
  db.transaction(() => {
    insertBundleExport(db, { digest: written.digest, partner: request.to, federation, agent, observations: written.counts.observation, cursorFrom: since, cursorTo: upTo, exportedAt: now.toISOString() });
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(mesh),
          what: { ids: [], federation, detail: { to: request.to, agent, bundle: written.digest, observations: written.counts.observation, cursorFrom: since, cursorTo: upTo } },
          why: { reasons: ['exported'], text: `Exported ${written.counts.observation} to ${request.to} under ${federation} v${declaration.version} (bundle ${written.digest.slice(0, 16)}…).` },
        },
      ],
      now,
    );
  })();
  return { bundle: written.digest, to: request.to, federation: { id: federation, version: declaration.version }, agent, observations: written.counts.observation, lines: written.lines, cursor: { from: since, to: upTo } };
}

/** The one active federation joining us and `to` (or the one named, if it does). */
export function activeFederationWith(op: ReadOperation, own: string, to: string, named: string | undefined, now: Date): { id: string; declaration: Declaration } {
  const joining = federationRecords(op.read)
    .map((record) => ({ record, evaluation: evaluate(record, now) }))
    .filter(({ evaluation }) => evaluation.state === 'active' && evaluation.inForce)
    .filter(({ evaluation }) => [own, to].every((m) => evaluation.inForce!.declaration.partners.some((p) => p.mesh === m)));
  const chosen = named === undefined ? joining : joining.filter(({ record }) => record.id === named);
  if (chosen.length === 0) {
    throw new Refused('no-federation', named === undefined ? `No active federation joins ${own} and ${to}.` : `Federation ${named} is not an active federation joining ${own} and ${to}.`);
  }
  if (chosen.length > 1) throw new Refused('ambiguous-federation', `Several active federations join ${own} and ${to} (${chosen.map((c) => c.record.id).join(', ')}): name one with --federation.`);
  return { id: chosen[0]!.record.id, declaration: chosen[0]!.evaluation.inForce!.declaration };
}

export interface SelectionContext {
  readonly own: string;
  readonly to: string;
  readonly federation: string;
  readonly declaration: Declaration;
  readonly now: Date;
}

/** Whether a stored observation may go to `to` under the federation: release control, outbound side. */
export function selector(op: ReadOperation, parts: CrossingParts, context: SelectionContext): (candidate: ExportCandidate) => boolean {
  const verdict = selectionVerdict(op, parts, context);
  return (candidate) => verdict(candidate).release;
}

/**
 * Why a stored observation is held back from `to`, or that it is released: reason codes are the
 * receiver's own for the same rule (judge.ts), so the editor's draft-effect preview and the
 * receiver speak of one refusal by one name. `origin` is never a refusal: nothing goes back where it came from.
 */
export type SelectionVerdict =
  | { readonly release: true }
  | { readonly release: false; readonly reason: 'origin' | 'onward-release-forbidden' | 'out-of-scope' | 'outside-window' | 'not-releasable' | 'unknown-ceiling-policy' | 'translation-loss' | 'above-ceiling' };

export function selectionVerdict(op: ReadOperation, parts: CrossingParts, context: SelectionContext): (candidate: ExportCandidate) => SelectionVerdict {
  const { declaration } = context;
  const classify = parts.ceilingClassifier(op, { federation: context.federation, now: context.now });
  // Looked up once per export, not per candidate: each lookup re-reads and re-verifies the declaration.
  const policies = new Map<string, ReturnType<CrossingParts['policyOf']>>();
  const policyOf = (id: string) => {
    if (!policies.has(id)) policies.set(id, parts.policyOf(op, context.federation, id));
    return policies.get(id);
  };
  const released = { release: true } as const;
  const held = (reason: Extract<SelectionVerdict, { release: false }>['reason']) => ({ release: false, reason }) as const;
  return (candidate) => {
    // Never back to where it came from. A relay (a partner's observation passed on) only where the
    // rule it came to us under permits onward release: `forbidden` keeps it here, and
    // `originator-consent` too, as no consent is on record. The originator's own rule to `to`
    // must let it cross as well (below), as the receiver checks again.
    if (candidate.mesh === context.to) return held('origin');
    if (candidate.mesh !== context.own && (candidate.cameUnder === null || candidate.onwardRelease !== 'permitted')) return held('onward-release-forbidden');
    const rule = declaration.scope.find((r) => r.from === candidate.mesh && r.to === context.to && r.classes.includes(candidate.class));
    if (!rule) return held('out-of-scope');
    const record = readStrictJson(candidate.record) as GovernedObservation;
    const observedAt = Date.parse(record.time.wall);
    if (observedAt < Date.parse(declaration.validity.start) || observedAt > Date.parse(declaration.validity.expires)) return held('outside-window');
    const releasable = releasableTo(record.label);
    if (releasable && !releasable.includes(context.to)) return held('not-releasable');
    const ceilingPolicy = policyOf(rule.ceiling.policy);
    if (!ceilingPolicy) return held('unknown-ceiling-policy');
    const classification = classify(candidate.mesh, record.label, ceilingPolicy);
    if (classification === undefined) return held('translation-loss');
    const rank = classificationRank(ceilingPolicy, classification);
    const ceiling = classificationRank(ceilingPolicy, rule.ceiling.classification);
    return rank !== undefined && ceiling !== undefined && rank <= ceiling ? released : held('above-ceiling');
  };
}
