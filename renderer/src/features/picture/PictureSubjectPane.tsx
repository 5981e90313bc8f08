/**
 * One subject of the picture beside the table: its state and digest, and per field the value
 * that prevails, shown under its supplier's marking, with the mesh and observation that supplied
 * it (a link to its provenance chain) and, where arbitration chose among concurrent claims, why
 * the winner won (0007: every arbitration recorded with why). A held subject links to its queue
 * item, where the officer decides.
 */
import { formatRoute } from '../../app/route.js';
import { Marking, ReportedMarkings } from '../../shared/classification/Marking.js';
import { humanise, instant } from '../../shared/format.js';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { PICTURE_EVENTS } from './picture-pages.js';

/** A value as a person reads it: text as text, numbers in the officer's grouping, the rest as JSON. */
const shown = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? value.toLocaleString('en-GB', { maximumFractionDigits: 6 }) : JSON.stringify(value));

export function PictureSubjectPane({ subject }: { subject: string | null }) {
  const { data, error } = useContract('getPicture', subject === null ? null : { subject }, { refreshOn: PICTURE_EVENTS });
  const held = data?.items[0]?.state === 'held' ? data.items[0].item : null;
  // A held subject's item names the fields in conflict: the ones missing below.
  const { data: item } = useContract('getQueueItem', held === null ? null : { id: held }, { refreshOn: PICTURE_EVENTS });
  if (subject === null) return <aside className="split-side empty" data-testid="picture-detail">Select a subject (<kbd>Enter</kbd> on a row) to see where each of its fields came from.</aside>;
  if (error && !data) return <aside className="split-side" data-testid="picture-detail"><RefusalBanner error={error} /></aside>;
  const row = data?.items[0];
  if (!row) return <aside className="split-side muted" data-testid="picture-detail">Loading…</aside>;

  return (
    <aside className="split-side picture-detail" data-testid="picture-detail" aria-label="Subject detail">
      <ReportedMarkings markings={row.markings} />
      <div className="card-title-row">
        <h3 className="detail-title mono" data-testid="picture-detail-subject">{row.subject}</h3>
        <span className={`badge picture-state-${row.state}`} data-testid="picture-detail-state">{row.state}</span>
      </div>
      <dl className="facts">
        <dt>Subject digest</dt>
        <dd className="mono small">{row.digest}</dd>
        <dt>Divergence</dt>
        <dd>{row.divergence > 0 ? row.divergence.toFixed(3) : 'none: the histories agree'}</dd>
        {row.item && (
          <>
            <dt>Queue item</dt>
            <dd>
              <a href={formatRoute({ view: 'queue', item: row.item })} data-testid="picture-detail-item">
                {row.state === 'held' ? 'Held: decide it in the divergence queue' : 'Settled in the divergence queue'}
              </a>
            </dd>
          </>
        )}
      </dl>
      {row.state === 'held' && (
        <p className="muted small" data-testid="picture-detail-conflict">
          Merging stopped for the fields in conflict{item ? <>: <span className="mono">{item.fields.join(', ')}</span></> : ''}. They stay out of the picture until an operator decides; the fields below are the rest.
        </p>
      )}
      <h4>Fields</h4>
      {row.fields.length === 0 ? (
        <p className="empty">{row.state === 'held' ? 'No field prevails: every field of this subject is in conflict.' : 'No field prevails yet.'}</p>
      ) : (
        <table className="table picture-field-table" aria-label={`Fields of ${row.subject}`}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col">Supplied by</th>
            </tr>
          </thead>
          <tbody>
            {row.fields.map((f) => (
              <tr key={f.field} data-testid="picture-field" data-field={f.field}>
                <th scope="row">
                  {humanise(f.field)}
                  <div className="mono muted small">{f.field}</div>
                </th>
                <td>
                  <div data-testid="picture-field-value">{shown(f.value)}</div>
                  {f.marking && <Marking text={f.marking} />}
                </td>
                <td>
                  <div>{f.mesh}</div>
                  <a className="mono small" href={formatRoute({ view: 'provenance', item: f.observation })} title={f.observation} data-testid="picture-field-observation">
                    {f.observation.slice(0, 12)}…
                  </a>
                  {f.arbitrated && (
                    <div className="picture-arbitrated small" data-testid="picture-field-arbitrated">
                      Arbitrated: {f.arbitrated.why}
                      <div className="muted">{instant(f.arbitrated.at)}</div>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
