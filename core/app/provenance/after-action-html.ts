/**
 * The after-action report: one self-contained HTML file beside the after-action bundle — inline
 * CSS, no script, nothing fetched (a CSP that forbids all but inline style), readable on screen and
 * printed. The highest classification on it is bannered top and bottom, as accredited systems mark
 * a page, and each item is portion-marked with its STANAG 4774 display marking. Each chain is told
 * in words: who observed, under whose authority, how it crossed and was translated, what was
 * decided, with the log positions and leaf hashes to find in the bundle. Every value is escaped:
 * subjects, labels and reasons come from records and partners, and are text, never markup.
 */
import { escapeHtml } from '../../audit/report-html.js';
import { parseCertificate } from '../../credentials/index.js';
import type { AfterActionBundle } from './after-action-format.js';
import type { ReportLevels, StepFacts } from './after-action-facts.js';

export interface ReportedChain {
  readonly id: string;
  readonly truncated: boolean;
  /** The observation first, then its sources breadth-first (provenance-service.ts). */
  readonly steps: readonly StepFacts[];
}

export interface AfterActionReportInput {
  readonly bundle: AfterActionBundle;
  readonly chains: readonly ReportedChain[];
  readonly levels: ReportLevels;
}

const e = escapeHtml;
const short = (hex: string) => `<code title="${e(hex)}">${e(hex.slice(0, 16))}…</code>`;

const SEARCH_WORDS: Record<string, string> = {
  subjectPrefix: 'subject starting with',
  mesh: 'mesh',
  class: 'class',
  from: 'observed from',
  before: 'observed before',
  federation: 'federation',
  label: 'label classification',
  ids: 'chosen observations',
};

function bannerText(levels: ReportLevels): string {
  if (levels.unranked.length > 0) {
    // Guessing a level low would under-mark the page: say plainly that one is not placed.
    return `${levels.highest ? `AT LEAST ${levels.highest.banner}` : 'CLASSIFICATION NOT PLACED'} — ALSO MARKED ${levels.unranked.join(', ')}`;
  }
  return levels.highest?.banner ?? 'NO MARKED ITEM';
}

function portion(step: StepFacts): string {
  return step.marking === null ? '<span class="portion unmarked">(no record held)</span>' : `<span class="portion">(${e(step.marking)})</span>`;
}

function crossingWords(step: StepFacts, mesh: string): string {
  const f = step.foreign;
  if (!f) return '';
  const parts = [
    `Crossed into ${e(mesh)} from <strong>${e(f.origin)}</strong>${f.partner && f.partner !== f.origin ? `, relayed by ${e(f.partner)}` : ''}`,
    f.federation ? `under federation <strong>${e(f.federation.id)}</strong> v${f.federation.version}` : 'before bundles recorded a federation',
    f.agent ? `carried by boundary agent ${e(f.agent)}` : null,
    f.bundle ? `in bundle or link session ${short(f.bundle)}${f.line !== null ? ` line ${f.line}` : ''}` : null,
    f.releaseAuthority ? `released by ${e(f.releaseAuthority)}` : null,
    f.outcome ? `${e(f.outcome)}${f.admittedAt ? ` at ${e(f.admittedAt)}` : ''}` : null,
  ].filter(Boolean);
  const translation = step.alternativeMarking
    ? `Read here as <span class="portion">(${e(step.alternativeMarking)})</span>, translated from the originator's label${f.attestations.length ? ` using the equivalence attestations ${f.attestations.map(short).join(', ')}` : ''}.`
    : 'No translation of its label was needed.';
  const caveats = f.caveats.length || f.onwardRelease ? ` Caveats: ${[...f.caveats, f.onwardRelease ? `onward release ${f.onwardRelease}` : ''].filter(Boolean).map(e).join(', ')}.` : '';
  return `<p>${parts.join(', ')}. ${translation}${caveats}</p>`;
}

