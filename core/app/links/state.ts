/**
 * Link state per partner and federation (decision 0006 "State"): `up` while the partner answers
 * within the declared tolerance; `intentionally-disconnected` inside a declared disconnection
 * window or after an operator's `agent disconnect`; `unexpectedly-lost` when the silence since the
 * last contact is beyond the tolerance outside any window — an integrity event
 * (`undeclared-silence`), recorded once per silence. A partner never reached yet is
 * `never-contacted` (no silence can be judged before a first contact).
 */
import { evaluate, judgeSilence } from '../../federation/lifecycle.js';
import { listLinkRows, markSilence, readLink, setDisconnected, type LinkRow } from '../../store/link-store.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { recordIntegrityEvent } from '../integrity/events.js';

export const LINK_STATES = ['up', 'intentionally-disconnected', 'unexpectedly-lost', 'never-contacted'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export interface LinkView {
  readonly partner: string;
  readonly federation: string;
  readonly state: LinkState;
  /** Why it is in that state, in one line. */
  readonly because: string;
  readonly lastContact: string | null;
  readonly backlog: { readonly out: number; readonly in: number };
  readonly roundTripMs: number | null;
  readonly lastOutcome: string | null;
  readonly disconnectedBy: string | null;
}

interface Judged extends LinkView {
  readonly silenceSince: string | null;
  readonly silenceMessage: string | null;
}

function judged(op: ReadOperation, now: Date): Judged[] {
  const own = op.mesh().mesh.code;
  const rows = new Map(listLinkRows(op.read).map((r) => [`${r.federation}:${r.partner}`, r]));
  const views: Judged[] = [];
  for (const record of federationRecords(op.read)) {
    const evaluation = evaluate(record, now);
    if (evaluation.state !== 'active' || !evaluation.inForce) continue;
    const declaration = evaluation.inForce.declaration;
    if (!declaration.partners.some((p) => p.mesh === own)) continue;
    for (const { mesh: partner } of declaration.partners) {
      if (partner === own) continue;
      const row: LinkRow | undefined = rows.get(`${record.id}:${partner}`);
      const base = {
        partner,
        federation: record.id,
        lastContact: row?.lastContact ?? null,
        backlog: { out: row?.backlogOut ?? 0, in: row?.backlogIn ?? 0 },
        roundTripMs: row?.roundTripMs ?? null,
        lastOutcome: row?.lastOutcome ?? null,
        disconnectedBy: row?.disconnectedBy ?? null,
        silenceSince: null,
        silenceMessage: null,
      };
      if (row?.disconnectedAt) {
        views.push({ ...base, state: 'intentionally-disconnected', because: `Disconnected by ${row.disconnectedBy ?? 'an operator'} on ${row.disconnectedAt}.` });
        continue;
      }
      if (!row?.lastContact) {
        views.push({ ...base, state: 'never-contacted', because: `No sync with ${partner} under ${record.id} yet.` });
        continue;
      }
      const silence = judgeSilence(declaration, partner, new Date(row.lastContact), now);
      if (silence.verdict === 'intended') views.push({ ...base, state: 'intentionally-disconnected', because: `Inside the declared disconnection window ${silence.window.start} – ${silence.window.end} (${silence.window.reason}).` });
      else if (silence.verdict === 'tolerated') views.push({ ...base, state: 'up', because: `Last contact ${row.lastContact}, within the ${declaration.silenceToleranceSeconds} s tolerated.` });
      else views.push({ ...base, state: 'unexpectedly-lost', because: silence.message, silenceSince: row.lastContact, silenceMessage: silence.message });
    }
  }
  return views;
}

/** Every link this mesh's active federations call for, judged at `now` (reads only). */
export function linkViews(op: ReadOperation, now: Date): LinkView[] {
  return judged(op, now).map(({ silenceSince: _since, silenceMessage: _message, ...view }) => view);
}

/** As linkViews, recording one `undeclared-silence` integrity event for each silence not yet reported. */
export async function judgeLinks(op: Operation, now: Date): Promise<LinkView[]> {
  const all = judged(op, now);
  for (const link of all) {
    if (link.state !== 'unexpectedly-lost' || !link.silenceSince) continue;
    const row = readLink(op.read, link.partner, link.federation);
    if (row?.silenceReported === link.silenceSince) continue;
    await recordIntegrityEvent(op, { kind: 'undeclared-silence', partner: link.partner, federation: link.federation, evidence: { lastContact: link.silenceSince }, message: link.silenceMessage ?? 'An undeclared silence.' }, now);
    op.write.transaction(() => markSilence(op.write, link.partner, link.federation, link.silenceSince!, true))();
  }
  return all.map(({ silenceSince: _since, silenceMessage: _message, ...view }) => view);
}

/** An operator's disconnection (or its end): syncs with the partner are refused both ways until `connect`. */
export function setOperatorDisconnection(op: Operation, partner: string, federation: string, disconnected: boolean, by: string, now: Date): void {
  op.write.transaction(() => setDisconnected(op.write, partner, federation, disconnected ? now.toISOString() : null, disconnected ? by : null))();
}

export function isDisconnected(op: ReadOperation, partner: string, federation: string): boolean {
  return Boolean(readLink(op.read, partner, federation)?.disconnectedAt);
}
