/**
 * The federation's lifecycle, computed from what is on record — never stored as a flag someone
 * could flip: draft → proposed → active → (amended by a newer complete version) → expired or
 * withdrawn → exited. Time is the trusted now (core/app keeps a floor that never goes back), so
 * setting the workstation clock back cannot bring an expired federation back. The rules of The
 * Update Framework model what is admitted: no rollback to an older version than the one in
 * force, no version far ahead of the last known, no change to a version once known — and no
 * version that leaves out a partner of the one in force.
 */
import type { DsseSignature } from '../crypto/dsse.js';
import type { Declaration } from './declaration.js';
import { signatureReport, type SignatureReport } from './signatures.js';

export type FederationState = 'draft' | 'proposed' | 'active' | 'expired' | 'withdrawn' | 'exited';

export interface VersionRecord {
  readonly declaration: Declaration;
  readonly digest: string;
  readonly signatures: readonly DsseSignature[];
}

export interface FederationRecord {
  readonly id: string;
  /** Ascending by version. */
  readonly versions: readonly VersionRecord[];
  readonly withdrawals: readonly { readonly partner: string; readonly at: string; readonly reason: string }[];
  readonly exits: readonly { readonly partner: string; readonly at: string }[];
}

export interface Evaluation {
  readonly id: string;
  readonly state: FederationState;
  /** The newest version every partner signed: the one in force (or last in force). */
  readonly inForce: VersionRecord | null;
  readonly latest: VersionRecord;
  /** Signatures of the latest version, per partner. */
  readonly signatures: SignatureReport;
  /** Older complete versions the one in force replaced. */
  readonly amended: readonly number[];
}

export function evaluate(record: FederationRecord, now: Date): Evaluation {
  const latest = record.versions.at(-1)!;
  let previousComplete: Declaration | null = null;
  const complete: VersionRecord[] = [];
  let latestReport: SignatureReport | null = null;
  for (const version of record.versions) {
    const report = signatureReport(version.declaration, version.signatures, previousComplete, now);
    if (version === latest) latestReport = report;
    if (report.complete) {
      complete.push(version);
      previousComplete = version.declaration;
    }
  }
  const inForce = complete.at(-1) ?? null;
  const base = { id: record.id, inForce, latest, signatures: latestReport!, amended: complete.slice(0, -1).map((v) => v.declaration.version) };
  if (record.exits.length > 0) return { ...base, state: 'exited' };
  if (record.withdrawals.length > 0) return { ...base, state: 'withdrawn' };
  if (!inForce) return { ...base, state: latest.signatures.length === 0 ? 'draft' : 'proposed' };
  const { start, expires } = inForce.declaration.validity;
  if (now.getTime() >= Date.parse(expires)) return { ...base, state: 'expired' };
  if (now.getTime() < Date.parse(start)) return { ...base, state: 'proposed' };
  return { ...base, state: 'active' };
}

export type Admission = { readonly ok: true; readonly known: boolean } | { readonly ok: false; readonly reason: 'rollback' | 'fast-forward' | 'conflicting-version' | 'partner-dropped'; readonly message: string };

/** Whether a version may be added to what is on record (before its signatures are looked at). */
export function admitVersion(record: FederationRecord | null, incoming: Declaration, digest: string, now: Date): Admission {
  if (!record) {
    return incoming.version === 1 ? { ok: true, known: false } : { ok: false, reason: 'fast-forward', message: `Federation ${incoming.id} is new here, so its first version must be 1, not ${incoming.version}.` };
  }
  // Even a genuine older version is refused once a newer one is in force: a replay says nothing new.
  const inForce = evaluate(record, now).inForce;
  if (inForce && incoming.version < inForce.declaration.version) {
    return { ok: false, reason: 'rollback', message: `Version ${incoming.version} of ${incoming.id} is older than version ${inForce.declaration.version} in force; an older version never replaces a newer one.` };
  }
  const same = record.versions.find((v) => v.declaration.version === incoming.version);
  if (same) {
    return same.digest === digest
      ? { ok: true, known: true }
      : { ok: false, reason: 'conflicting-version', message: `Version ${incoming.version} of ${incoming.id} is on record with other content: this one was altered after it was made.` };
  }
  const newest = record.versions.at(-1)!.declaration.version;
  if (incoming.version > newest + 1) {
    return { ok: false, reason: 'fast-forward', message: `Version ${incoming.version} of ${incoming.id} skips ahead of version ${newest}, the newest on record; versions follow one another.` };
  }
  // Every partner signs every version that names it, so a version leaving one out would take
  // effect without its consent: a partner leaves by withdrawing, which runs its exit instead.
  const withdrawn = new Set(record.withdrawals.map((w) => w.partner));
  const dropped = (inForce?.declaration.partners ?? []).filter((p) => !withdrawn.has(p.mesh) && !incoming.partners.some((q) => q.mesh === p.mesh)).map((p) => p.mesh);
  if (dropped.length > 0) {
    return {
      ok: false,
      reason: 'partner-dropped',
      message: `Version ${incoming.version} of ${incoming.id} leaves out ${dropped.join(', ')}, partner of version ${inForce!.declaration.version} in force; a partner leaves by withdrawing (its exit then runs), not by an amendment it does not sign.`,
    };
  }
  return { ok: true, known: false };
}

