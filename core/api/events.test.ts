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
});
