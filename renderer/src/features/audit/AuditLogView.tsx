/**
 * The reconciliation log as a timeline: each entry's time, type, who, what and why, filterable
 * by type, subject, federation and time window; above it, the log's state — its last signed
 * checkpoint, and whether it verified (recomputed on request) or the failures by name.
 */
import { useState } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { AUDIT_EVENTS, AUDIT_PAGE_SIZE, EMPTY_FORM, ENTRY_TYPES, toFilter, type AuditFilter, type FilterForm } from './audit-filter.js';
import { AuditEntryRow } from './AuditEntryRow.js';
import { AuditLogState, useAuditLogState } from './AuditLogState.js';
import { AuditExport } from './AuditExport.js';

export function AuditLogView() {
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [offset, setOffset] = useState(0);
  const entries = useContract('listAuditEntries', { ...filter, limit: AUDIT_PAGE_SIZE, offset }, { refreshOn: AUDIT_EVENTS });
  const logState = useAuditLogState();
  const page = entries.data;
  const state = logState.data;
  const error = entries.error ?? logState.error;

  const pages = page ? Math.max(1, Math.ceil(page.total / AUDIT_PAGE_SIZE)) : 1;
  const field = (name: keyof FilterForm) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });

  return (
    <section className="card card-wide" aria-labelledby="audit-heading" data-testid="audit-log">
      <div className="card-title-row">
        <h2 id="audit-heading">Reconciliation log</h2>
        <span className="muted" data-testid="audit-total">{state ? `${state.entries} entries` : ''}</span>
      </div>
      {error && <RefusalBanner error={error} />}

      <AuditLogState state={state} />
      <AuditExport filter={filter} />

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
            {ENTRY_TYPES.map((t) => (
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
                <AuditEntryRow key={e.seq} entry={e} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - AUDIT_PAGE_SIZE))}>Newer</button>
            <span className="muted">page {Math.floor(offset / AUDIT_PAGE_SIZE) + 1} of {pages} · {page.total} entries</span>
            <button type="button" disabled={offset + AUDIT_PAGE_SIZE >= page.total} onClick={() => setOffset(offset + AUDIT_PAGE_SIZE)}>Older</button>
          </div>
        </>
      )}
    </section>
  );
}
