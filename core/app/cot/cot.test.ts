/**
 * CoT in and out on real homes: events built by the TAK library are ingested as the device's
 * signed observations (verified, in the picture), exported with provenance and read back by the
 * library; a file with bad events between good ones; and the listeners under a flood of
 * malformed packets on real UDP and TCP sockets, with valid events between them still admitted,
 * every refusal counted and the buffers within their bounds.
 */
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { CoTParser } from '@tak-ps/node-cot';
import { describe, expect, it } from 'vitest';
import { COT_LIMITS } from '../../cot/index.js';
import { countObservations } from '../../store/observation-store.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { MAX_QUEUED_DATAGRAMS, type CotListener } from './listeners.js';

const PASS = 'correct horse battery staple';
const labelText = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'RESTRICTED', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' });
const openHome = useTestHomes('entente-cot-');

async function takEvent(uid: string, type: string, at = '2026-11-30T10:00:00.000Z', coordinates = [8.5, 50.1, 120]): Promise<string> {
  const stale = new Date(Date.parse(at) + 5 * 60_000).toISOString();
  const cot = await CoTParser.from_geojson({ id: uid, type: 'Feature', properties: { type, how: 'm-g', callsign: uid.toUpperCase(), time: at, start: at, stale, course: 45, speed: 12 }, geometry: { type: 'Point', coordinates } });
  return CoTParser.to_xml(cot);
}

async function home(options: { passphrase?: string } = {}): Promise<TestHome> {
  // On the real clock: the devices' certificates are valid from their enrolment on; the CoT times are the events' own.
  return openHome('DEU', { ...options, devices: [{ id: 'tak-gw', algorithm: 'Ed25519' }, { id: 'uas-2', algorithm: 'P-256' }] });
}

