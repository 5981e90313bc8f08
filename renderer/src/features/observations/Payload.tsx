/**
 * What was observed, for a person: a position as degrees with hemispheres (WGS 84, as tracks
 * report it), a symbol code by name (APP-6 / MIL-STD-2525 SIDC), then every other field by its
 * name in words. The payload is the originator's free JSON; nothing in it is hidden.
 */
import { Fragment } from 'react';
import { humanise } from '../../shared/format.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const POSITION_KEYS = ['lat', 'lon', 'latitude', 'longitude', 'alt', 'altitude'];
const SYMBOL_KEYS = ['sidc', 'symbol', 'symbolCode'];

const degrees = (value: number, positive: string, negative: string) => `${Math.abs(value).toFixed(4)}° ${value >= 0 ? positive : negative}`;

export function describePosition(payload: Record<string, Json>): string | null {
  const lat = payload.lat ?? payload.latitude;
  const lon = payload.lon ?? payload.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  const alt = payload.alt ?? payload.altitude;
  return `${degrees(lat, 'N', 'S')}, ${degrees(lon, 'E', 'W')}${typeof alt === 'number' ? `, ${alt.toLocaleString('en-GB')} m` : ''}`;
}

const show = (value: Json) => (typeof value === 'string' ? value : typeof value === 'number' ? value.toLocaleString('en-GB', { maximumFractionDigits: 6 }) : JSON.stringify(value));

export function Payload({ payload }: { payload: unknown }) {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return <pre className="mono json" data-testid="payload">{JSON.stringify(payload, null, 2)}</pre>;
  }
  const fields = payload as Record<string, Json>;
  const position = describePosition(fields);
  const symbolKey = SYMBOL_KEYS.find((key) => typeof fields[key] === 'string');
  const rest = Object.entries(fields).filter(([key]) => !(position && POSITION_KEYS.includes(key)) && key !== symbolKey);
  return (
    <dl className="payload" data-testid="payload">
      {position && (
        <>
          <dt>Position</dt>
          <dd data-testid="payload-position">{position}</dd>
        </>
      )}
      {symbolKey && (
        <>
          <dt>Symbol (APP-6)</dt>
          <dd data-testid="payload-symbol">{String(fields[symbolKey])}</dd>
        </>
      )}
      {rest.map(([key, value]) => (
        <Fragment key={key}>
          <dt>{humanise(key)}</dt>
          <dd>{show(value)}</dd>
        </Fragment>
      ))}
      {!position && !symbolKey && rest.length === 0 && <dd className="muted">empty payload</dd>}
    </dl>
  );
}
