/**
 * CoT events made by the TAK library itself (node-cot's GeoJSON builder and its CoT class, not
 * our templates) read as observations and written back out, the library reading our output
 * again; and every hostile shape refused by the gate with its reason, before a parser expands it.
 */
import { writeFileSync } from 'node:fs';
import CoT, { CoTParser } from '@tak-ps/node-cot';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.js';
import { COT_LIMITS, CotFramer, cotToObservation, guardCotXml, splitCotEvents, subjectToCot, type CotPayload, type CotSubject } from './index.js';

const OBS_A = 'a'.repeat(64);
const OBS_B = 'b'.repeat(64);

async function takEvent(options: { uid: string; type: string; how?: string; callsign?: string; remarks?: string; time?: string; stale?: string; coordinates?: number[] }): Promise<string> {
  const cot = await CoTParser.from_geojson({
    id: options.uid,
    type: 'Feature',
    properties: {
      type: options.type,
      how: options.how ?? 'm-g',
      callsign: options.callsign ?? 'VIPER 1',
      time: options.time ?? '2026-11-30T10:00:00.000Z',
      start: options.time ?? '2026-11-30T10:00:00.000Z',
      stale: options.stale ?? '2026-11-30T10:05:00.000Z',
      ...(options.remarks ? { remarks: options.remarks } : {}),
      course: 90,
      speed: 3,
    },
    geometry: { type: 'Point', coordinates: options.coordinates ?? [8.5, 50.1, 120] },
  });
  return CoTParser.to_xml(cot);
}

/** A subject as the picture holds it: every field from one observation, or some from another. */
function subjectOf(subject: string, payload: CotPayload, suppliers: Record<string, { observation: string; mesh: string }> = {}): CotSubject {
  return { subject, state: 'merged', fields: Object.entries(payload).map(([field, value]) => ({ field, value, ...(suppliers[field] ?? { observation: OBS_A, mesh: 'DEU' }) })) };
}

describe('a CoT event made by the TAK library, as an observation', () => {
  it('maps uid, type, symbol, point, times, how and detail', async () => {
    const xml = await takEvent({ uid: 'ANDROID-deadbeef', type: 'a-h-G-U-C-I', remarks: 'seen <near> the bridge' });
    const { subject, class: klass, payload } = await cotToObservation(xml);
    expect(subject).toBe('cot:ANDROID-deadbeef');
    expect(klass).toBe('track');
    expect(payload).toMatchObject({ uid: 'ANDROID-deadbeef', type: 'a-h-G-U-C-I', sidc: 'SHGPUCI--------', how: 'm-g', time: '2026-11-30T10:00:00.000Z', stale: '2026-11-30T10:05:00.000Z' });
    // 9999999 is CoT's "unknown": carried as null, not as ten thousand kilometres.
    expect(payload.point).toEqual({ lat: 50.1, lon: 8.5, hae: 120, ce: null, le: null });
    const detail = payload.detail as Record<string, { _attributes?: Record<string, unknown>; _text?: string }>;
    expect(detail.contact?._attributes?.callsign).toBe('VIPER 1');
    expect(detail.remarks?._text).toBe('seen <near> the bridge');
    // The library's own parse stamp (its version and the parse time) is not the sender's detail.
    expect(detail['_flow-tags_']).toBeUndefined();
    expect(JSON.stringify(await cotToObservation(xml))).toBe(JSON.stringify({ subject, class: klass, payload }));
  });

  it('carries the affiliation letter of a-f, a-h, a-n and a-u into the symbol code', async () => {
    const codes: Record<string, string> = {};
    for (const type of ['a-f-G-U-C', 'a-h-A-M-F', 'a-n-S', 'a-u-G', 'a-s-U']) codes[type] = (await cotToObservation(await takEvent({ uid: type, type }))).payload.sidc;
    expect(codes).toEqual({ 'a-f-G-U-C': 'SFGPUC---------', 'a-h-A-M-F': 'SHAPMF---------', 'a-n-S': 'SNSP-----------', 'a-u-G': 'SUGP-----------', 'a-s-U': 'SSUP-----------' });
  });

  it('keeps known uncertainties and a height from the library’s CoT class', async () => {
    const cot = new CoT({
      event: {
        _attributes: { version: '2.0', uid: 'USV-3', type: 'a-f-S-X', how: 'm-f', time: '2026-11-30T10:00:00Z', start: '2026-11-30T10:00:00Z', stale: '2026-11-30T11:00:00Z' },
        point: { _attributes: { lat: -33.5, lon: 151.25, hae: -4.5, ce: 12.5, le: 3 } },
      },
    });
    const { payload } = await cotToObservation(CoTParser.to_xml(cot));
    expect(payload.point).toEqual({ lat: -33.5, lon: 151.25, hae: -4.5, ce: 12.5, le: 3 });
    expect(payload.how).toBe('m-f');
  });
});