export type CrossingVerdict =
  | { readonly allowed: true; readonly federation: string; readonly version: number; readonly ceiling: { readonly policy: string; readonly classification: string }; readonly caveats: readonly string[]; readonly onwardRelease: string }
  | { readonly allowed: false; readonly reason: 'no-federation' | 'not-active' | 'out-of-scope'; readonly message: string };

/**
 * The enforcement question the boundary asks: may an observation of `cls` cross from `from` to
 * `to` now, and under which ceiling and caveats? Answered from versions in force only.
 */
export function mayCross(records: readonly FederationRecord[], from: string, to: string, cls: string, now: Date): CrossingVerdict {
  const between = records.filter((r) => r.versions.at(-1)!.declaration.partners.some((p) => p.mesh === from) && r.versions.at(-1)!.declaration.partners.some((p) => p.mesh === to));
  if (between.length === 0) return { allowed: false, reason: 'no-federation', message: `No federation joins ${from} and ${to}.` };
  let inactive: string | undefined;
  for (const record of between) {
    const evaluation = evaluate(record, now);
    if (evaluation.state !== 'active' || !evaluation.inForce) {
      inactive ??= `Federation ${record.id} is ${evaluation.state}.`;
      continue;
    }
    const declaration = evaluation.inForce.declaration;
    const rule = declaration.scope.find((r) => r.from === from && r.to === to && r.classes.includes(cls));
    if (rule) {
      return { allowed: true, federation: record.id, version: declaration.version, ceiling: rule.ceiling, caveats: rule.caveats, onwardRelease: rule.onwardRelease };
    }
  }
  return inactive && !between.some((r) => evaluate(r, now).state === 'active')
    ? { allowed: false, reason: 'not-active', message: `${inactive} Nothing crosses from ${from} to ${to} under it now.` }
    : { allowed: false, reason: 'out-of-scope', message: `No active federation lets ${cls} observations cross from ${from} to ${to}.` };
}

export type SilenceVerdict = { readonly verdict: 'intended'; readonly window: { start: string; end: string; reason: string } } | { readonly verdict: 'tolerated' } | { readonly verdict: 'integrity-event'; readonly message: string };

/**
 * "Is silence from `partner` since `since` intended, tolerated, or an integrity event?" —
 * intended when a declared window covers the whole silence, tolerated while it is shorter than
 * the declaration's tolerance, an integrity event otherwise.
 */
export function judgeSilence(declaration: Declaration, partner: string, since: Date, now: Date): SilenceVerdict {
  const tolerance = declaration.silenceToleranceSeconds * 1000;
  // A window covers the silence if it covers now and began within the tolerance of the silence.
  const window = declaration.disconnectionWindows.find((w) => w.partner === partner && Date.parse(w.start) - since.getTime() <= tolerance && Date.parse(w.start) <= now.getTime() && now.getTime() <= Date.parse(w.end));
  if (window) return { verdict: 'intended', window: { start: window.start, end: window.end, reason: window.reason } };
  const silentSeconds = (now.getTime() - since.getTime()) / 1000;
  if (silentSeconds * 1000 <= tolerance) return { verdict: 'tolerated' };
  return {
    verdict: 'integrity-event',
    message: `${partner} has been silent for ${Math.round(silentSeconds)} s since ${since.toISOString()}, beyond the ${declaration.silenceToleranceSeconds} s tolerated and outside any declared window.`,
  };
}
