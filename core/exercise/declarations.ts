/**
 * The exercise's two federation declarations (docs/decisions/0005's format), built from the
 * partners' own cards: NORTHERN WATCH, the three-way standing federation with DEU's declared
 * EMCON window, and HARBOUR SWEEP, a mission between GBR and FRA that ends inside the exercise.
 */
import { DECLARATION_TYPE, type Declaration, type MeshCard, type ScopeRule } from '../federation/declaration.js';
import { MAIN_FEDERATION, MISSION_FEDERATION } from './coalition.js';

const HOUR = 3_600_000;

export interface Partner {
  readonly code: string;
  readonly card: MeshCard;
  readonly authority: string;
}

function pairs(partners: readonly Partner[], rule: Omit<ScopeRule, 'from' | 'to'>): ScopeRule[] {
  return partners.flatMap((from) => partners.filter((to) => to !== from).map((to) => ({ from: from.code, to: to.code, ...rule })));
}

/**
 * NORTHERN WATCH: tracks, assessments and operators' decisions cross between every pair up to
 * NATO SECRET, not passed on (each partner sends its own); valid from an hour before the exercise
 * for thirty days; DEU's six-hour EMCON declared, so its silence is expected and its backlog (up
 * to a day old) is sent when it is back.
 */
export function mainDeclaration(partners: readonly Partner[], start: Date, emcon: { partner: string; start: Date; end: Date }): Declaration {
  return {
    type: DECLARATION_TYPE,
    id: MAIN_FEDERATION,
    version: 1,
    purpose: 'Exercise NORTHERN WATCH: a shared maritime picture of the southern North Sea (demo data)',
    partners: partners.map((p) => ({ mesh: p.code, card: p.card, releaseAuthority: p.authority })),
    scope: pairs(partners, { classes: ['track', 'assessment', 'decision'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'forbidden' }),
    validity: { start: new Date(start.getTime() - HOUR).toISOString(), expires: new Date(start.getTime() + 30 * 24 * HOUR).toISOString() },
    arbitration: { policy: 'originator-wins', divergenceThreshold: 0.3 },
    resynchronisation: { priority: ['decision', 'assessment', 'track'], backlogLimit: 100_000, maxAgeSeconds: 86_400 },
    silenceToleranceSeconds: 3_600,
    disconnectionWindows: [{ partner: emcon.partner, start: emcon.start.toISOString(), end: emcon.end.toISOString(), reason: 'planned EMCON (emission control) of the German task group' }],
    exit: [
      { class: 'track', action: 'purge', derived: 'retain' },
      { class: 'assessment', action: 'retain', handling: 'national archive, NATO SECRET, EXERCISE ONLY', derived: 'retain' },
      { class: 'decision', action: 'retain', handling: 'national archive, NATO SECRET, EXERCISE ONLY', derived: 'retain' },
    ],
  };
}

/** HARBOUR SWEEP: incidents between GBR and FRA for a six-hour harbour-approach mission; on exit each purges the other's. */
export function missionDeclaration(partners: readonly Partner[], start: Date, expires: Date): Declaration {
  return {
    type: DECLARATION_TYPE,
    id: MISSION_FEDERATION,
    version: 1,
    purpose: 'Mission HARBOUR SWEEP: incident reports on the approaches to Dunkerque and Dover, for the mission only (demo data)',
    partners: partners.map((p) => ({ mesh: p.code, card: p.card, releaseAuthority: p.authority })),
    scope: pairs(partners, { classes: ['incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY', 'HARBOUR SWEEP'], onwardRelease: 'forbidden' }),
    validity: { start: start.toISOString(), expires: expires.toISOString() },
    arbitration: { policy: 'originator-wins', divergenceThreshold: 0.3 },
    resynchronisation: { priority: ['incident'], backlogLimit: 10_000, maxAgeSeconds: 21_600 },
    silenceToleranceSeconds: 3_600,
    disconnectionWindows: [],
    exit: [{ class: 'incident', action: 'purge', derived: 'purge' }],
  };
}
