/** Pushed events leave the core only in the shape the contract promises. */
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from './contract/index.js';
import { CoreEvents } from './events.js';

const info: EventPayload<'workspaceChanged'> = {
  home: '/home/officer/.local/share/entente',
  databasePath: '/home/officer/.local/share/entente/entente.db',
  workspaceId: 'ab'.repeat(32),
  createdAt: '2026-11-23T08:00:00.000Z',
  schemaVersion: 3,
};

function recorder(events: CoreEvents): { event: EventName; payload: unknown }[] {
  const seen: { event: EventName; payload: unknown }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  return seen;
}

describe('CoreEvents', () => {
  it('delivers a valid payload to every subscriber until it unsubscribes', () => {
    const events = new CoreEvents();
    const first = recorder(events);
    const second: unknown[] = [];
    const unsubscribe = events.subscribe((_event, payload) => second.push(payload));
    events.publish('workspaceChanged', info);
    unsubscribe();
    events.publish('workspaceChanged', { ...info, schemaVersion: 4 });
    expect(first).toEqual([{ event: 'workspaceChanged', payload: info }, { event: 'workspaceChanged', payload: { ...info, schemaVersion: 4 } }]);
    expect(second).toEqual([info]);
  });

  it('still delivers to the other listeners when one throws, and reports the failure instead of throwing', () => {
    const failures: [EventName, unknown][] = [];
    const events = new CoreEvents((event, error) => failures.push([event, error]));
    const before = recorder(events);
    events.subscribe(() => {
      throw new Error('socket closed');
    });
    const after = recorder(events);
    expect(() => events.publish('workspaceChanged', info)).not.toThrow();
    expect(before).toEqual([{ event: 'workspaceChanged', payload: info }]);
    expect(after).toEqual([{ event: 'workspaceChanged', payload: info }]);
    expect(failures).toEqual([['workspaceChanged', new Error('socket closed')]]);
  });

  it('refuses a payload the contract does not promise, before any subscriber sees it', () => {
    const events = new CoreEvents();
    const seen = recorder(events);
    const invalid: unknown[] = [
      { ...info, secret: 'extra field' },
      { ...info, workspaceId: 'AB'.repeat(32) },
      { ...info, createdAt: 'yesterday' },
      { ...info, schemaVersion: -1 },
      { ...info, home: 'x'.repeat(4097) },
      { home: info.home },
      null,
    ];
    for (const payload of invalid) {
      expect(() => events.publish('workspaceChanged', payload as EventPayload<'workspaceChanged'>), JSON.stringify(payload)).toThrow();
    }
    expect(seen).toEqual([]);
  });

  // Each part's event carries what changed, bounded like every other payload.
  const valid: { [E in EventName]: EventPayload<E> } = {
    workspaceChanged: info,
    meshChanged: { mesh: 'DEU', principals: 3, revocations: 1 },
    observationsAdmitted: { admitted: 2, total: 10, newest: ['cd'.repeat(32), 'ef'.repeat(32)] },
    auditAppended: { entries: 12, appended: 2, lastCheckpointSize: 10 },
    federationsChanged: { federations: ['deu-nld-exercise'] },
    crossingChanged: {
      imports: [{ bundle: 'ab'.repeat(32), partner: 'NLD', federation: 'baltic-shield', state: 'importing', blocksDone: 3, lines: 5000, observations: 4990, counts: { admitted: 3000, duplicate: 2, rejected: 1, quarantined: 0, tainted: 0 } }],
      quarantineOpen: 1,
      integrityEvents: 4,
    },
    linksChanged: { links: 2, convergences: 7 },
    pictureChanged: { digest: '0a'.repeat(32), subjects: 3, queueOpen: 1 },
    bundleImportProgress: { staged: 'ab'.repeat(16), phase: 'admitting', bytesRead: 1024, bytes: 4096, lines: 10, totalLines: 40 },
    operationProgress: { operation: 'ab'.repeat(16), kind: 'after-action-export', state: 'running', phase: 'walking the chains', done: 3, total: 10 },
  };
  const refused: { [E in EventName]: unknown[] } = {
    workspaceChanged: [],
    meshChanged: [{ mesh: 'deu', principals: 3, revocations: 1 }, { mesh: null, principals: -1, revocations: 0 }, { mesh: null, principals: 0 }],
    observationsAdmitted: [
      { admitted: 101, total: 101, newest: Array.from({ length: 101 }, () => 'cd'.repeat(32)) },
      { admitted: 1, total: 1, newest: ['not-an-id'] },
      { admitted: 0.5, total: 1, newest: [] },
    ],
    auditAppended: [{ entries: 1, appended: 1, lastCheckpointSize: -1 }, { entries: 1, appended: 1 }, { entries: '1', appended: 1, lastCheckpointSize: null }],
    federationsChanged: [{ federations: [] }, { federations: ['x'.repeat(65)] }, { federations: Array.from({ length: 1001 }, (_, i) => `f-${i}`) }],
    crossingChanged: [
      { imports: [], quarantineOpen: -1, integrityEvents: 0 },
      { imports: [{ bundle: 'not-a-digest', partner: 'NLD', federation: 'baltic-shield', state: 'importing', blocksDone: 0, lines: 0, observations: 0, counts: { admitted: 0, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 } }], quarantineOpen: 0, integrityEvents: 0 },
      { imports: [], quarantineOpen: 0 },
    ],
    linksChanged: [{ links: -1, convergences: 0 }, { links: 1 }, { links: 1, convergences: 0.5 }],
    pictureChanged: [{ digest: 'short', subjects: 0, queueOpen: 0 }, { digest: '0a'.repeat(32), subjects: -1, queueOpen: 0 }, { digest: '0a'.repeat(32), subjects: 0 }],
    operationProgress: [
      { operation: '../../etc/passwd', kind: 'audit-export', state: 'running', phase: 'x', done: 0, total: null },
      { operation: 'ab'.repeat(16), kind: 'backup', state: 'running', phase: 'x', done: 0, total: null },
      { operation: 'ab'.repeat(16), kind: 'audit-export', state: 'paused', phase: 'x', done: 0, total: null },
      { operation: 'ab'.repeat(16), kind: 'audit-export', state: 'done', phase: 'x', done: -1, total: null },
    ],
    bundleImportProgress: [
      { staged: '../../etc/passwd', phase: 'admitting', bytesRead: 0, bytes: 0, lines: 0, totalLines: null },
      { staged: 'ab'.repeat(16), phase: 'paused', bytesRead: 0, bytes: 0, lines: 0, totalLines: null },
      { staged: 'ab'.repeat(16), phase: 'done', bytesRead: -1, bytes: 0, lines: 0, totalLines: null },
    ],
  };

  it('delivers each part’s event with the payload that says what changed', () => {
    const events = new CoreEvents();
    const seen = recorder(events);
    for (const [event, payload] of Object.entries(valid)) events.publish(event as EventName, payload as never);
    expect(seen).toEqual(Object.entries(valid).map(([event, payload]) => ({ event, payload })));
    events.publish('auditAppended', { entries: 0, appended: 0, lastCheckpointSize: null });
    expect(seen.at(-1)).toEqual({ event: 'auditAppended', payload: { entries: 0, appended: 0, lastCheckpointSize: null } });
  });

  it('refuses a part’s event whose payload is malformed or over its bounds', () => {
    const events = new CoreEvents();
    const seen = recorder(events);
    for (const [event, payloads] of Object.entries(refused)) {
      for (const payload of payloads) expect(() => events.publish(event as EventName, payload as never), `${event} ${JSON.stringify(payload).slice(0, 80)}`).toThrow();
    }
    expect(seen).toEqual([]);
  });
});
