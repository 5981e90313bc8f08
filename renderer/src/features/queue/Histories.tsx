/**
 * The competing histories side by side: one column per competing observation (its mesh, label, device,
 * stated and mesh-derived time), one row per field it asserts, the fields in conflict first and
 * marked, with the observation the declared policy would choose for each.
 */
import { Fragment } from 'react';
import { Marking } from '../../shared/classification/Marking.js';
import { humanise, utc } from '../../shared/format.js';
import { describePosition } from '../observations/Payload.js';
import { barOf, describeBar } from './time-axis.js';
import type { QueueItemDetail } from './queue-pages.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const show = (value: Json | undefined) =>
  value === undefined ? '—' : typeof value === 'string' ? value : typeof value === 'number' ? value.toLocaleString('en-GB', { maximumFractionDigits: 6 }) : JSON.stringify(value);

const fieldsOf = (payload: unknown): Record<string, Json> => (payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, Json>) : {});

export function Histories({ item }: { item: QueueItemDetail }) {
  const payloads = item.competing.map((c) => fieldsOf(c.payload));
  const conflict = new Set(item.fields);
  const all = [...new Set(payloads.flatMap((p) => Object.keys(p)))];
  const rows = [...all.filter((f) => conflict.has(f)).sort(), ...all.filter((f) => !conflict.has(f)).sort()];
  return (
    <div className="histories-wrap">
      <table className="table table-compact histories" data-testid="histories">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Field</span>
            </th>
            {item.competing.map((c) => (
              <th key={c.id} scope="col" data-testid="history-column">
                {c.mesh} <span className="mono muted">{c.id.slice(0, 8)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Label</th>
            {item.competing.map((c) => (
              <td key={c.id}>{c.marking ? <Marking text={c.marking} data-testid="history-marking" /> : '—'}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Device</th>
            {item.competing.map((c) => (
              <td key={c.id} className="mono">{c.device}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Stated</th>
            {item.competing.map((c) => (
              <td key={c.id}>{c.statedAt ? utc(c.statedAt, true) : '—'}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">Mesh-derived</th>
            {item.competing.map((c) => (
              <td key={c.id} className="small">{c.statedAt ? describeBar(barOf({ id: c.id, mesh: c.mesh ?? '', statedAt: c.statedAt, derivedTime: c.derivedTime ?? null })) : '—'}</td>
            ))}
          </tr>
          {payloads.some((p) => describePosition(p)) && (
            <tr>
              <th scope="row">Position</th>
              {payloads.map((p, i) => (
                <td key={item.competing[i]!.id} className="mono small">{describePosition(p) ?? '—'}</td>
              ))}
            </tr>
          )}
          {rows.map((field) => (
            <Fragment key={field}>
              <tr className={conflict.has(field) ? 'field-conflict' : undefined} data-testid={conflict.has(field) ? 'field-conflict' : undefined}>
                <th scope="row">
                  <span className="field-name">{humanise(field)}</span>
                  {conflict.has(field) && <span className="badge badge-warn conflict-tag">conflict</span>}
                </th>
                {item.competing.map((c, i) => {
                  const chosen = item.policyChoice[field]?.observation === c.id;
                  return (
                    <td key={c.id} className={chosen ? 'policy-pick' : undefined}>
                      <span className="mono">{show(payloads[i]![field])}</span>
                      {chosen && <span className="badge badge-type" title={item.policyChoice[field]!.why}>policy</span>}
                    </td>
                  );
                })}
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
