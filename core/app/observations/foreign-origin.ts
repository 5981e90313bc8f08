/**
 * A foreign fact never looks local (issue 13): for an observation another mesh made, where it
 * came from and how it crossed — origin mesh, the federation and version it crossed under, the
 * agent and bundle line that carried it, the release authority, the STANAG 4774 alternative label
 * this mesh reads it under beside the originator's untouched one, the caveats and onward-release
 * rule of the scope it crossed by, the attestations the translation used — read from the
 * `crossings` row the admission wrote (migration 0011). Null for this mesh's own observations.
 */
import type { JsonValue } from '../../common/json.js';
import { readCrossing } from '../../store/crossing-store.js';
import type { ReadDb } from '../../store/database.js';

export interface ForeignOriginView {
  /** The mesh that made it (the signed record's `mesh`). */
  readonly origin: string;
  /** The partner whose agent carried it here: the origin, or a relaying partner. Null for a record admitted before the crossing (no bundle). */
  readonly partner: string | null;
  readonly federation: { readonly id: string; readonly version: number } | null;
  /** `MESH:agent-id`. */
  readonly agent: string | null;
  readonly agentCertificate: string | null;
  /** The bundle's digest (SHA-256 of its manifest line) and the line the item was on. */
  readonly bundle: string | null;
  readonly line: number | null;
  readonly releaseAuthority: string | null;
  /** admitted, tainted (admitted but marked), released (from quarantine by an operator's decision). */
  readonly outcome: 'admitted' | 'tainted' | 'released' | null;
  readonly admittedAt: string | null;
  /** The originator's label exactly as signed. */
  readonly originatorLabel: JsonValue;
  /** The translated label in this mesh's policy, kind `alternative`; null when no translation was needed. */
  readonly alternativeLabel: JsonValue | null;
  readonly caveats: string[];
  readonly onwardRelease: string | null;
  /** The ids of the equivalence attestations the translation used. */
  readonly attestations: string[];
}

/** Where a stored observation came from, or null when this mesh made it. */
export function foreignOrigin(db: ReadDb, ownMesh: string, id: string, record: { readonly mesh: string; readonly label: unknown }): ForeignOriginView | null {
  if (record.mesh === ownMesh) return null;
  const crossing = readCrossing(db, id);
  const parsed = <T>(text: string | null | undefined, fallback: T): T => {
    if (text === null || text === undefined) return fallback;
    try {
      return JSON.parse(text) as T;
    } catch {
      return fallback;
    }
  };
  return {
    origin: record.mesh,
    partner: crossing?.partner ?? null,
    federation: crossing ? { id: crossing.federation, version: crossing.version } : null,
    agent: crossing?.agent ?? null,
    agentCertificate: crossing?.agentCertificate ?? null,
    bundle: crossing?.bundle ?? null,
    line: crossing?.line ?? null,
    releaseAuthority: crossing?.releaseAuthority ?? null,
    outcome: crossing?.outcome ?? null,
    admittedAt: crossing?.admittedAt ?? null,
    originatorLabel: record.label as JsonValue,
    alternativeLabel: parsed<JsonValue | null>(crossing?.alternativeLabel, null),
    caveats: parsed<string[]>(crossing?.caveats, []),
    onwardRelease: crossing?.onwardRelease ?? null,
    attestations: parsed<string[]>(crossing?.attestations, []),
  };
}
