import { describe, expect, it } from 'vitest';
import { boardByPartner } from './board-data.js';
import { formatOffset } from './clock-offsets.js';
import { worstState } from './LinkStateBadge.js';

const federation = (id: string, partners: string[]) =>
  ({ id, partners: partners.map((mesh) => ({ mesh, displayName: mesh === 'NLD' ? 'Defensie' : null })) }) as never;
const link = (partner: string, state: string) => ({ partner, federation: 'f-1', state }) as never;

describe('the boundary board data', () => {
  it('gathers one entry per partner from federations and links, never this mesh, each with its own items', () => {
    const board = boardByPartner('DEU', {
      federations: [federation('f-1', ['DEU', 'NLD', 'POL'])],
      links: [link('NLD', 'up'), link('FRA', 'unexpectedly-lost')],
      quarantine: [{ partner: 'NLD', decision: null }, { partner: 'NLD', decision: { outcome: 'released' } }, { partner: 'POL', decision: null }] as never,
      integrity: [{ partner: 'NLD', at: '2026-11-23T08:00:00Z' }, { partner: 'NLD', at: '2026-11-24T08:00:00Z' }, { partner: null, at: '2026-11-25T08:00:00Z' }] as never,
      credentials: [{ partner: 'NLD', notAfter: '2027-02-01T00:00:00Z' }, { partner: 'NLD', notAfter: '2027-01-01T00:00:00Z' }] as never,
    });
    expect(board.map((p) => p.mesh)).toEqual(['FRA', 'NLD', 'POL']);
    const nld = board[1]!;
    expect(nld).toMatchObject({ displayName: 'Defensie', quarantined: 1 });
    expect(nld.events.map((e) => e.at)).toEqual(['2026-11-24T08:00:00Z', '2026-11-23T08:00:00Z']);
    expect(nld.credentials.map((c) => c.notAfter)).toEqual(['2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z']);
    expect(board[0]!.federations).toEqual([]);
    expect(board[2]!.links).toEqual([]);
  });

  it('heads a card with its worst link and writes an unknown offset as a dash', () => {
    expect(worstState(['up', 'intentionally-disconnected', 'up'])).toBe('intentionally-disconnected');
    expect(worstState(['up', 'unexpectedly-lost'])).toBe('unexpectedly-lost');
    expect(worstState([])).toBeNull();
    expect(formatOffset(undefined)).toBe('—');
    expect(formatOffset({ lowMs: -120.4, highMs: 1480 })).toBe('−120 ms … +1,480 ms');
    expect(formatOffset({ lowMs: -3_600_000, highMs: null })).toBe('at least −3,600,000 ms');
    expect(formatOffset({ lowMs: null, highMs: null })).toBe('—');
  });
});
