/**
 * The after-action report with hostile values: subjects, labels, reasons and crossing facts come
 * from records and partners, and must reach the page as text — no element, attribute or URL of
 * theirs — while the banner still names the highest level, and an unplaced one is said, not guessed low.
 */
import { describe, expect, it } from 'vitest';
import type { AfterActionBundle } from './after-action-format.js';
import type { StepFacts } from './after-action-facts.js';
import { renderAfterActionReport } from './after-action-html.js';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a><style>body{display:none}</style><meta http-equiv="refresh" content="0;url=https://evil.example/">`;

const step = (over: Partial<StepFacts> = {}): StepFacts => ({
  id: 'a'.repeat(64),
  found: 'held',
  mesh: 'NLD',
  subject: `track:${HOSTILE}`,
  class: 'track',
  device: `sensor-${HOSTILE}`,
  observedAt: '2026-11-23T08:00:00Z',
  derivation: null,
  sources: [],
  marking: `NATO SECRET // ${HOSTILE}`,
  tier: 3,
  foreign: {
    origin: 'DEU',
    partner: 'DEU',
    federation: { id: `fed-${HOSTILE}`, version: 1 },
    agent: `DEU:${HOSTILE}`,
    agentCertificate: null,
    bundle: 'b'.repeat(64),
    line: 3,
    releaseAuthority: HOSTILE,
    outcome: 'admitted',
    admittedAt: '2026-11-23T08:01:00Z',
    originatorLabel: null,
    alternativeLabel: null,
    caveats: [HOSTILE],
    onwardRelease: HOSTILE,
    attestations: [HOSTILE],
  },
  alternativeMarking: HOSTILE,
  events: [{ log: 'NLD', seq: 4, type: 'crossing', wall: '2026-11-23T08:01:00Z', who: HOSTILE, reasons: [HOSTILE], text: HOSTILE, from: 'this workspace', leaf: 'c'.repeat(64) }],
  ...over,
});

const bundle = {
  format: 'entente.after-action/v1',
  mesh: 'NLD',
  exportedAt: '2026-11-24T08:00:00Z',
  search: { subjectPrefix: HOSTILE, label: HOSTILE },
  selected: ['a'.repeat(64)],
  observations: [],
  unresolved: [],
  audit: { anchor: 'not a certificate', entries: [] },
  statement: {},
} as unknown as AfterActionBundle;

describe('the after-action report', () => {
  it('escapes every value from a record or a partner', () => {
    const html = renderAfterActionReport({ bundle, chains: [{ id: 'a'.repeat(64), truncated: false, steps: [step()] }], levels: { highest: { tier: 3, banner: 'NATO SECRET', marking: `NATO SECRET // ${HOSTILE}` }, unranked: [] } });
    // Only our own elements: one style block, no script, image, link, refresh, or foreign URL.
    expect(html.match(/<script|<img|<a |<meta http-equiv="refresh"/gi)).toBeNull();
    expect(html.match(/<style>/g)).toHaveLength(1);
    // No element carries a link, a source or a handler: the hostile ones are text between tags.
    // (Attribute values are blanked first: an escaped quote cannot end one, so what is inside stays inside.)
    expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\s(href|src|on\w+)\s*=/i);
    expect(html).toContain('&#60;a href=&#34;javascript:alert(3)&#34;&#62;');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    // The CSP forbids everything but inline style; the banner is at top and bottom.
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html.match(/<div class="banner"[^>]*>NATO SECRET<\/div>/g)).toHaveLength(2);
  });

  it('says when a marking is not placed on the NATO scale, rather than marking the page low', () => {
    const html = renderAfterActionReport({
      bundle,
      chains: [{ id: 'a'.repeat(64), truncated: false, steps: [step({ marking: 'XYZ ULTRA', tier: null }), step({ id: 'd'.repeat(64), found: 'unresolved', marking: null, tier: null })] }],
      levels: { highest: { tier: 1, banner: 'NATO RESTRICTED', marking: 'NATO RESTRICTED' }, unranked: ['XYZ ULTRA'] },
    });
    expect(html.match(/AT LEAST NATO RESTRICTED — ALSO MARKED XYZ ULTRA/g)).toHaveLength(2);
    expect(html).toContain('is held nowhere consulted');
  });
});
