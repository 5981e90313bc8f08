/**
 * The coalition of the demo exercise, NORTHERN WATCH: three national meshes in the southern
 * North Sea, each with its own markings (core/labels' demo policies, DOMAIN.md §3: GBR SECRET,
 * FRA SECRET and DEU GEHEIM are NATO SECRET), its own words for its platforms (mapped to APP-6D
 * symbol codes by signed equivalence attestations) and for incidents (mapped to a coalition
 * pivot), and its platforms. Fictional units; realistic kinds, speeds and markings.
 */
import type { Position } from './geo.js';
import type { ContactSpec, PlatformSpec } from './tracks.js';

/**
 * APP-6D / MIL-STD-2525D codes (DOMAIN.md §4), context 1 (exercise), identity 3 (friend). The
 * entity codes of the USV and the ground sensor are our best reading of 2525D (unsure); the
 * console draws whatever milsymbol makes of them.
 */
export const SIDC = {
  uas: '10130100001103000000',
  usv: '10133000001200000000',
  groundSensor: '10131500002200000000',
  maritimePatrol: '10130100001101000000',
} as const;

/** The pivot event terms of the coalition's incident vocabulary. */
export const EVENT = { suspiciousApproach: 'suspicious-approach', unidentifiedDrone: 'unidentified-uas' } as const;

export interface CoalitionMesh {
  readonly code: 'GBR' | 'FRA' | 'DEU';
  readonly name: string;
  /** Below the exercise folder: '' is the folder itself (the home the console opens). */
  readonly folder: string;
  /** The level its picture is held at: the national equivalent of NATO SECRET. */
  readonly level: string;
  /** Its equivalent of NATO CONFIDENTIAL, where it has one (FRA and GBR have none). */
  readonly confidential?: string;
  /** Its equivalent of COSMIC TOP SECRET. */
  readonly topSecret: string;
  readonly unitTypes: readonly { readonly term: string; readonly sidc: string; readonly attested: boolean }[];
  readonly events: readonly { readonly term: string; readonly pivot: string }[];
  readonly operator: string;
  readonly platforms: readonly PlatformSpec[];
}

/** Where NORTHERN WATCH happens: the southern North Sea, off the Dover Strait. */
export const AREA: { readonly centre: Position; readonly radiusM: number } = { centre: { lat: 51.6, lon: 2.3 }, radiusM: 45_000 };

export const MESHES: readonly CoalitionMesh[] = [
  {
    code: 'GBR', name: 'United Kingdom — Joint Maritime Operations Centre', folder: '', level: 'SECRET', topSecret: 'TOP SECRET', operator: 'maj-hughes',
    unitTypes: [
      { term: 'Protector RG1 (UAS)', sidc: SIDC.uas, attested: true },
      { term: 'Uncrewed surface vessel', sidc: SIDC.usv, attested: true },
      { term: 'Unattended ground sensor', sidc: SIDC.groundSensor, attested: true },
    ],
    events: [{ term: 'Suspicious approach', pivot: EVENT.suspiciousApproach }, { term: 'Unidentified drone', pivot: EVENT.unidentifiedDrone }],
    platforms: [
      { id: 'gbr-uas-1', kind: 'uas', device: 'gbr-uas-1', term: 'Protector RG1 (UAS)', start: { lat: 51.45, lon: 1.7 }, heading: 80 },
      { id: 'gbr-usv-1', kind: 'usv', device: 'gbr-usv-1', term: 'Uncrewed surface vessel', start: { lat: 51.3, lon: 1.9 }, heading: 40 },
    ],
  },
  {
    code: 'FRA', name: 'France — CECMED détachement Manche', folder: 'partners/fra', level: 'SECRET', topSecret: 'TRÈS SECRET', operator: 'lv-moreau',
    unitTypes: [
      { term: 'Drone MALE', sidc: SIDC.uas, attested: true },
      { term: 'Drone de surface', sidc: SIDC.usv, attested: true },
      { term: 'Capteur terrestre autonome', sidc: SIDC.groundSensor, attested: true },
    ],
    events: [{ term: 'Approche suspecte', pivot: EVENT.suspiciousApproach }, { term: 'Drone non identifié', pivot: EVENT.unidentifiedDrone }],
    platforms: [
      { id: 'fra-uas-1', kind: 'uas', device: 'fra-uas-1', term: 'Drone MALE', start: { lat: 51.05, lon: 2.1 }, heading: 20 },
      { id: 'fra-usv-1', kind: 'usv', device: 'fra-usv-1', term: 'Drone de surface', start: { lat: 51.15, lon: 2.4 }, heading: 350 },
      { id: 'fra-ugs-1', kind: 'ground-sensor', device: 'fra-ugs-1', term: 'Capteur terrestre autonome', start: { lat: 51.04, lon: 2.37 } },
    ],
  },
  {
    code: 'DEU', name: 'Deutschland — Marinekommando, Maritime Operations Centre', folder: 'partners/deu', level: 'GEHEIM', confidential: 'VS-VERTRAULICH', topSecret: 'STRENG GEHEIM', operator: 'kk-becker',
    unitTypes: [
      { term: 'Drohne (UAS)', sidc: SIDC.uas, attested: true },
      { term: 'Unbemanntes Überwasserfahrzeug', sidc: SIDC.usv, attested: true },
      { term: 'Bodensensor', sidc: SIDC.groundSensor, attested: true },
      // DEU's own word for its maritime patrol aircraft, which no partner has a term for: never attested.
      { term: 'Seefernaufklärer', sidc: SIDC.maritimePatrol, attested: false },
    ],
    events: [{ term: 'Verdächtige Annäherung', pivot: EVENT.suspiciousApproach }, { term: 'Unbekannte Drohne', pivot: EVENT.unidentifiedDrone }],
    platforms: [
      { id: 'deu-uas-1', kind: 'uas', device: 'deu-uas-1', term: 'Drohne (UAS)', start: { lat: 51.9, lon: 2.9 }, heading: 200 },
      { id: 'deu-usv-1', kind: 'usv', device: 'deu-usv-1', term: 'Unbemanntes Überwasserfahrzeug', start: { lat: 51.85, lon: 2.6 }, heading: 240 },
    ],
  },
];

/** The contacts at sea; K-17 is the one the coalition will disagree about. */
export const CONTACTS: readonly ContactSpec[] = [
  { id: 'K-17', identity: 'suspect', description: 'small fast craft, no AIS', start: { lat: 51.5, lon: 2.2 }, speedMps: 9 },
  { id: 'K-21', identity: 'neutral', description: 'bulk carrier', start: { lat: 51.35, lon: 2.0 }, speedMps: 6 },
  { id: 'K-30', identity: 'unknown', description: 'trawler', start: { lat: 51.75, lon: 2.5 }, speedMps: 3 },
];

/** The extra device DEU's maritime patrol aircraft reports with. */
export const DEU_MPA_DEVICE = 'deu-mpa-1';

export const MAIN_FEDERATION = 'northern-watch';
export const MISSION_FEDERATION = 'harbour-sweep';
export const AGENT = 'gw-1';
