/**
 * The federation editor: a declaration draft as a form (and as its raw document), checked by the
 * core as the officer types with each reason beside its field, compared with the version on
 * record, previewed for what it would let cross, then signed and proposed with the passphrase
 * asked in a dialog. The draft lives here until it is proposed; closing the editor drops it.
 */
import { useState } from 'react';
import { RefusalBanner } from '../../../shared/RefusalBanner.js';
import { callCore } from '../../../shared/call.js';
import { formatCount } from '../../../shared/format.js';
import { useContract } from '../../../shared/use-contract.js';
import { DiffTable } from '../DiffTable.js';
import { PassphraseDialog } from '../PassphraseDialog.js';
import { getAt, issuesAt, listFrom, setAt, type Draft } from './draft-paths.js';
import { EffectPreview } from './EffectPreview.js';
import { Field } from './Field.js';
import { useDraftCheck, type DraftCheck } from './use-draft-check.js';

interface Props {
  readonly initial: Draft;
  /** The federation this draft amends (its newest version on record), or null for a new one. */
  readonly amends: { readonly federation: string; readonly version: number } | null;
  readonly onClose: () => void;
  readonly onProposed: (id: string) => void;
}

interface Rule {
  from: string;
  to: string;
}

/** The form's paths; an issue elsewhere is listed above the form with its path. */
const FORM_PATHS = ['id', 'version', 'purpose', 'validity', 'partners', 'scope', 'arbitration', 'resynchronisation', 'silenceToleranceSeconds', 'exit'];

