/** The assembled contract holds every part's methods and events, none shadowing another's. */
import { describe, expect, it } from 'vitest';
import { appEvents, appMethods } from './app.js';
import { auditEvents, auditMethods } from './audit.js';
import { boardEvents, boardMethods } from './board.js';
import { crossingEvents, crossingMethods } from './crossing.js';
import { federationEvents, federationMethods } from './federations.js';
import { integrityEvents, integrityMethods } from './integrity.js';
import { linkEvents, linkMethods } from './links.js';
import { eventNames, events, isEventName, isMethodName, methodNames, methods } from './index.js';
import { meshEvents, meshMethods } from './mesh.js';
import { observationEvents, observationMethods } from './observations.js';
import { reconcileEvents, reconcileMethods } from './reconcile.js';
import { timeMethods } from './time.js';
import { workspaceEvents, workspaceMethods } from './workspace.js';

const partMethods = [appMethods, meshMethods, workspaceMethods, observationMethods, auditMethods, federationMethods, integrityMethods, crossingMethods, linkMethods, reconcileMethods, boardMethods, timeMethods];
const partEvents = [appEvents, meshEvents, workspaceEvents, observationEvents, auditEvents, federationEvents, integrityEvents, crossingEvents, linkEvents, reconcileEvents, boardEvents];

describe('the contract assembled from its parts', () => {
  it('holds each part method once, with the part’s own schemas (no part shadows another’s name)', () => {
    const names = partMethods.flatMap((part) => Object.keys(part));
    expect(new Set(names).size).toBe(names.length);
    expect([...methodNames].sort()).toEqual([...names].sort());
    for (const part of partMethods) for (const [name, entry] of Object.entries(part)) expect(methods[name as keyof typeof methods]).toBe(entry);
  });

  it('holds each part event once, with the part’s own payload schema', () => {
    const names = partEvents.flatMap((part) => Object.keys(part));
    expect(new Set(names).size).toBe(names.length);
    expect([...eventNames].sort()).toEqual([...names].sort());
    for (const part of partEvents) for (const [name, schema] of Object.entries(part)) expect(events[name as keyof typeof events]).toBe(schema);
  });

  it('tells its own names from anything else, inherited properties included', () => {
    expect(isMethodName('listObservations')).toBe(true);
    expect(isEventName('workspaceChanged')).toBe(true);
    for (const name of ['toString', '__proto__', 'constructor', '', 42, null]) {
      expect(isMethodName(name)).toBe(false);
      expect(isEventName(name)).toBe(false);
    }
  });
});
