/**
 * "Preview effect", before signing: what the valid draft would have done with this mesh's history
 * beside the version in force — each outcome counted on both sides, the difference marked, then the
 * observations (and queue subjects) whose fate changes, with the reason in words. The core judges
 * with the pipeline's own rules (core/app/federations/draft-effect.ts); the console only shows it.
 * Asked again for each new valid draft (by its digest), and when observations or federations change.
 */
import { Marking } from '../../../shared/classification/Marking.js';
import { useState } from 'react';
import type { MethodResult } from '../../../../../core/api/index.js';
import { RefusalBanner } from '../../../shared/RefusalBanner.js';
import { formatCount } from '../../../shared/format.js';
import { useContract } from '../../../shared/use-contract.js';
import type { Draft } from './draft-paths.js';
import type { DraftCheck } from './use-draft-check.js';

type Effect = MethodResult<'previewDraftEffect'>;
type Tally = Effect['inbound']['tally'];
type Change = Effect['inbound']['changes'][number];

const REFRESH_ON = ['observationsAdmitted', 'federationsChanged'] as const;

function delta(inForce: number, draft: number): string {
  const d = draft - inForce;
  return d === 0 ? '' : d > 0 ? `+${formatCount(d)}` : `−${formatCount(-d)}`;
}

/** Outcome × (in force, draft, change): a row whose counts differ is marked, and its change signed. */
function OutcomeTable({ caption, rows }: { caption: string; rows: readonly { key: string; words: string; inForce: number; draft: number }[] }) {
  if (rows.length === 0) return <p className="muted">{caption}: nothing to judge.</p>;
  return (
    <table className="table effect-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">In force</th>
          <th scope="col" className="num">Draft</th>
          <th scope="col" className="num">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.draft === row.inForce ? '' : 'row-changed'} data-testid="effect-row">
            <th scope="row">{row.words}</th>
            <td className="num">{formatCount(row.inForce)}</td>
            <td className="num">{formatCount(row.draft)}</td>
            <td className="num" data-testid="effect-delta">{delta(row.inForce, row.draft)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const tallyRows = (tally: Tally) => tally.map((t) => ({ key: `${t.outcome} ${t.reason ?? ''}`, words: sentence(t.words), inForce: t.inForce, draft: t.draft }));
const sentence = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

function ChangeList({ title, changes, changed, direction }: { title: string; changes: readonly Change[]; changed: number; direction: 'to' | 'from' }) {
  if (changed === 0) return null;
  return (
    <>
      <h5>
        {title}: {formatCount(changed)} {changed === 1 ? 'observation changes' : 'observations change'}
        {changed > changes.length ? ` (first ${formatCount(changes.length)} listed)` : ''}
      </h5>
      {/* A long list scrolls in place, so the inbound and queue comparisons stay near. Focusable: keyboard users scroll it too. */}
      <div className="effect-changes-wrap" tabIndex={0} role="region" aria-label={`${title}: the observations whose outcome changes`}>
        <table className="table" data-testid="effect-changes">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Class</th>
              <th scope="col">Label</th>
              <th scope="col">{direction === 'to' ? 'To' : 'From'}</th>
              <th scope="col">In force</th>
              <th scope="col">Draft</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={`${c.observation} ${c.partner}`} data-testid="effect-change">
                <td title={c.observation}>{c.subject}</td>
                <td>{c.class}</td>
                <td>
                  <Marking text={c.label} />
                </td>
                <td>{direction === 'to' ? c.partner : c.partner === c.origin ? c.origin : `${c.origin} via ${c.partner}`}</td>
                <td>{sentence(c.inForce.words)}</td>
                <td className={c.draft.outcome === 'refused' || c.draft.outcome === 'quarantined' ? 'effect-worse' : 'effect-better'}>{sentence(c.draft.words)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function EffectPreview({ draft, check, checking }: { draft: Draft; check: DraftCheck | null; checking: boolean }) {
  // The last draft the core found valid, by its digest: typing on keeps the panel, marked as out of date.
  const [asked, setAsked] = useState<{ digest: string; draft: Draft } | null>(null);
  const valid = !checking && check !== null && check.issues.length === 0 && check.digest !== null;
  // Adjusted while rendering (React's pattern for state derived from props), not in an effect.
  if (valid && check.digest !== asked?.digest) setAsked({ digest: check.digest!, draft });
  const { data, error, status } = useContract('previewDraftEffect', asked ? { draft: asked.draft as never } : null, { refreshOn: REFRESH_ON });

  if (!asked) return null;
  const stale = !valid || asked.digest !== check?.digest;
  return (
    <section className="preview effect" aria-labelledby="effect-heading" aria-busy={status === 'loading'} data-testid="effect-preview">
      <h3 id="effect-heading" tabIndex={-1}>
        Preview effect on this mesh’s history
      </h3>
      {stale && <p className="muted" data-testid="effect-stale">The draft changed since: this shows the last valid draft until the new one checks.</p>}
      {error && <RefusalBanner error={error} />}
      {!data && !error && <p className="muted" data-testid="effect-loading">Judging the draft against this mesh’s history…</p>}
      {data && <EffectBody effect={data} />}
    </section>
  );
}

function EffectBody({ effect }: { effect: Effect }) {
  const { outbound, inbound, queue } = effect;
  return (
    <div data-testid="effect-body">
      <p className="muted">
        Draft version {effect.draftVersion} against {effect.inForce === null ? 'no version in force (a new federation)' : `version ${effect.inForce}, in force`}. Judged with the
        boundary’s own rules; nothing is changed or recorded.
      </p>
      <h4>Outbound: what would cross from this mesh</h4>
      <p className="muted">{formatCount(outbound.observations)} observations this mesh could release (its own, and relays it may pass on).</p>
      <div className="effect-grid">
        {outbound.partners.map((p) => (
          <OutcomeTable key={p.partner} caption={`To ${p.partner}`} rows={tallyRows(p.tally)} />
        ))}
      </div>
      <ChangeList title="Outbound" changes={outbound.changes} changed={outbound.changed} direction="to" />

      <h4>Inbound: what came under this federation</h4>
      <p className="muted">{formatCount(inbound.observations)} observations admitted or waiting in quarantine, judged again under each version.</p>
      <OutcomeTable caption="Admission" rows={tallyRows(inbound.tally)} />
      <ChangeList title="Inbound" changes={inbound.changes} changed={inbound.changed} direction="from" />

      <h4>Divergence queue</h4>
      <p className="muted">
        {formatCount(queue.subjects)} subjects under each side’s arbitration and divergence threshold.
        {queue.governs ? '' : ' Another federation’s arbitration governs this mesh’s picture, so the draft changes nothing here.'}
      </p>
      <OutcomeTable caption="Subjects" rows={queue.tally.map((t) => ({ key: t.state, words: t.state === 'held' ? 'Sent to the queue' : 'Merged', inForce: t.inForce, draft: t.draft }))} />
      {queue.changed > 0 && (
        <ul data-testid="effect-queue-changes">
          {queue.changes.map((q) => (
            <li key={q.subject}>
              {q.subject}: {q.inForce === 'held' ? 'sent to the queue' : 'merged'} → {q.draft === 'held' ? 'sent to the queue' : 'merged'} (divergence {q.score.draft.toFixed(2)}, threshold{' '}
              {q.threshold.inForce} → {q.threshold.draft})
            </li>
          ))}
        </ul>
      )}
      {outbound.changed + inbound.changed + queue.changed === 0 && <p data-testid="effect-none">The draft changes no outcome on this mesh’s history.</p>}
    </div>
  );
}
