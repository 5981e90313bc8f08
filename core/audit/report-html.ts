/**
 * The readable after-action report: one self-contained HTML file (no scripts, no outside
 * resources, a CSP that forbids both) with the verification result, integrity events, the
 * decisions with their reasons and signers, a summary per federation and the full timeline.
 * Every value from the log is escaped: entries are evidence, not markup.
 */
import type { CheckpointBody, CosignatureBody } from './checkpoint.js';
import { actorName, type AuditEntry } from './entry.js';
import type { LogReport } from './verify-log.js';

export interface ReportInput {
  readonly log: string;
  readonly exportedAt: string;
  readonly filter: { readonly from?: string; readonly to?: string; readonly federation?: string; readonly subject?: string };
  readonly entries: readonly (AuditEntry & { readonly id: string })[];
  readonly checkpoints: readonly CheckpointBody[];
  /** Partners' cosignatures over this log's checkpoints (checked against their anchors when taken in). */
  readonly cosignatures: readonly CosignatureBody[];
  readonly verification: LogReport;
}

const DECISION_TYPES = new Set(['decision', 'arbitration', 'quarantine', 'rejection']);

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const who = (e: AuditEntry) => actorName(e.who);
const what = (e: AuditEntry) =>
  [
    e.what.subject && `subject ${e.what.subject}`,
    e.what.federation && `federation ${e.what.federation}`,
    e.what.policy && `policy ${e.what.policy.id} v${e.what.policy.version}`,
    ...e.what.ids.slice(0, 8).map((id) => `<code title="${escapeHtml(id)}">${escapeHtml(id.slice(0, 12))}…</code>`),
    e.what.ids.length > 8 && `and ${e.what.ids.length - 8} more ids`,
    ...Object.entries(e.what.detail ?? {}).map(([k, v]) => `${k}: ${v}`),
  ]
    .filter(Boolean)
    .map((part) => (String(part).startsWith('<code') ? String(part) : escapeHtml(part)))
    .join('<br>');
const why = (e: AuditEntry) => `${e.why.reasons.map((r) => `<span class="reason">${escapeHtml(r)}</span>`).join(' ')}${e.why.text ? `<br>${escapeHtml(e.why.text)}` : ''}`;

function entryRows(entries: readonly (AuditEntry & { id: string })[]): string {
  return entries
    .map(
      (e) =>
        `<tr><td>${e.seq}</td><td>${escapeHtml(e.when.wall)}<br><small>HLC ${e.when.hlc.l}.${e.when.hlc.c}</small></td><td>${escapeHtml(e.type)}</td>` +
        `<td>${escapeHtml(who(e))}<br><small title="certificate">${escapeHtml(e.who.certificate.slice(0, 16))}…</small></td><td>${what(e)}</td><td>${why(e)}</td></tr>`,
    )
    .join('\n');
}

const table = (rows: string) =>
  rows ? `<table><thead><tr><th>#</th><th>When</th><th>Type</th><th>Who</th><th>What</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>None.</p>';

export function renderAuditReport(input: ReportInput): string {
  const { verification } = input;
  const filter = Object.entries(input.filter).filter(([, v]) => v !== undefined);
  const verified = verification.failures.length === 0;
  const integrityEntries = input.entries.filter((e) => e.type === 'integrity');
  const decisions = input.entries.filter((e) => DECISION_TYPES.has(e.type));
  const federations = new Map<string, Map<string, number>>();
  for (const e of input.entries) {
    if (!e.what.federation) continue;
    const counts = federations.get(e.what.federation) ?? new Map<string, number>();
    counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    federations.set(e.what.federation, counts);
  }
  const head = verification.head;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Reconciliation log of ${escapeHtml(input.log)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d5d9de;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#eef1f4}code,small{font-family:ui-monospace,monospace;font-size:.85em}.reason{background:#eef1f4;border-radius:3px;padding:0 .3rem;font-family:ui-monospace,monospace}
.ok{color:#17663a;font-weight:600}.bad{color:#a3162b;font-weight:600}
</style></head><body>
<h1>Reconciliation log of mesh ${escapeHtml(input.log)}</h1>
<p>Exported ${escapeHtml(input.exportedAt)}${filter.length ? `; filtered by ${filter.map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(v)}`).join(', ')}` : '; the whole log'}. ${input.entries.length} entries shown.</p>
<h2>Verification</h2>
<p class="${verified ? 'ok' : 'bad'}">${verified ? `Verified: all ${verification.entries} entries recomputed; every checkpoint signature checks.` : `${verification.failures.length} failure(s): the log does not verify.`}</p>
${head ? `<p>Head checkpoint: size ${head.size}, root <code>${escapeHtml(head.root)}</code>, signed ${escapeHtml(head.time)} by certificate <code>${escapeHtml(head.signer.slice(0, 16))}…</code>.</p>` : '<p>No signed checkpoint.</p>'}
${verified ? '' : `<ul>${verification.failures.map((f) => `<li><span class="reason">${escapeHtml(f.reason)}</span> ${f.seq !== undefined ? `entry ${f.seq}: ` : ''}${escapeHtml(f.message)}</li>`).join('')}</ul>`}
<h2>Integrity events</h2>
${table(entryRows(integrityEntries))}
<h2>Decisions, arbitrations, quarantines and rejections</h2>
${table(entryRows(decisions))}
<h2>Per federation</h2>
${
  federations.size
    ? `<table><thead><tr><th>Federation</th><th>Entries by type</th></tr></thead><tbody>${[...federations]
        .map(([id, counts]) => `<tr><td>${escapeHtml(id)}</td><td>${[...counts].map(([t, n]) => `${escapeHtml(t)}: ${n}`).join(', ')}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No entry names a federation.</p>'
}
<h2>Timeline</h2>
${table(entryRows(input.entries))}
<h2>Witnessed by partners</h2>
${
  input.cosignatures.length
    ? `<table><thead><tr><th>Witness</th><th>Size</th><th>Root</th><th>Cosigned</th></tr></thead><tbody>${input.cosignatures
        .map((c) => `<tr><td>${escapeHtml(c.witness)}</td><td>${c.size}</td><td><code>${escapeHtml(c.root)}</code></td><td>${escapeHtml(c.time)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No partner has cosigned a checkpoint of this log yet.</p>'
}
<h2>Checkpoints</h2>
<table><thead><tr><th>Size</th><th>Root</th><th>Time</th></tr></thead><tbody>${input.checkpoints.map((c) => `<tr><td>${c.size}</td><td><code>${escapeHtml(c.root)}</code></td><td>${escapeHtml(c.time)}</td></tr>`).join('')}</tbody></table>
</body></html>
`;
}
