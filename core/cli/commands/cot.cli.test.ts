/**
 * CoT in and out as a user meets it: through the built `entente` command, a file of events made
 * by the TAK library ingested under a device and the picture exported to a file the library reads
 * back with provenance; a hostile file refused with its reason; a non-loopback address refused;
 * and `ingest cot --listen` in this process, printing its counts when stopped.
 */
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { CoTParser } from '@tak-ps/node-cot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../test-support/built-cli.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeAll(() => ensureBuilt(), 120_000);
beforeEach(() => (dir = makeTempDir('entente-cot-cli-')));
afterEach(() => dir.remove());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function cli(args: string[]): Promise<{ code: number | null; json: Json; stderr: string }> {
  const result = await runCli([...args, '--home', dir.file('home'), '--json']);
  return { code: result.code, json: JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Json, stderr: result.stderr };
}

async function takEvent(uid: string, type: string): Promise<string> {
  const at = new Date('2026-11-30T10:00:00Z');
  const cot = await CoTParser.from_geojson({
    id: uid,
    type: 'Feature',
    properties: { type, how: 'h-e', callsign: uid, time: at.toISOString(), start: at.toISOString(), stale: new Date(at.getTime() + 600_000).toISOString() },
    geometry: { type: 'Point', coordinates: [4.9, 52.4, 3] },
  });
  return CoTParser.to_xml(cot);
}

async function initialised(): Promise<string> {
  expect((await cli(['mesh', 'init', '--mesh', 'NLD', '--insecure-keys'])).json).toMatchObject({ ok: true, mesh: 'NLD' });
  expect((await cli(['device', 'enroll', '--device', 'tak-gw'])).json).toMatchObject({ ok: true, id: 'tak-gw' });
  const label = dir.file('label.json');
  writeFileSync(label, JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'UNCLASSIFIED', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
  return label;
}

describe('entente ingest cot / export cot (built CLI)', () => {
  it('ingests a file of TAK events with a bad one between them and exports the picture to a file', async () => {
    const label = await initialised();
    const events = dir.file('events.xml');
    writeFileSync(events, [await takEvent('ship-1', 'a-n-S-X-M'), '<!DOCTYPE event [<!ENTITY a "a">]><event>&a;</event>', await takEvent('tank-2', 'a-h-G-U-C-A')].join('\n'));
    const ingested = await cli(['ingest', 'cot', '--file', events, '--device', 'tak-gw', '--label', label]);
    expect(ingested.code).toBe(0);
    expect(ingested.json).toMatchObject({ ok: true, admitted: 2, refused: { 'cot-entity': 1 } });
    expect(ingested.json.outcomes.map((o: Json) => o.outcome)).toEqual(['admitted', 'refused', 'admitted']);

    const out = dir.file('picture.xml');
    const exported = await cli(['export', 'cot', '--out', out]);
    expect(exported.json).toMatchObject({ ok: true, events: 2, skipped: 0, skippedFirst: [], out });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const back = lines.map((line) => CoTParser.from_xml(line).raw.event);
    expect(back.map((e) => [e._attributes.uid, e._attributes.type, e._attributes.how, e._attributes.time])).toEqual([
      ['ship-1', 'a-n-S-X-M', 'h-e', '2026-11-30T10:00:00.000Z'],
      ['tank-2', 'a-h-G-U-C-A', 'h-e', '2026-11-30T10:00:00.000Z'],
    ]);
    const provenance = (back[1]!.detail as Record<string, { _attributes: Record<string, string> }>).entente!._attributes;
    expect(provenance).toMatchObject({ mesh: 'NLD', observation: ingested.json.outcomes[2].id, subject: 'cot:tank-2' });
  });

  it('refuses a file of nothing but hostile events, and a listener beyond the loopback', async () => {
    const label = await initialised();
    const hostile = dir.file('hostile.xml');
    writeFileSync(hostile, '<!DOCTYPE event [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><event>&xxe;</event>');
    const refused = await cli(['ingest', 'cot', '--file', hostile, '--device', 'tak-gw', '--label', label]);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, failures: [{ reason: 'cot-entity' }] });
    expect(refused.stderr).not.toContain('root:');
    const wide = await cli(['ingest', 'cot', '--listen', 'udp://0.0.0.0:4242', '--device', 'tak-gw', '--label', label]);
    expect([wide.code, wide.json.failures[0].reason]).toEqual([1, 'not-loopback']);
    expect((await cli(['export', 'cot', '--listen', 'udp://127.0.0.1:0'])).code).toBe(2);
  });
});

describe('entente ingest cot --listen (in process)', () => {
  it('listens on UDP until stopped, one stderr line per refusal, and prints its counts', async () => {
    const label = await initialised();
    const stdout: string[] = [];
    const stderr: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: {}, untilStopped: () => stopped, readStdin: () => Promise.resolve('') };
    const exited = main(['ingest', 'cot', '--listen', 'udp://127.0.0.1:0', '--device', 'tak-gw', '--label', label, '--home', dir.file('home'), '--json'], io);
    for (let i = 0; i < 500 && stdout.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const listening = JSON.parse(stdout[0]!) as Json;
    expect(listening).toMatchObject({ ok: true, event: 'listening', transport: 'udp', address: '127.0.0.1' });
    const socket = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve) => socket.send(text, listening.port as number, '127.0.0.1', () => resolve()));
    await send(await takEvent('buoy-1', 'a-u-S'));
    await send('<event>not cot</event>');
    for (let i = 0; i < 500 && stderr.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.close();
    stop();
    expect(await exited).toBe(0);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^entente: refused a CoT event \(cot-malformed\): /);
    expect(JSON.parse(stdout.at(-1)!)).toMatchObject({ ok: true, event: 'stopped', admitted: 1, refused: { 'cot-malformed': 1 }, droppedConnections: 0 });
  });
});