describe('a picture subject back out as CoT', () => {
  it('is read by the TAK library with provenance, type, point and times preserved', async () => {
    const { subject, payload } = await cotToObservation(await takEvent({ uid: 'UAS-7', type: 'a-h-A-M-F-Q', callsign: 'RAVEN' }));
    const xml = await subjectToCot(subjectOf(subject, payload, { point: { observation: OBS_B, mesh: 'NLD' } }), new Date('2026-11-30T10:01:00Z'));
    const back = CoTParser.from_xml(xml!);
    expect(back.raw.event._attributes).toMatchObject({ uid: 'UAS-7', type: 'a-h-A-M-F-Q', how: 'm-g', time: '2026-11-30T10:00:00.000Z', start: '2026-11-30T10:00:00.000Z', stale: '2026-11-30T10:05:00.000Z' });
    expect(back.raw.event.point._attributes).toEqual({ lat: 50.1, lon: 8.5, hae: 120, ce: 9999999, le: 9999999 });
    const provenance = (back.raw.event.detail as Record<string, unknown>).entente as { _attributes: Record<string, string>; field: { _attributes: Record<string, string> }[] };
    // The event is named by where its position came from; every field says who supplied it.
    expect(provenance._attributes).toEqual({ mesh: 'NLD', observation: OBS_B, subject: 'cot:UAS-7', state: 'merged' });
    const fields = Object.fromEntries(provenance.field.map((f) => [f._attributes.name, `${f._attributes.mesh}/${f._attributes.observation!.slice(0, 1)}`]));
    expect(fields).toMatchObject({ point: 'NLD/b', type: 'DEU/a', time: 'DEU/a', detail: 'DEU/a' });
    expect((back.raw.event.detail as Record<string, { _attributes: Record<string, string> }>).contact!._attributes.callsign).toBe('RAVEN');
    // And it reads as the same observation again (our provenance is not taken from what comes in).
    expect((await cotToObservation(xml!)).payload).toEqual(payload);
  });

  it('escapes what the library would write raw, so the output is XML', async () => {
    const { subject, payload } = await cotToObservation(
      '<event version="2.0" uid="x&amp;y" type="a-n-G" how="h-e" time="2026-11-30T10:00:00Z" start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"><point lat="1" lon="2" hae="0" ce="5" le="5"/><detail><contact callsign="A &amp; B &lt;C&gt; &quot;D&quot;&#10;E"/></detail></event>',
    );
    const xml = (await subjectToCot(subjectOf(subject, payload), new Date()))!;
    expect(() => guardCotXml(xml)).not.toThrow();
    expect((await cotToObservation(xml)).payload).toEqual(payload);
    expect(((payload.detail as Record<string, { _attributes: Record<string, string> }>).contact!._attributes.callsign)).toBe('A & B <C> "D"\nE');
  });

  it('writes a subject from another part (top-level lat/lon and an APP-6 code) and skips one without a place', async () => {
    const now = new Date('2026-11-30T12:00:00Z');
    const xml = await subjectToCot({ subject: 'track:4711', fields: [
      { field: 'lat', value: 52.1, observation: OBS_A, mesh: 'GBR' },
      { field: 'lon', value: 4.3, observation: OBS_A, mesh: 'GBR' },
      { field: 'sidc', value: 'SHGPUCI--------', observation: OBS_B, mesh: 'FRA' },
    ] }, now);
    const back = CoTParser.from_xml(xml!);
    expect(back.raw.event._attributes).toMatchObject({ uid: 'track:4711', type: 'a-h-G-U-C-I', time: now.toISOString(), stale: '2026-11-30T12:05:00.000Z' });
    expect(back.raw.event.point._attributes).toMatchObject({ lat: 52.1, lon: 4.3, hae: 9999999 });
    expect(await subjectToCot({ subject: 'note:1', fields: [{ field: 'text', value: 'hello', observation: OBS_A, mesh: 'GBR' }] }, now)).toBeNull();
  });

  it('leaves out of the detail what is not XML (names, comments) rather than writing broken XML', async () => {
    const { payload } = await cotToObservation(await takEvent({ uid: 'u1', type: 'a-f-G' }));
    const hostile = { ...payload, detail: { 'bad name': { _attributes: { x: '1' } }, _comment: '--><inject/>', ok: { _attributes: { 'a b': '1', good: 'yes' }, _text: '<x>' }, entente: { _attributes: { mesh: 'FORGED' } } } };
    const xml = (await subjectToCot(subjectOf('cot:u1', hostile), new Date()))!;
    expect(xml).not.toContain('inject');
    expect(xml).not.toContain('FORGED');
    expect(xml).toContain('<ok good="yes">&lt;x&gt;</ok>');
  });
});