function stepHtml(step: StepFacts, index: number, mesh: string): string {
  if (step.found === 'unresolved') {
    return `<li><p>${portion(step)} Source ${short(step.id)} is held nowhere consulted: the chain is open here (an unresolved reference, listed in the bundle).</p></li>`;
  }
  const role = index === 0 ? 'The observation' : 'Source';
  const made = `${role} ${short(step.id)} — <strong>${e(step.subject ?? '?')}</strong>, class ${e(step.class ?? '?')} — was observed by device <strong>${e(step.device ?? '?')}</strong> of mesh <strong>${e(step.mesh ?? '?')}</strong> at ${e(step.observedAt ?? '?')}, its record signed under ${e(step.mesh ?? '?')}'s authority.`;
  const derived = step.derivation ? ` It was derived with ${e(step.derivation)} from ${step.sources.length} source${step.sources.length === 1 ? '' : 's'}: ${step.sources.map(short).join(', ')}.` : step.sources.length ? ` Its sources: ${step.sources.map(short).join(', ')}.` : '';
  const flagged = step.flagged ? `<p class="bad">Flagged (${e(step.flagged.reason)}): ${e(step.flagged.message)}</p>` : '';
  const events = step.events.length
    ? `<table><thead><tr><th>Log</th><th>Entry</th><th>Leaf hash</th><th>When</th><th>What</th><th>Who</th><th>Why</th></tr></thead><tbody>${step.events
        .map(
          (ev) =>
            `<tr><td>${e(ev.log)}</td><td>#${ev.seq}</td><td>${ev.leaf ? short(ev.leaf) : '—'}</td><td>${e(ev.wall)}</td><td>${e(ev.type)}</td><td>${e(ev.who)}</td>` +
            `<td>${ev.reasons.map((r) => `<span class="reason">${e(r)}</span>`).join(' ')}${ev.text ? `<br>${e(ev.text)}` : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>No entry of this log names it.</p>';
  return `<li><p>${portion(step)} ${made}${derived}</p>${crossingWords(step, mesh)}${flagged}${events}</li>`;
}

function anchorSha(pem: string): string {
  try {
    return parseCertificate(pem).sha256;
  } catch {
    return 'unreadable';
  }
}

export function renderAfterActionReport(input: AfterActionReportInput): string {
  const { bundle, chains, levels } = input;
  const banner = `<div class="banner" role="note" aria-label="Highest classification on this report">${e(bannerText(levels))}</div>`;
  const conditions = Object.entries(bundle.search).filter(([, v]) => v !== undefined);
  const searchText = conditions.length
    ? conditions.map(([k, v]) => `${e(SEARCH_WORDS[k] ?? k)} ${Array.isArray(v) ? `${v.length} (${v.map((id: string) => e(id.slice(0, 12))).join(', ')})` : `<strong>${e(v)}</strong>`}`).join('; ')
    : 'every observation held';
  const anchor = anchorSha(bundle.audit.anchor);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>After-action report of mesh ${e(bundle.mesh)}, ${e(bundle.exportedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;color:#1b1f24;max-width:72rem;padding:0 1.5rem}
.banner{background:#c8102e;color:#fff;text-align:center;font-weight:700;letter-spacing:.04em;padding:.35rem;margin:0 -1.5rem}
h1{font-size:1.5rem;margin-top:1.2rem}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem}th,td{border:1px solid #d5d9de;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eef1f4}code{font-family:ui-monospace,monospace;font-size:.85em}.reason{background:#eef1f4;border-radius:3px;padding:0 .3rem;font-family:ui-monospace,monospace}
.portion{font-weight:700;font-family:ui-monospace,monospace;font-size:.85em}.unmarked{font-weight:400;color:#555}.bad{color:#a3162b;font-weight:600}
ol.chain>li{margin-bottom:.8rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}dt{font-weight:600}
pre{background:#f4f6f8;padding:.5rem;white-space:pre-wrap}
@media print{.banner{position:static;-webkit-print-color-adjust:exact;print-color-adjust:exact}section.chain{break-inside:avoid-page}body{max-width:none}}
</style></head><body>
${banner}
<h1>After-action report of mesh ${e(bundle.mesh)}</h1>
<dl>
<dt>Exported</dt><dd>${e(bundle.exportedAt)} (UTC), by the authority of mesh ${e(bundle.mesh)}</dd>
<dt>Search</dt><dd>${searchText}</dd>
<dt>Found</dt><dd>${bundle.selected.length} observation${bundle.selected.length === 1 ? '' : 's'}; with their chains ${bundle.observations.length} record${bundle.observations.length === 1 ? '' : 's'} carried${bundle.unresolved.length ? `, ${bundle.unresolved.length} source${bundle.unresolved.length === 1 ? '' : 's'} unresolved` : ''}; ${bundle.audit.entries.length} log entr${bundle.audit.entries.length === 1 ? 'y' : 'ies'}</dd>
<dt>Highest classification</dt><dd>${levels.highest ? `${e(levels.highest.banner)} (the item marked ${e(levels.highest.marking)})` : 'no marked item'}${levels.unranked.length ? `; not placed on the NATO scale here: ${levels.unranked.map(e).join(', ')}` : ''}</dd>
<dt>Trust anchor</dt><dd><code>${e(anchor)}</code> (SHA-256; compare it with ${e(bundle.mesh)}'s card)</dd>
</dl>
${chains
  .map(
    (chain, n) => `<section class="chain"><h2>${n + 1}. ${portion(chain.steps[0]!)} ${e(chain.steps[0]?.subject ?? chain.id)}</h2>
<ol class="chain">${chain.steps.map((step, i) => stepHtml(step, i, bundle.mesh)).join('\n')}</ol>${chain.truncated ? '<p class="bad">The chain was cut at the size bound.</p>' : ''}</section>`,
  )
  .join('\n')}
<h2>How to verify this report</h2>
<p>This page is a reading of the after-action bundle exported with it; the bundle is the evidence. Each log entry above is in the bundle with an inclusion proof (RFC 6962) in the signed checkpoint the authority's export statement names, and each record is named by its id, the SHA-256 of the signed record. To check it offline, with the Entente command line only:</p>
<pre>entente provenance verify AFTER-ACTION.bundle.json --anchor ${e(anchor)}</pre>
<p>It recomputes every proof and signature and names what fails: a changed byte in an entry, a record, the selection or the statement is reported with its reason.</p>
${banner}
</body></html>
`;
}
