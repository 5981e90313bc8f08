/**
 * The contract: every method the console may call on the core and every event the core
 * pushes, each with runtime schemas, assembled from one file per mission part. Both shells
 * (Electron IPC, loopback WebSocket) bind exactly this table, so adding a method is one entry
 * in its part's file plus its handler in `core/api/handlers.ts` (the compiler insists on it).
 */
import type { z } from 'zod';
import { appEvents, appMethods } from './app.js';
import { auditEvents, auditMethods } from './audit.js';
import { boardEvents, boardMethods } from './board.js';
import { crossingEvents, crossingMethods } from './crossing.js';
import { federationEvents, federationMethods } from './federations.js';
import { integrityEvents, integrityMethods } from './integrity.js';
import { linkEvents, linkMethods } from './links.js';
import { meshEvents, meshMethods } from './mesh.js';
import { observationEvents, observationMethods } from './observations.js';
import { reconcileEvents, reconcileMethods } from './reconcile.js';
import { timeMethods } from './time.js';
import { workspaceEvents, workspaceMethods } from './workspace.js';

export * from './app.js';
export * from './audit.js';
export * from './board.js';
export * from './crossing.js';
export * from './federations.js';
export * from './integrity.js';
export * from './links.js';
export * from './mesh.js';
export * from './observations.js';
export * from './reconcile.js';
export * from './time.js';
export * from './workspace.js';

export const methods = {
  ...appMethods,
  ...meshMethods,
  ...workspaceMethods,
  ...observationMethods,
  ...auditMethods,
  ...federationMethods,
  ...integrityMethods,
  ...crossingMethods,
  ...linkMethods,
  ...reconcileMethods,
  ...boardMethods,
  ...timeMethods,
} as const;

export const events = {
  ...appEvents,
  ...meshEvents,
  ...workspaceEvents,
  ...observationEvents,
  ...auditEvents,
  ...federationEvents,
  ...integrityEvents,
  ...crossingEvents,
  ...linkEvents,
  ...reconcileEvents,
  ...boardEvents,
} as const;

/** Bumped when a method or event changes shape; a shell refuses a mismatched renderer. 2: events per part. 3: observations' standing, integrity events. 4: foreign origin on observations, quarantine and bundle imports. 5: the federation editor (drafts, signing with a passphrase per call, withdrawal, exchange files). 6: live links' state, the joint picture, the queue and decisions, and the board (agents' credentials, lineage neighbourhoods, provenance chains). 7: quarantine decisions, staged bundle import with progress and cancel, marking levels for the banner; the queue's filters and order, origins and mesh-derived time of competing observations, a decision's passphrase per call, replay under a draft policy. 8: the federation editor's draft-effect preview (previewDraftEffect), the display markings of queue items' competing observations and of lineage answers, the provenance search by federation and label, the after-action export, the log's export, and progress and cancel for long operations (`operationProgress`, `cancelOperation`). 9: the picture's pending subjects (`getPicture`'s `pending`). 10: why arbitration chose a field's supplier (`getPicture`'s `fields[].arbitrated`), replaying one past decision (`replayPolicy`'s `decision`). 11: the picture's filters (`getPicture`'s `subjectPrefix`, `state`) and the count they match (`matching`), each field's display marking (`fields[].marking`) and the subject's (`markings`). */
export const CONTRACT_VERSION = 11;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