describe('the gate refuses before any parser expands anything', () => {
  const event = (inner = '', attributes = 'time="2026-11-30T10:00:00Z" start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"', type = 'a-f-G') =>
    `<event version="2.0" uid="e1" type="${type}" how="m-g" ${attributes}><point lat="1" lon="2" hae="0" ce="1" le="1"/><detail>${inner}</detail></event>`;
  const reasonOf = async (xml: string | Uint8Array) => cotToObservation(xml).then(() => 'accepted', (e: { reason?: string; message: string }) => e.reason ?? `threw ${e.message}`);

  it('a DTD, billion laughs, an external entity, a parameter entity, an undeclared entity', async () => {
    const dir = makeTempDir('entente-cot-xxe-');
    try {
      const secret = dir.file('secret.txt');
      writeFileSync(secret, 'TOP-SECRET-CONTENT');
      const laughs = `<?xml version="1.0"?><!DOCTYPE event [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>${event('<remarks>&lol9;</remarks>')}`;
      const external = `<!DOCTYPE event [<!ENTITY xxe SYSTEM "file://${secret}">]>${event('<remarks>&xxe;</remarks>')}`;
      const cases = {
        dtd: await reasonOf(`<!DOCTYPE event>${event()}`),
        laughs: await reasonOf(laughs),
        external: await reasonOf(external),
        parameter: await reasonOf(`<!DOCTYPE event [<!ENTITY % p SYSTEM "file://${secret}"> %p;]>${event()}`),
        undeclared: await reasonOf(event('<remarks>&xxe;</remarks>')),
        lowercase: await reasonOf(`<!doctype event>${event()}`),
      };
      expect(cases).toEqual({ dtd: 'cot-dtd', laughs: 'cot-entity', external: 'cot-entity', parameter: 'cot-entity', undeclared: 'cot-entity', lowercase: 'cot-dtd' });
      // Never expanded: the file's content appears in no refusal.
      const message = await cotToObservation(external).catch((e: Error) => e.message);
      expect(message).not.toContain('TOP-SECRET');
    } finally {
      dir.remove();
    }
  });

  it('accepts the five predefined entities and character references', async () => {
    const { payload } = await cotToObservation(event('<remarks>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;</remarks>'));
    expect((payload.detail as Record<string, { _text: string }>).remarks!._text).toBe('&<>"\'AB');
  });

  it('stale before time, or before start, and times that are not moments', async () => {
    expect(await reasonOf(event('', 'time="2026-11-30T10:00:00Z" start="2026-11-30T10:00:00Z" stale="2026-11-30T09:59:59Z"'))).toBe('cot-stale-before-time');
    expect(await reasonOf(event('', 'time="2026-11-30T10:00:00Z" start="2026-11-30T10:10:00Z" stale="2026-11-30T10:05:00Z"'))).toBe('cot-stale-before-time');
    expect(await reasonOf(event('', 'time="yesterday" start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"'))).toBe('cot-malformed');
    expect(await reasonOf(event('', 'time="2026-11-30T10:00:00" start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"'))).toBe('cot-malformed');
    expect(await reasonOf(event('', 'start="2026-11-30T10:00:00Z" stale="2026-11-30T10:05:00Z"'))).toBe('cot-malformed');
  });

  it('types that are not atoms with a symbol', async () => {
    // The longest type taken is 16 parts (it is named in the log, whose text fields hold 512 characters).
    expect(await reasonOf(event('', undefined, `a-f-G${'-ABCDEFGHIJKLMNOP'.repeat(13)}`))).toBe('accepted');
    for (const type of ['b-t-f', 't-x-c-t', 'u-d-f', 'a-f', 'a-f-Q', 'A-F-G', 'a-f-G-<x>', `a-f-G${'-A'.repeat(14)}`]) expect([type, await reasonOf(event('', undefined, type.replace('<', '&lt;')))]).toEqual([type, 'cot-unknown-type']);
  });

  it('oversized, too deep, too many elements, not XML, the wrong root, prototype names, bad points', async () => {
    const big = event(`<remarks>${'x'.repeat(COT_LIMITS.maxBytes)}</remarks>`);
    expect(await reasonOf(big)).toBe('cot-too-large');
    expect(await reasonOf(Buffer.from(big))).toBe('cot-too-large');
    expect(await reasonOf(event('<a>'.repeat(20) + '</a>'.repeat(20)))).toBe('cot-too-large');
    expect(await reasonOf(event('<a/>'.repeat(COT_LIMITS.maxElements)))).toBe('cot-too-large');
    expect(await reasonOf('<a>'.repeat(100_000))).toBe('cot-too-large');
    expect(await reasonOf('garbage')).toBe('cot-malformed');
    expect(await reasonOf(Buffer.from([0x3c, 0xff, 0xfe]))).toBe('cot-malformed');
    expect(await reasonOf('<event version="2.0"')).toBe('cot-malformed');
    expect(await reasonOf('<message/>')).toBe('cot-malformed');
    expect(await reasonOf(event() + event())).toBe('cot-malformed');
    expect(await reasonOf(event('<__proto__ polluted="yes"/>'))).toBe('cot-malformed');
    expect(await reasonOf(event('<x constructor="1"/>'))).toBe('cot-malformed');
    expect(await reasonOf(`<?xml version="1.0" encoding="ISO-8859-1"?>${event()}`)).toBe('cot-malformed');
    expect(await reasonOf(`${event()}<?php echo 1 ?>`)).toBe('cot-malformed');
    expect(await reasonOf(event().replace('lat="1"', 'lat="91"'))).toBe('cot-malformed');
    expect(await reasonOf(event().replace('lat="1"', 'lat="0x10"'))).toBe('cot-malformed');
    expect(await reasonOf(event().replace(' hae="0"', ''))).toBe('cot-malformed');
    expect(await reasonOf(event().replace('ce="1"', 'ce="-1"'))).toBe('cot-malformed');
    expect(await reasonOf(event().replace('<point lat="1" lon="2" hae="0" ce="1" le="1"/>', ''))).toBe('cot-malformed');
    expect(await reasonOf(event().replace('uid="e1"', `uid="${'u'.repeat(253)}"`))).toBe('cot-malformed');
    expect(await reasonOf(event().replace('uid="e1"', 'uid="a&#9;b"'))).toBe('cot-malformed');
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  });

  it('refuses the TAK library’s own output when it writes a raw & in an attribute (not XML)', async () => {
    expect(await reasonOf(await takEvent({ uid: 'amp', type: 'a-f-G', callsign: 'Alpha & Bravo' }))).toBe('cot-malformed');
  });
});

