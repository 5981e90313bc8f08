/**
 * The reconciliation log as a timeline: each entry's time, type, who, what and why, filterable
 * by type, subject, federation and time window; above it, the log's state — its last signed
 * checkpoint, and whether it verified (recomputed on request) or the failures by name.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MethodArgs, MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';

type Page = MethodResult<'listAuditEntries'>;
type State = MethodResult<'getAuditLogState'>;
type Verification = MethodResult<'verifyAuditLog'>;
type Filter = Omit<MethodArgs<'listAuditEntries'>, 'limit' | 'offset'>;

const PAGE_SIZE = 50;
const TYPES = ['crossing', 'translation', 'ordering', 'arbitration', 'quarantine', 'rejection', 'decision', 'federation', 'purge', 'integrity', 'credential', 'observation', 'witness'] as const;
const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);
const short = (hex: string) => `${hex.slice(0, 12)}…`;

interface FilterForm {
  type: string;
  subject: string;
  federation: string;
  from: string;
  to: string;
}

/** Form values to contract arguments: empty fields are no filter; times are read as UTC. */
function toFilter(form: FilterForm): Filter {
  const filter: Record<string, string> = {};
  if (form.type) filter.type = form.type;
  if (form.subject.trim()) filter.subject = form.subject.trim();
  if (form.federation.trim()) filter.federation = form.federation.trim();
  if (form.from) filter.from = new Date(`${form.from}Z`).toISOString();
  if (form.to) filter.to = new Date(`${form.to}Z`).toISOString();
  return filter as Filter;
}

export function AuditLogView({ refreshKey }: { refreshKey: string }) {
  const [form, setForm] = useState<FilterForm>({ type: '', subject: '', federation: '', from: '', to: '' });
  const [filter, setFilter] = useState<Filter>({});
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [state, setState] = useState<State | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    Promise.all([unwrap(bridge().listAuditEntries({ ...filter, limit: PAGE_SIZE, offset })), unwrap(bridge().getAuditLogState({}))])
      .then(([entries, logState]) => {
        if (!current) return;
        setPage(entries);
        setState(logState);
        setError(null);
      })
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [filter, offset, refreshKey]);

  const verify = useCallback(() => {
    setVerifying(true);
    unwrap(bridge().verifyAuditLog({}))
      .then(setVerification)
      .catch((failure: Error) => setError(failure.message))
      .finally(() => setVerifying(false));
  }, []);

  const shown = verification ?? state?.verification ?? null;
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;
  const field = (name: keyof FilterForm) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });

  return (
    <section className="card card-wide" aria-labelledby="audit-heading" data-testid="audit-log">
      <div className="card-title-row">
        <h2 id="audit-heading">Reconciliation log</h2>
        <span className="muted" data-testid="audit-total">{state ? `${state.entries} entries` : ''}</span>
      </div>
      {error && <div role="alert" className="banner banner-error">{error}</div>}

      <div className="log-state" data-testid="audit-state">
        <div>
          {state?.lastCheckpoint ? (
            <>
              Last checkpoint: size {state.lastCheckpoint.size}, signed {when(state.lastCheckpoint.time)} UTC, root{' '}
              <span className="mono" title={state.lastCheckpoint.root}>{short(state.lastCheckpoint.root)}</span>
            </>
          ) : (
            'No signed checkpoint yet.'
          )}
        </div>
        <div data-testid="audit-verification" aria-live="polite">
          {!shown && <span className="muted">Not verified in this session.</span>}
          {shown?.ok && (
            <span className="badge badge-ok">
              verified: {shown.entries} entries, {shown.checkpoints} checkpoints at {when(shown.verifiedAt)}
            </span>
          )}
          {shown && !shown.ok && (
            <div role="alert">
              <span className="badge badge-bad">does not verify: {shown.failures.length} failure(s)</span>
              <ul className="failures">
                {shown.failures.map((f, i) => (
                  <li key={i} data-testid="audit-failure">
                    {/* Each message names its entry itself ("Entry 2 does not hash …"). */}
                    <span className="mono">{f.reason}</span> {f.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <button type="button" onClick={verify} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify log'}
        </button>
      </div>

      <form
        className="filters"
        aria-label="Filter the log"
        onSubmit={(event) => {
          event.preventDefault();
          setOffset(0);
          setFilter(toFilter(form));
        }}
      >
        <label>
          Type
          <select {...field('type')} data-testid="audit-filter-type">
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Subject
          <input {...field('subject')} maxLength={256} placeholder="track:4711" data-testid="audit-filter-subject" />
        </label>
        <label>
          Federation
          <input {...field('federation')} maxLength={64} placeholder="federation id" />
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" step={1} {...field('from')} />
        </label>
        <label>
          To (UTC)
          <input type="datetime-local" step={1} {...field('to')} />
        </label>
        <button type="submit">Apply</button>
      </form>

      {page && page.total === 0 && <p className="empty">No entries{Object.keys(filter).length > 0 ? ' match these filters' : ' yet'}.</p>}
      {page && page.total > 0 && (
        <>
          <table className="table" aria-label="Log entries, newest first">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Type</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <tr key={e.seq} data-testid="audit-entry">
                  <td className="mono">{e.seq}</td>
                  <td className="nowrap">
                    {when(e.wall)}
                    <div className="muted mono" title="hybrid logical clock (l.c)">HLC {e.hlc.l}.{e.hlc.c}</div>
                  </td>
                  <td><span className="badge badge-type">{e.type}</span></td>
                  <td>
                    {e.who.role === 'authority' ? 'mesh authority' : `${e.who.role} ${e.who.id}`} @ {e.who.mesh}
                    <div className="muted mono" title={`certificate ${e.who.certificate}`}>{short(e.who.certificate)}</div>
                  </td>
                  <td>
                    {e.what.subject && <div>subject <span className="mono">{e.what.subject}</span></div>}
                    {e.what.federation && <div>federation <span className="mono">{e.what.federation}</span></div>}
                    {e.what.policy && <div>policy {e.what.policy.id} v{e.what.policy.version}</div>}
                    {e.what.ids.slice(0, 4).map((id) => (
                      <div key={id} className="mono" title={id}>{short(id)}</div>
                    ))}
                    {e.what.ids.length > 4 && <div className="muted">and {e.what.ids.length - 4} more</div>}
                    {e.what.detail.map((d) => (
                      <div key={d.name} className="muted">{d.name}: {d.value}</div>
                    ))}
                  </td>
                  <td>
                    {e.why.reasons.map((r) => (
                      <span key={r} className="mono reason">{r}</span>
                    ))}
                    {e.why.text && <div>{e.why.text}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>Newer</button>
            <span className="muted">page {Math.floor(offset / PAGE_SIZE) + 1} of {pages} · {page.total} entries</span>
            <button type="button" disabled={offset + PAGE_SIZE >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>Older</button>
          </div>
        </>
      )}
    </section>
  );
}