/** Waits for something the test caused (not a timing assertion: the cap only stops a hung test). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3_000; i += 1) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const total = (counters: ReturnType<CotListener['counters']>) => counters.admitted + Object.values(counters.refused).reduce((a, b) => a + b, 0);

describe('ingest and export', () => {
  it('ingests TAK events as the device’s signed observations and exports them with provenance', async () => {
    const h = await home({ passphrase: PASS });
    const events = [await takEvent('uav-1', 'a-h-A-M-F-Q'), await takEvent('sensor-9', 'a-u-G', '2026-11-30T10:00:05.000Z', [8.6, 50.2, 99])];
    const outcomes = await h.cot.ingest({ device: 'uas-2', labelText }, events);
    expect(outcomes.map((o) => o.outcome)).toEqual(['admitted', 'admitted']);
    const ids = outcomes.map((o) => (o.outcome === 'admitted' ? o.id : ''));

    const { record } = await h.observations.show(ids[0]!);
    expect(record).toMatchObject({ mesh: 'DEU', subject: 'cot:uav-1', class: 'track', device: { id: 'uas-2' }, payload: { type: 'a-h-A-M-F-Q', sidc: 'SHAPMFQ--------', how: 'm-g' } });
    expect(await h.observations.verifyAll()).toMatchObject({ checked: 2, verified: 2, failures: [] });
    // Each is logged as the device's observation, and the log still verifies.
    expect(h.audit.verify().failures).toEqual([]);
    const picture = h.reconcile.picture({ subject: 'cot:uav-1' });
    expect(picture.items[0]!.fields.find((f) => f.field === 'point')).toMatchObject({ observation: ids[0], mesh: 'DEU', value: { lat: 50.1, lon: 8.5, hae: 120, ce: null, le: null } });

    const exported = await h.cot.exportPicture();
    expect(exported.events.map((e) => e.subject)).toEqual(['cot:sensor-9', 'cot:uav-1']);
    const back = CoTParser.from_xml(exported.events[1]!.xml);
    expect(back.raw.event._attributes).toMatchObject({ uid: 'uav-1', type: 'a-h-A-M-F-Q', how: 'm-g', time: '2026-11-30T10:00:00.000Z', stale: '2026-11-30T10:05:00.000Z' });
    expect(back.raw.event.point._attributes).toMatchObject({ lat: 50.1, lon: 8.5, hae: 120 });
    const provenance = (back.raw.event.detail as Record<string, { _attributes: Record<string, string>; field: unknown[] }>).entente!;
    expect(provenance._attributes).toMatchObject({ mesh: 'DEU', observation: ids[0], subject: 'cot:uav-1', state: 'merged' });
    expect(provenance.field).toHaveLength(9);
  });

  it('a file of several events: each bad one refused with its reason, every good one admitted', async () => {
    const h = await home();
    const good = await Promise.all(['a', 'b', 'c'].map((uid) => takEvent(uid, 'a-f-G-U-C')));
    const document = [
      good[0],
      '<!DOCTYPE event [<!ENTITY x SYSTEM "file:///etc/passwd">]><event>&x;</event>',
      good[1],
      (await takEvent('late', 'a-f-G')).replace(/stale="[^"]+"/, 'stale="2026-11-30T09:00:00.000Z"'),
      '<event version="2.0" uid="t" type="b-t-f" how="h-e" time="2026-11-30T10:00:00Z" start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"><point lat="1" lon="2" hae="0" ce="1" le="1"/></event>',
      good[2],
      '<event uid="truncated"',
    ].join('\n');
    const outcomes = await h.cot.ingestDocument({ device: 'tak-gw', labelText }, document);
    expect(outcomes.map((o) => (o.outcome === 'admitted' ? o.subject : o.reason))).toEqual(['cot:a', 'cot-entity', 'cot:b', 'cot-stale-before-time', 'cot-unknown-type', 'cot:c', 'cot-malformed']);
    expect(countObservations(h.db)).toBe(3);
  });

  it('refuses a device that is not enrolled or is revoked, and a bad label, before anything is stored', async () => {
    const h = await home();
    const events = [await takEvent('x', 'a-f-G')];
    expect(await refusal(() => h.cot.ingest({ device: 'nobody', labelText }, events))).toBe('not-enrolled');
    expect(await refusal(() => h.cot.ingest({ device: 'tak-gw', labelText: '{"kind":"originator"}' }, events))).toBe('malformed-label');
    await h.credentials.revoke({ role: 'device', id: 'tak-gw' });
    expect(await refusal(() => h.cot.ingest({ device: 'tak-gw', labelText }, events))).toBe('revoked');
    expect(countObservations(h.db)).toBe(0);
  });

  it('listens on 127.0.0.1 only', async () => {
    const h = await home();
    for (const host of ['0.0.0.0', '192.168.1.10', 'localhost', '::']) {
      expect(await refusal(() => h.cot.listen({ device: 'tak-gw', labelText, transport: 'udp', port: 0, host }))).toBe('not-loopback');
      expect(await refusal(() => h.cot.serveExport({ port: 0, host }))).toBe('not-loopback');
    }
  });
});

describe('the listeners under a flood', () => {
  const garbage = (i: number): string =>
    [
      `<<<${i}>>>`,
      `<!DOCTYPE event [<!ENTITY a "${'b'.repeat(i % 50)}">]><event>&a;</event>`,
      `<event version="2.0" uid="g${i}" type="a-f-G" time="2026-11-30T10:00:00Z" start="2026-11-30T10:00:00Z" stale="2026-11-30T09:00:00Z"><point lat="1" lon="1" hae="0" ce="1" le="1"/></event>`,
      '<event><unclosed></event>',
    ][i % 4]!;
  const expectedReason = ['cot-malformed', 'cot-entity', 'cot-stale-before-time', 'cot-malformed'];

  it('UDP: thousands of malformed datagrams, valid ones between them admitted, each refusal counted', async () => {
    const h = await home();
    const refusedLines: string[] = [];
    const listener = await h.cot.listen({ device: 'tak-gw', labelText, transport: 'udp', port: 0, onOutcome: (o) => o.outcome === 'refused' && refusedLines.length < 5 && refusedLines.push(o.reason) });
    const sender = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => sender.send(Buffer.from(text), listener.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    const valid = await Promise.all(Array.from({ length: 20 }, (_, i) => takEvent(`udp-${i}`, 'a-n-S-X')));
    const expected: Record<string, number> = {};
    let sent = 0;
    try {
      for (let burst = 0; burst < 20; burst += 1) {
        // A burst a kernel buffer holds whole (UDP drops what does not fit; that is not what is tested).
        for (let i = 0; i < 150; i += 1) {
          const n = burst * 150 + i;
          await send(garbage(n));
          expected[expectedReason[n % 4]!] = (expected[expectedReason[n % 4]!] ?? 0) + 1;
          sent += 1;
        }
        await send(valid[burst]!);
        sent += 1;
        await until(() => total(listener.counters()) === sent, `outcomes of ${sent} datagrams`);
      }
      await listener.settled();
      expect(listener.counters()).toEqual({ admitted: 20, refused: expected, droppedConnections: 0 });
      expect(listener.buffers().maxQueuedDatagrams).toBeLessThanOrEqual(MAX_QUEUED_DATAGRAMS);
      expect(refusedLines).toHaveLength(5);
      expect(countObservations(h.db)).toBe(20);
    } finally {
      sender.close();
      await listener.close();
    }
  });

  it('UDP unthrottled: whatever arrives is counted, the queue stays within its bound, the next valid event is admitted', async () => {
    const h = await home();
    const listener = await h.cot.listen({ device: 'tak-gw', labelText, transport: 'udp', port: 0 });
    const sender = createSocket('udp4');
    try {
      // Sent without waiting for anything: the kernel may drop some, the listener refuses past its queue (cot-overload).
      const sends: Promise<void>[] = [];
      for (let n = 0; n < 5_000; n += 1) sends.push(new Promise((resolve) => sender.send(Buffer.from(garbage(n)), listener.port, '127.0.0.1', () => resolve())));
      await Promise.all(sends);
      const valid = Buffer.from(await takEvent('after-flood', 'a-f-G'));
      await until(() => {
        if (listener.counters().admitted === 0) sender.send(valid, listener.port, '127.0.0.1');
        return listener.counters().admitted > 0;
      }, 'a valid event after the flood');
      await listener.settled();
      const counters = listener.counters();
      expect(counters.admitted).toBeGreaterThanOrEqual(1);
      const refused = Object.values(counters.refused).reduce((a, b) => a + b, 0);
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThanOrEqual(5_000);
      expect(Object.keys(counters.refused).every((r) => [...expectedReason, 'cot-overload'].includes(r))).toBe(true);
      expect(listener.buffers().maxQueuedDatagrams).toBeLessThanOrEqual(MAX_QUEUED_DATAGRAMS);
    } finally {
      sender.close();
      await listener.close();
    }
  });

  it('TCP: a stream of malformed events among valid ones, a garbage connection dropped, another sender unharmed', async () => {
    const h = await home();
    const listener = await h.cot.listen({ device: 'tak-gw', labelText, transport: 'tcp', port: 0 });
    const open = () => new Promise<Socket>((resolve, reject) => { const s = connect(listener.port, '127.0.0.1', () => resolve(s)); s.once('error', reject); });
    try {
      // One connection: 3000 malformed events with 15 valid ones between them, written as fast as the socket takes them.
      const stream = await open();
      const expected: Record<string, number> = {};
      const parts: string[] = [];
      for (let n = 0; n < 3_000; n += 1) {
        // Framing is by </event>: what a garbage piece leaves unclosed is refused together with the next event's text, so each garbage here closes.
        parts.push(n % 4 === 0 ? `<<<${n}>>></event>` : garbage(n));
        expected[expectedReason[n % 4]!] = (expected[expectedReason[n % 4]!] ?? 0) + 1;
        if (n % 200 === 199) parts.push(await takEvent(`tcp-${n}`, 'a-h-G-E-V'));
      }
      const closedAll = new Promise((resolve) => stream.once('close', resolve));
      stream.end(parts.join(''));

      // Meanwhile: a connection sending a megabyte without ever closing an event, and a well-behaved one.
      const flooder = await open();
      const flooderClosed = new Promise((resolve) => flooder.once('close', resolve));
      flooder.on('error', () => undefined);
      for (let i = 0; i < 16 && !flooder.destroyed; i += 1) flooder.write('<event>' + 'x'.repeat(64 * 1024));
      const polite = await open();
      const politeClosed = new Promise((resolve) => polite.once('close', resolve));
      polite.end((await takEvent('polite-1', 'a-f-A')) + (await takEvent('polite-2', 'a-f-A')));

      await Promise.all([closedAll, flooderClosed, politeClosed]);
      await until(() => listener.counters().admitted === 17, 'the valid events');
      await listener.settled();
      const counters = listener.counters();
      expect(counters.admitted).toBe(17);
      expect(counters.droppedConnections).toBe(1);
      expect(counters.refused).toEqual({ ...expected, 'cot-too-large': 1 });
      // Memory: the framer never held more than one event's bound plus the chunk that crossed it.
      expect(listener.buffers().maxPendingChars).toBeLessThanOrEqual(2 * COT_LIMITS.maxBytes);
      expect(countObservations(h.db)).toBe(17);

      // And it still listens.
      const after = await open();
      const afterClosed = new Promise((resolve) => after.once('close', resolve));
      after.end(await takEvent('after', 'a-f-G'));
      await afterClosed;
      await until(() => listener.counters().admitted === 18, 'the event after the flood');
    } finally {
      await listener.close();
    }
  });

  it('TCP: a sender that sends nothing, or trickles an event, is let go by name; a steady sender is not', async () => {
    const h = await home();
    const listener = await h.cot.listen({ device: 'tak-gw', labelText, transport: 'tcp', port: 0, timeouts: { idleMs: 400, eventMs: 800 } });
    const open = () => new Promise<Socket>((resolve, reject) => { const s = connect(listener.port, '127.0.0.1', () => resolve(s)); s.once('error', reject); });
    const closedAt = (socket: Socket) => new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    try {
      const started = Date.now();
      // Connects and says nothing.
      const silent = await open();
      const silentClosed = closedAt(silent);
      // Begins an event and drips a byte every 100 ms: never idle for the idle bound, never done either.
      const trickler = await open();
      trickler.on('error', () => undefined);
      const tricklerClosed = closedAt(trickler);
      trickler.write('<event version="2.0" uid="slow" type="a-f-G" how="m-g"');
      const drip = setInterval(() => !trickler.destroyed && trickler.write(' '), 100);
      // Sends a whole event every 250 ms for longer than both bounds, with a newline after each (text between events that begins none).
      const steady = await open();
      let stopped = false;
      const steadyClosed = closedAt(steady);
      const sending = (async () => {
        for (let n = 0; n < 8 && !stopped; n += 1) {
          steady.write(`${await takEvent(`steady-${n}`, 'a-f-A')}\n`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();

      const silentAt = await silentClosed;
      const tricklerAt = await tricklerClosed;
      clearInterval(drip);
      await sending;
      stopped = true;
      // The steady sender outlived both bounds and was let go by neither.
      expect(steady.destroyed).toBe(false);
      steady.end();
      await steadyClosed;
      expect(silentAt - started).toBeGreaterThanOrEqual(350);
      expect(silentAt - started).toBeLessThan(5_000);
      expect(tricklerAt - started).toBeGreaterThanOrEqual(750);
      expect(tricklerAt - started).toBeLessThan(5_000);

      await until(() => listener.counters().admitted === 8, 'the steady events');
      await listener.settled();
      expect(listener.counters()).toEqual({ admitted: 8, refused: { 'cot-idle-timeout': 1, 'cot-slow-event': 1 }, droppedConnections: 2 });
      expect(countObservations(h.db)).toBe(8);
    } finally {
      await listener.close();
    }
  });

  it('export over TCP: the picture to each client that connects, then what changes', async () => {
    const h = await home();
    await h.cot.ingest({ device: 'tak-gw', labelText }, [await takEvent('first', 'a-f-G-U-C')]);
    const server = await h.cot.serveExport({ port: 0, pollMs: 20 });
    const client = connect(server.port, '127.0.0.1');
    let received = '';
    client.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    try {
      await until(() => received.includes('</event>'), 'the picture');
      expect(CoTParser.from_xml(received.trim()).raw.event._attributes.uid).toBe('first');
      const [moved] = await h.cot.ingest({ device: 'tak-gw', labelText }, [await takEvent('second', 'a-h-G', '2026-11-30T10:00:50.000Z')]);
      await until(() => received.split('</event>').length === 3, 'the change');
      const update = CoTParser.from_xml(received.split('\n').filter(Boolean)[1]!);
      expect(update.raw.event._attributes.uid).toBe('second');
      expect(((update.raw.event.detail as Record<string, { _attributes: Record<string, string> }>).entente!._attributes.observation)).toBe(moved!.outcome === 'admitted' ? moved!.id : 'none');
      expect(server.stats()).toEqual({ sent: 2, droppedClients: 0 });
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