describe('framing a stream of events', () => {
  it('splits concatenated events, keeps junk between them as pieces of their own', async () => {
    const a = await takEvent({ uid: 'a', type: 'a-f-G' });
    const b = await takEvent({ uid: 'b', type: 'a-h-G' });
    const pieces = splitCotEvents(`<?xml version="1.0"?>\n${a}\n  junk <b>${b}\n</event >trailing`);
    expect(pieces.map((p) => p.kind)).toEqual(['event', 'event', 'event', 'rest']);
    expect(pieces[0]).toMatchObject({ text: `<?xml version="1.0"?>\n${a}` });
    expect(pieces[2]).toEqual({ kind: 'event', text: '</event >' });
    expect(pieces[3]).toEqual({ kind: 'rest', text: 'trailing' });
  });

  it('finds a closing tag cut across chunks, even inside a multi-byte character’s neighbourhood', () => {
    const framer = new CotFramer();
    const bytes = Buffer.from('<event uid="ü">x</event><event>y</ev');
    const got: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) got.push(...framer.push(bytes.subarray(i, i + 3)).events);
    got.push(...framer.push('ent>').events);
    expect(got).toEqual(['<event uid="ü">x</event>', '<event>y</event>']);
    expect(framer.end()).toBeNull();
  });

  it('drops text past the bound without holding it: a megabyte of garbage costs one bound', () => {
    const framer = new CotFramer(4096);
    let overflows = 0;
    let most = 0;
    for (let i = 0; i < 256; i += 1) {
      if (framer.push('x'.repeat(4096)).overflow) overflows += 1;
      most = Math.max(most, framer.pendingLength);
    }
    expect(most).toBeLessThanOrEqual(4096);
    expect(overflows).toBeGreaterThanOrEqual(127);
    expect(framer.push('<event>ok</event>').events).toEqual(['<event>ok</event>']);
  });
});
