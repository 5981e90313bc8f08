/**
 * Pass 2 reads lines the strict reader already accepted with JSON.parse (format.ts
 * parseVerifiedLine): the value must be the strict reader's, negative zero included, and a line
 * the strict reader refuses must still be refused by name.
 */
import { describe, expect, it } from 'vitest';
import { BundleError, ObservationLine, parseLine, parseVerifiedLine } from './format.js';

const CERT = 'ab'.repeat(32);
const line = (record: string) => Buffer.from(`{"certificate":"${CERT}","kind":"observation","record":${record}}`, 'utf8');

describe('parseVerifiedLine', () => {
  it('gives the value the strict reader gives, key order and numbers included', () => {
    const records = [
      '{"v":1,"n":[1,2.5,1e21,3.0e-5,-7],"s":"é\\u00e9\\n\\"","o":{"2":0,"1":0,"b":null,"a":true}}',
      '{"deep":[[[[{"x":[]}]]]],"empty":{}}',
      '{"wall":"2026-01-05T09:00:00.000Z","n":-0.5,"m":-10}',
    ];
    for (const record of records) {
      const strict = parseLine(line(record), 7);
      const fast = parseVerifiedLine(line(record), 7);
      expect(fast).toEqual(strict);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(strict));
    }
  });

  it('reads a line holding -0 with the strict reader: the value is 0, not -0', () => {
    for (const record of ['{"z":-0}', '{"z":-0.0}', '{"z":-0e3}', '{"z":[1,-0]}', '{"z": -0}', '{"z":[1,\n-0]}']) {
      const parsed = parseVerifiedLine(line(record), 3);
      const value = (parsed.value as unknown as { record: { z: number | number[] } }).record.z;
      const zero = Array.isArray(value) ? value[1] : value;
      expect(Object.is(zero, 0)).toBe(true);
      expect(Object.is(JSON.parse(`[${record.slice(5, -1)}]`).flat()[Array.isArray(value) ? 1 : 0], -0)).toBe(true);
    }
  });

  it('falls back to the strict reader, which names the problem, when JSON.parse cannot read the bytes', () => {
    // Only the digest check before it makes the bytes the accepted ones; a value JSON.parse reads is not re-judged.
    for (const bad of ['{"kind":', '{"a":01}', '{"a":"\\x"}']) {
      let caught: unknown;
      try {
        parseVerifiedLine(Buffer.from(bad), 9);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BundleError);
      expect((caught as BundleError).reason).toBe('malformed-line');
      expect((caught as BundleError).message).toMatch(/^Line 9 of the bundle is not (one JSON object|strict JSON)/);
    }
  });

  it("takes an observation line's quick path only where ObservationLine's schema says yes, and names what is wrong where it says no", () => {
    const lines = [
      `{"certificate":"${CERT}","kind":"observation","record":{"v":1}}`,
      `{"certificate":"${CERT}","kind":"observation","record":{}}`,
      `{"certificate":"${CERT.toUpperCase()}","kind":"observation","record":{"v":1}}`,
      `{"certificate":"${CERT}0","kind":"observation","record":{"v":1}}`,
      `{"certificate":7,"kind":"observation","record":{"v":1}}`,
      `{"certificate":"${CERT}","kind":"observation","record":[1]}`,
      `{"certificate":"${CERT}","kind":"observation","record":null}`,
      `{"certificate":"${CERT}","kind":"observation","record":"x"}`,
      `{"certificate":"${CERT}","kind":"observation"}`,
      `{"kind":"observation","record":{"v":1}}`,
      `{"certificate":"${CERT}","extra":1,"kind":"observation","record":{"v":1}}`,
      `{"__proto__":{},"certificate":"${CERT}","kind":"observation","record":{"v":1}}`,
    ];
    for (const text of lines) {
      const schema = ObservationLine.safeParse(JSON.parse(text));
      for (const read of [parseLine, parseVerifiedLine]) {
        if (schema.success) {
          expect(read(Buffer.from(text), 4)).toEqual({ kind: 'item', value: schema.data });
          continue;
        }
        let caught: unknown;
        try {
          read(Buffer.from(text), 4);
        } catch (error) {
          caught = error;
        }
        expect(caught, text).toBeInstanceOf(BundleError);
        expect((caught as BundleError).reason).toBe('malformed-line');
        expect((caught as BundleError).message).toMatch(/^Line 4 of the bundle is not (a valid observation line|strict JSON)/);
      }
    }
  });
});