export function DraftEditor({ initial, amends, onClose, onProposed }: Props) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [tab, setTab] = useState<'form' | 'raw' | 'diff'>('form');
  const [signing, setSigning] = useState(false);
  const { check, error, checking } = useDraftCheck(draft);
  const issues = check?.issues ?? [];
  const set = (path: string, value: unknown) => setDraft((d) => setAt(d, path, value));
  const text = (path: string) => {
    const value = getAt(draft, path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const number = (value: string) => (value.trim() === '' ? value : Number(value));
  const unplaced = issues.filter((issue) => !FORM_PATHS.some((path) => issue.path === path || issue.path.startsWith(`${path}.`)));
  const scope = (Array.isArray(draft.scope) ? draft.scope : []) as Rule[];
  const exit = (Array.isArray(draft.exit) ? draft.exit : []) as { class: string }[];
  const partners = (Array.isArray(draft.partners) ? draft.partners : []) as { mesh: string; card?: { displayName?: string } }[];

  return (
    <section className="card editor" aria-labelledby="editor-heading" data-testid="federation-editor">
      <div className="card-title-row">
        <h2 id="editor-heading" className="case-kept">{amends ? `Version ${text('version')} of ${amends.federation}` : 'New federation'}</h2>
        <div className="toolbar">
          <CheckState check={check} checking={checking} />
          <button type="button" onClick={onClose}>Discard draft</button>
          <button type="button" className="primary" disabled={!check || issues.length > 0 || checking} onClick={() => setSigning(true)} data-testid="sign-and-propose">
            Sign and propose…
          </button>
        </div>
      </div>
      {error && <RefusalBanner error={error} />}
      <div className="tabs" role="tablist" aria-label="Draft">
        {(['form', 'raw', 'diff'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
            {name === 'form' ? 'Declaration' : name === 'raw' ? 'Raw document' : amends ? `Changes from v${amends.version}` : 'Changes'}
          </button>
        ))}
      </div>
      {unplaced.length > 0 && (
        <ul className="field-issues" data-testid="issue-document">
          {unplaced.map((issue) => (
            <li key={`${issue.path} ${issue.message}`}>
              {issue.path ? <span className="mono">{issue.path}</span> : 'The document'}: {issue.message} <span className="mono reason">{issue.reason}</span>
            </li>
          ))}
        </ul>
      )}

      {tab === 'form' && (
        <div className="form-grid">
          <fieldset>
            <legend>Federation</legend>
            <Field label="Id" path="id" issues={issues} help={amends ? 'Stays the same across versions.' : '3–64 lowercase letters, digits and hyphens.'}>
              {(c) => <input {...c} value={text('id')} readOnly={amends !== null} onChange={(e) => set('id', e.target.value)} />}
            </Field>
            <Field label="Version" path="version" issues={issues}>
              {(c) => <input {...c} value={text('version')} readOnly />}
            </Field>
            <Field label="Purpose" path="purpose" issues={issues} help="What the federation is for, as every partner will read it.">
              {(c) => <textarea {...c} rows={2} value={text('purpose')} onChange={(e) => set('purpose', e.target.value)} />}
            </Field>
            <Field label="Starts (UTC, ISO 8601)" path="validity.start" issues={issues}>
              {(c) => <input {...c} value={text('validity.start')} onChange={(e) => set('validity.start', e.target.value)} />}
            </Field>
            <Field label="Expires (UTC, ISO 8601)" path="validity.expires" issues={issues}>
              {(c) => <input {...c} value={text('validity.expires')} onChange={(e) => set('validity.expires', e.target.value)} />}
            </Field>
          </fieldset>

          <fieldset>
            <legend>Partners</legend>
            {issuesAt(issues, 'partners').filter((i) => i.path === 'partners').map((issue) => (
              <p key={issue.message} className="field-issues" data-testid="issue-partners">{issue.message} <span className="mono reason">{issue.reason}</span></p>
            ))}
            {partners.map((partner, i) => (
              <Field key={partner.mesh} label={`${partner.card?.displayName ?? partner.mesh} (${partner.mesh}): release authority`} path={`partners.${i}.releaseAuthority`} issues={issues}>
                {(c) => <input {...c} value={text(`partners.${i}.releaseAuthority`)} onChange={(e) => set(`partners.${i}.releaseAuthority`, e.target.value)} />}
              </Field>
            ))}
          </fieldset>

          <fieldset className="span-2">
            <legend>What may cross</legend>
            <table className="table table-form">
              <thead>
                <tr>
                  <th scope="col">From → to</th>
                  <th scope="col">Classes</th>
                  <th scope="col">Ceiling</th>
                  <th scope="col">Caveats</th>
                  <th scope="col">Onward release</th>
                </tr>
              </thead>
              <tbody>
                {scope.map((rule, i) => (
                  <tr key={`${rule.from}-${rule.to}`} data-testid={`scope-${rule.from}-${rule.to}`}>
                    <th scope="row" className="nowrap">{rule.from} → {rule.to}</th>
                    <td>
                      <Field label="Classes" path={`scope.${i}.classes`} issues={issues}>
                        {(c) => <input {...c} value={((getAt(draft, `scope.${i}.classes`) as string[] | undefined) ?? []).join(', ')} onChange={(e) => set(`scope.${i}.classes`, listFrom(e.target.value))} />}
                      </Field>
                    </td>
                    <td>
                      <Field label={`Ceiling (${text(`scope.${i}.ceiling.policy`)})`} path={`scope.${i}.ceiling`} issues={issues}>
                        {(c) => <input {...c} value={text(`scope.${i}.ceiling.classification`)} onChange={(e) => set(`scope.${i}.ceiling.classification`, e.target.value)} />}
                      </Field>
                    </td>
                    <td>
                      <Field label="Caveats" path={`scope.${i}.caveats`} issues={issues}>
                        {(c) => <input {...c} value={((getAt(draft, `scope.${i}.caveats`) as string[] | undefined) ?? []).join(', ')} onChange={(e) => set(`scope.${i}.caveats`, listFrom(e.target.value))} />}
                      </Field>
                    </td>
                    <td>
                      <Field label="Onward release" path={`scope.${i}.onwardRelease`} issues={issues}>
                        {(c) => (
                          <select {...c} value={text(`scope.${i}.onwardRelease`)} onChange={(e) => set(`scope.${i}.onwardRelease`, e.target.value)}>
                            <option value="forbidden">forbidden</option>
                            <option value="originator-consent">with the originator's consent</option>
                            <option value="permitted">permitted</option>
                          </select>
                        )}
                      </Field>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>

          <fieldset>
            <legend>Divergence and resynchronisation</legend>
            <Field label="Arbitration" path="arbitration.policy" issues={issues}>
              {(c) => (
                <select {...c} value={text('arbitration.policy')} onChange={(e) => set('arbitration.policy', e.target.value)}>
                  <option value="originator-wins">the originator's version wins</option>
                  <option value="most-recent">the most recent wins</option>
                  <option value="human-decision">an officer decides</option>
                </select>
              )}
            </Field>
            <Field label="Divergence sent to an officer above (0–1)" path="arbitration.divergenceThreshold" issues={issues}>
              {(c) => <input {...c} inputMode="decimal" value={text('arbitration.divergenceThreshold')} onChange={(e) => set('arbitration.divergenceThreshold', number(e.target.value))} />}
            </Field>
            <Field label="Backlog kept per direction (observations)" path="resynchronisation.backlogLimit" issues={issues}>
              {(c) => <input {...c} inputMode="numeric" value={text('resynchronisation.backlogLimit')} onChange={(e) => set('resynchronisation.backlogLimit', number(e.target.value))} />}
            </Field>
            <Field label="Nothing older than (seconds)" path="resynchronisation.maxAgeSeconds" issues={issues}>
              {(c) => <input {...c} inputMode="numeric" value={text('resynchronisation.maxAgeSeconds')} onChange={(e) => set('resynchronisation.maxAgeSeconds', number(e.target.value))} />}
            </Field>
            <Field label="Silence tolerated (seconds)" path="silenceToleranceSeconds" issues={issues}>
              {(c) => <input {...c} inputMode="numeric" value={text('silenceToleranceSeconds')} onChange={(e) => set('silenceToleranceSeconds', number(e.target.value))} />}
            </Field>
          </fieldset>

          <fieldset>
            <legend>On exit</legend>
            {exit.map((rule, i) => (
              <div key={rule.class} className="exit-rule">
                <strong>{rule.class}</strong>
                <Field label="Data" path={`exit.${i}.action`} issues={issues}>
                  {(c) => (
                    <select {...c} value={text(`exit.${i}.action`)} onChange={(e) => set(`exit.${i}.action`, e.target.value)}>
                      <option value="purge">purged</option>
                      <option value="retain">retained</option>
                    </select>
                  )}
                </Field>
                <Field label="Handling when retained" path={`exit.${i}.handling`} issues={issues}>
                  {(c) => <input {...c} value={text(`exit.${i}.handling`)} onChange={(e) => set(`exit.${i}.handling`, e.target.value === '' ? undefined : e.target.value)} />}
                </Field>
                <Field label="Derived products" path={`exit.${i}.derived`} issues={issues}>
                  {(c) => (
                    <select {...c} value={text(`exit.${i}.derived`)} onChange={(e) => set(`exit.${i}.derived`, e.target.value)}>
                      <option value="purge">purged</option>
                      <option value="retain">retained</option>
                    </select>
                  )}
                </Field>
              </div>
            ))}
          </fieldset>
        </div>
      )}

      {tab === 'raw' && <RawDocument draft={draft} onChange={setDraft} />}
      {tab === 'diff' && <DraftDiff draft={draft} amends={amends} />}

      <Preview check={check} />
      <EffectPreview draft={draft} check={check} checking={checking} />

      {signing && (
        <PassphraseDialog
          title={`Sign and propose ${text('id')} version ${text('version')}`}
          detail={check?.digest ? `This mesh's authority signs the canonical declaration, SHA-256 ${check.digest.slice(0, 16)}…` : undefined}
          onClose={() => setSigning(false)}
          onSubmit={async (passphrase) => {
            const answer = await callCore('proposeFederationDraft', { draft: draft as never, passphrase });
            if (!answer.ok) return answer.error;
            onProposed(answer.value.id);
            return null;
          }}
        />
      )}
    </section>
  );
}

function CheckState({ check, checking }: { check: DraftCheck | null; checking: boolean }) {
  if (checking || !check) return <span className="muted" data-testid="draft-state">checking…</span>;
  if (check.issues.length > 0) return <span className="badge badge-bad" data-testid="draft-state">{check.issues.length === 1 ? '1 issue' : `${check.issues.length} issues`}</span>;
  return <span className="badge badge-ok" data-testid="draft-state" title={check.digest ?? ''}>ready to sign</span>;
}

/** The draft as JSON; edits take effect once the text is JSON again (the core then checks it). */
function RawDocument({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  // What the officer typed, kept while it is about the current draft (the form may have changed it since).
  const [typed, setTyped] = useState<{ text: string; about: string } | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const current = JSON.stringify(draft);
  const text = typed && typed.about === current ? typed.text : JSON.stringify(draft, null, 2);
  return (
    <div className="field">
      <label htmlFor="raw-document">The declaration as the partners will sign it (JSON)</label>
      <textarea
        id="raw-document"
        className="mono raw"
        rows={24}
        spellCheck={false}
        value={text}
        aria-invalid={parseError !== null}
        onChange={(event) => {
          const value = event.target.value;
          try {
            const parsed = JSON.parse(value) as unknown;
            if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
              setParseError(null);
              setTyped({ text: value, about: JSON.stringify(parsed) });
              onChange(parsed as Draft);
              return;
            }
            setParseError('The document must be one JSON object.');
          } catch (failure) {
            setParseError(`Not JSON yet: ${(failure as Error).message}`);
          }
          setTyped({ text: value, about: current });
        }}
      />
      {parseError && <span className="field-issues">{parseError}</span>}
    </div>
  );
}

function DraftDiff({ draft, amends }: { draft: Draft; amends: Props['amends'] }) {
  const { data, error } = useContract('getFederationVersion', amends ? { federation: amends.federation, version: amends.version } : null);
  if (!amends) return <p className="empty">A new federation: everything in it is new.</p>;
  if (error) return <RefusalBanner error={error} />;
  if (!data) return <p className="muted">Loading version {amends.version}…</p>;
  return <DiffTable before={data.declaration} after={draft} beforeLabel={`v${amends.version}`} afterLabel="draft" />;
}

/** What the draft would let this mesh's observations cross, beside the version in force. */
function Preview({ check }: { check: DraftCheck | null }) {
  if (!check?.preview) return null;
  const { inForce, rows } = check.preview;
  const changed = rows.filter((row) => row.draft !== row.inForce);
  return (
    <section className="preview" aria-labelledby="preview-heading" data-testid="draft-preview">
      <h3 id="preview-heading">Before signing: what this mesh would offer</h3>
      <p className="muted">
        {inForce === null ? 'No version is in force yet: everything below would be new.' : `Compared with version ${inForce}, in force.`} Counts are this mesh's observations of each
        class; labels and ceilings decide at the boundary which of them are released.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">To</th>
            <th scope="col">Class</th>
            <th scope="col">In force</th>
            <th scope="col">Draft</th>
            <th scope="col" className="num">Observations</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.partner} ${row.class}`} className={row.draft === row.inForce ? '' : row.draft ? 'row-added' : 'row-removed'} data-testid="preview-row">
              <td>{row.partner}</td>
              <td>{row.class}</td>
              <td>{row.inForce ? 'crosses' : '—'}</td>
              <td>{row.draft ? (row.inForce ? 'crosses' : 'newly crosses') : 'no longer crosses'}</td>
              <td className="num">{formatCount(row.observations)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {changed.length === 0 && <p className="muted">The draft lets across exactly what the version in force does.</p>}
    </section>
  );
}

