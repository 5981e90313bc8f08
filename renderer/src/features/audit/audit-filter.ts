/** The log's filter form and what it asks the core: empty fields are no filter; times are read as UTC. */
import type { EventName, MethodArgs } from '../../../../core/api/index.js';
import { AUDIT_ENTRY_TYPES } from '../../../../core/audit/entry-types.js';

export type AuditFilter = Omit<MethodArgs<'listAuditEntries'>, 'limit' | 'offset'>;

export const AUDIT_PAGE_SIZE = 50;

/** The events after which the log views ask again: the log grew or was checkpointed. */
export const AUDIT_EVENTS = ['auditAppended'] as const satisfies readonly EventName[];

/** The log's entry types, as the core defines them (a module without imports, bundled as data). */
export const ENTRY_TYPES = AUDIT_ENTRY_TYPES;

export interface FilterForm {
  type: string;
  subject: string;
  federation: string;
  from: string;
  to: string;
}

export const EMPTY_FORM: FilterForm = { type: '', subject: '', federation: '', from: '', to: '' };

export function toFilter(form: FilterForm): AuditFilter {
  const filter: Record<string, string> = {};
  if (form.type) filter.type = form.type;
  if (form.subject.trim()) filter.subject = form.subject.trim();
  if (form.federation.trim()) filter.federation = form.federation.trim();
  if (form.from) filter.from = new Date(`${form.from}Z`).toISOString();
  if (form.to) filter.to = new Date(`${form.to}Z`).toISOString();
  return filter as AuditFilter;
}
