/**
 * What the change watcher publishes: one change per part that moved, named as the contract's
 * events are and carrying what changed. `changesBetween` compares two readings of the store's
 * marks; reading the marks, and the observations they point at, is the store's job.
 */
import type { ChangeMarks } from '../../store/change-marks.js';
import type { WorkspaceInfo } from '../../workspace/workspace.js';

export type Change =
  | { readonly event: 'meshChanged'; readonly payload: { mesh: string | null; principals: number; revocations: number } }
  | { readonly event: 'observationsAdmitted'; readonly payload: { admitted: number; total: number; newest: string[] } }
  | { readonly event: 'auditAppended'; readonly payload: { entries: number; appended: number; lastCheckpointSize: number | null } }
  | { readonly event: 'federationsChanged'; readonly payload: { federations: string[] } }
  | { readonly event: 'workspaceChanged'; readonly payload: WorkspaceInfo }
  | { readonly event: 'crossingChanged'; readonly payload: CrossingProgress }
  | { readonly event: 'linksChanged'; readonly payload: { links: number; convergences: number } }
  | { readonly event: 'pictureChanged'; readonly payload: { digest: string; subjects: number; queueOpen: number } };

/** The crossing's state as a console's boundary board shows it live: imports under way or just done, the quarantine, integrity events. */
export interface CrossingProgress {
  readonly imports: {
    readonly bundle: string;
    readonly partner: string;
    readonly federation: string;
    readonly state: 'importing' | 'done';
    /** Blocks of 1,024 lines admitted so far, of about `lines / 1024`. */
    readonly blocksDone: number;
    readonly lines: number;
    readonly observations: number;
    readonly counts: { readonly admitted: number; readonly duplicate: number; readonly rejected: number; readonly quarantined: number; readonly tainted: number };
  }[];
  readonly quarantineOpen: number;
  readonly integrityEvents: number;
}

/** The most imports a `crossingChanged` lists: the newest ones. */
export const CROSSING_IMPORTS = 10;

/** The most ids an `observationsAdmitted` carries, however many arrived (the contract's bound). */
export const NEWEST_IDS = 100;
/** The most federation ids a `federationsChanged` carries (a console lists at most as many). */
export const FEDERATION_IDS = 1000;

/** The observations found between two readings, given by the watcher (they need the store). */
export interface Admitted {
  readonly admitted: number;
  readonly total: number;
  readonly newest: string[];
}

export interface Readings {
  readonly before: ChangeMarks;
  readonly after: ChangeMarks;
  /** Asked only when the observations' marks moved. */
  readonly admitted: () => Admitted;
  /** Asked only when the crossing's marks moved. */
  readonly crossing: () => CrossingProgress;
  readonly workspaceInfo: () => WorkspaceInfo;
}

export function changesBetween({ before, after, admitted, crossing, workspaceInfo }: Readings): Change[] {
  const changes: Change[] = [];
  if (after.schemaVersion !== before.schemaVersion) changes.push({ event: 'workspaceChanged', payload: workspaceInfo() });
  const mesh = after.mesh;
  if (mesh.code !== before.mesh.code || mesh.principals !== before.mesh.principals || mesh.revocations !== before.mesh.revocations || mesh.lastCertificate !== before.mesh.lastCertificate) {
    changes.push({ event: 'meshChanged', payload: { mesh: mesh.code, principals: mesh.principals, revocations: mesh.revocations } });
  }
  if (after.observations.lastRowid !== before.observations.lastRowid || after.observations.purges !== before.observations.purges) {
    changes.push({ event: 'observationsAdmitted', payload: { ...admitted() } });
  }
  const audit = after.audit;
  if (audit.entries !== before.audit.entries || audit.lastCheckpoint !== before.audit.lastCheckpoint) {
    changes.push({ event: 'auditAppended', payload: { entries: audit.entries, appended: Math.max(0, audit.entries - before.audit.entries), lastCheckpointSize: audit.lastCheckpointSize } });
  }
  const touched = [...after.federations].filter(([id, counts]) => before.federations.get(id) !== counts).map(([id]) => id);
  // More than the bound in one tick is no real workload; the first ones still tell the console to refresh.
  if (touched.length > 0) changes.push({ event: 'federationsChanged', payload: { federations: touched.slice(0, FEDERATION_IDS) } });
  const [was, is] = [before.crossing, after.crossing];
  if (is.imports !== was.imports || is.quarantineOpen !== was.quarantineOpen || is.lastIntegrityEvent !== was.lastIntegrityEvent) {
    changes.push({ event: 'crossingChanged', payload: crossing() });
  }
  if (after.links.mark !== before.links.mark) changes.push({ event: 'linksChanged', payload: { links: after.links.count, convergences: after.links.convergences } });
  const picture = after.picture;
  if (picture.digest !== before.picture.digest || picture.queueOpen !== before.picture.queueOpen) {
    changes.push({ event: 'pictureChanged', payload: { digest: picture.digest ?? '0'.repeat(64), subjects: picture.subjects, queueOpen: picture.queueOpen } });
  }
  return changes;
}
