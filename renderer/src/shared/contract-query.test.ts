/** ContractQuery against a fake bridge whose answers the test releases one by one, in any order. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContractError, EntenteBridge, Envelope } from '../../../core/api/index.js';
import { COALESCE_MS, ContractQuery, describeRefusal } from './contract-query.js';

interface Call {
  readonly method: string;
  readonly args: unknown;
  answer(envelope: Envelope<unknown>): void;
  fail(error: Error): void;
}

/** Answers any method with a promise the test settles; `on` keeps listeners so the test can emit. */
function fakeBridge() {
  const calls: Call[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const on = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  const bridge = new Proxy({} as EntenteBridge, {
    get: (_target, name) =>
      name === 'on'
        ? on
        : (args: unknown) =>
            new Promise<Envelope<unknown>>((resolve, reject) => calls.push({ method: String(name), args, answer: resolve, fail: reject })),
  });
  const emit = (event: string) => {
    for (const listener of listeners.get(event) ?? []) listener({});
  };
  const listening = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return { bridge, calls, emit, listening };
}

const principals = (ids: string[]) => ({ ok: true, value: { principals: ids.map((id) => ({ id })) } }) as Envelope<unknown>;
const refusal: ContractError = { code: 'invalid-arguments', message: 'limit must be at most 500.', issues: [{ path: 'limit', reason: 'too big' }] };

describe('ContractQuery', () => {
  let fake: ReturnType<typeof fakeBridge>;
  beforeEach(() => {
    fake = fakeBridge();
  });

  it('calls the method with its arguments and unwraps the answer', async () => {
    const query = new ContractQuery(() => fake.bridge, 'listObservations');
    expect(query.getState().status).toBe('idle');
    query.setArgs({ subject: 'track:4711', limit: 50 });
    const loaded = query.reload();
    expect(query.getState().status).toBe('loading');
    expect(fake.calls).toMatchObject([{ method: 'listObservations', args: { subject: 'track:4711', limit: 50 } }]);
    fake.calls[0]!.answer({ ok: true, value: { total: 0, observations: [] } });
    await loaded;
    expect(query.getState()).toEqual({ status: 'ready', data: { total: 0, observations: [] }, error: null });
  });

  it('keeps the whole refusal, and the last answer beside it', async () => {
    const query = new ContractQuery(() => fake.bridge, 'listPrincipals');
    query.setArgs({});
    const first = query.reload();
    fake.calls[0]!.answer(principals(['uav-7']));
    await first;
    const second = query.reload();
    fake.calls[1]!.answer({ ok: false, error: refusal });
    await second;
    expect(query.getState()).toEqual({ status: 'failed', data: { principals: [{ id: 'uav-7' }] }, error: refusal });
    expect(describeRefusal(refusal)).toBe('limit must be at most 500. (invalid-arguments)');
  });

  it('never lets an earlier, slower answer overwrite a later one', async () => {
    const query = new ContractQuery(() => fake.bridge, 'getObservation');
    query.setArgs({ id: 'a'.repeat(64) });
    const earlier = query.reload();
    query.setArgs({ id: 'b'.repeat(64) });
    const later = query.reload();
    fake.calls[1]!.answer({ ok: true, value: { which: 'later' } });
    await later;
    fake.calls[0]!.answer({ ok: true, value: { which: 'earlier' } });
    await earlier;
    expect(query.getState().data).toEqual({ which: 'later' });

    // The other way round: the earlier answer arriving first is not shown as if it were current.
    const third = query.reload();
    const fourth = query.reload();
    fake.calls[2]!.answer({ ok: true, value: { which: 'third' } });
    await third;
    expect(query.getState()).toMatchObject({ status: 'loading', data: { which: 'later' } });
    fake.calls[3]!.answer({ ok: true, value: { which: 'fourth' } });
    await fourth;
    expect(query.getState()).toMatchObject({ status: 'ready', data: { which: 'fourth' } });
  });

  it('ignores an answer for arguments that were replaced, by others or by nothing to ask', async () => {
    const query = new ContractQuery(() => fake.bridge, 'getFederation');
    query.setArgs({ federation: 'deu-0001' });
    const loaded = query.reload();
    query.setArgs(null);
    expect(query.getState().status).toBe('idle');
    fake.calls[0]!.answer({ ok: true, value: { digest: 'of deu-0001' } });
    await loaded;
    expect(query.getState()).toEqual({ status: 'idle', data: null, error: null });
  });

  it('counts arguments as changed only when their value changes; null asks nothing', async () => {
    const query = new ContractQuery(() => fake.bridge, 'listAuditEntries');
    expect(query.setArgs({ type: 'credential' })).toBe(true);
    expect(query.setArgs({ type: 'credential' })).toBe(false);
    expect(query.setArgs({ type: 'observation' })).toBe(true);
    expect(query.setArgs(null)).toBe(true);
    await query.reload();
    expect(fake.calls).toHaveLength(0);
    expect(query.getState().status).toBe('idle');
  });

  it('tells its watchers of every change until they stop watching', async () => {
    const query = new ContractQuery(() => fake.bridge, 'listPrincipals');
    const seen: string[] = [];
    const unwatch = query.subscribe(() => seen.push(query.getState().status));
    query.setArgs({});
    const loaded = query.reload();
    fake.calls[0]!.answer(principals([]));
    await loaded;
    unwatch();
    void query.reload();
    expect(seen).toEqual(['loading', 'ready']);
  });

  it('reports a missing bridge and a transport that throws as unavailable, with their sentence', async () => {
    const query = new ContractQuery(() => {
      throw new Error('window.entente is missing: open the console through Entente, not as a file.');
    }, 'getAppInfo');
    query.setArgs({});
    await query.reload();
    expect(query.getState().error).toEqual({ code: 'unavailable', message: 'window.entente is missing: open the console through Entente, not as a file.' });
    expect(query.follow(['workspaceChanged'])).toBeTypeOf('function');

    const broken = new ContractQuery(() => fake.bridge, 'getAppInfo');
    broken.setArgs({});
    const loaded = broken.reload();
    fake.calls[0]!.fail(new Error('socket closed'));
    await loaded;
    expect(broken.getState()).toMatchObject({ status: 'failed', error: { code: 'unavailable', message: 'socket closed' } });
  });

  describe('following events', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('asks again once per burst of the events it follows, and not for others', async () => {
      const query = new ContractQuery(() => fake.bridge, 'listObservations');
      query.setArgs({ limit: 50 });
      query.follow(['observationsAdmitted', 'meshChanged']);
      fake.emit('observationsAdmitted');
      fake.emit('observationsAdmitted');
      fake.emit('meshChanged');
      fake.emit('federationsChanged');
      expect(fake.calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(fake.calls).toMatchObject([{ method: 'listObservations', args: { limit: 50 } }]);

      fake.emit('meshChanged');
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(fake.calls).toHaveLength(2);
      fake.calls[0]!.answer({ ok: true, value: { total: 3 } });
      fake.calls[1]!.answer({ ok: true, value: { total: 4 } });
      await vi.advanceTimersByTimeAsync(0);
      expect(query.getState().data).toEqual({ total: 4 });
    });

    it('stops listening when unfollowed, and stop() drops a waiting refresh and an answer under way', async () => {
      const query = new ContractQuery(() => fake.bridge, 'listFederations');
      query.setArgs({});
      const unfollow = query.follow(['federationsChanged']);
      expect(fake.listening()).toBe(1);
      unfollow();
      expect(fake.listening()).toBe(0);
      fake.emit('federationsChanged');
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(fake.calls).toHaveLength(0);

      query.follow(['federationsChanged']);
      void query.reload();
      fake.emit('federationsChanged');
      query.stop();
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(fake.calls).toHaveLength(1);
      fake.calls[0]!.answer({ ok: true, value: { federations: [] } });
      await vi.advanceTimersByTimeAsync(0);
      expect(query.getState().data).toBeNull();
      // Forgotten arguments: the same ones again count as new, so a remounted view asks afresh.
      expect(query.setArgs({})).toBe(true);
    });
  });
});
