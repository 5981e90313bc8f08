/**
 * "Export after-action…" (issue 16): the provenance browser's selection — a search, or chosen
 * chains — exported as the after-action bundle and its HTML report. The authority signs, so the
 * passphrase is asked for this export only; the core prepares the files with a progress bar and a
 * cancel (nothing is written when cancelled), and the shell hands them out — a save dialog, a
 * download — the renderer never touches the file system.
 */
import { useState } from 'react';
import type { MethodArgs, MethodResult } from '../../../../core/api/index.js';
import { bridge } from '../../shared/entente.js';
import { useLongOperation } from '../../shared/long-operation.js';
import { OperationProgress } from '../../shared/OperationProgress.js';
import { PassphraseDialog } from '../federations/PassphraseDialog.js';
import { plural } from '../../shared/format.js';

type Criteria = MethodArgs<'exportAfterAction'>['criteria'];
type Prepared = MethodResult<'exportAfterAction'>;

export function AfterActionExport({ criteria, what, disabled = false }: { criteria: Criteria; what: string; disabled?: boolean }) {
  const exporting = useLongOperation('exportAfterAction');
  const [asking, setAsking] = useState(false);
  const [saved, setSaved] = useState<string[]>([]);
  const running = exporting.state.phase === 'running';
  const prepared = exporting.state.phase === 'done' ? exporting.state.result : null;

  const save = async (prepared: Prepared, kind: 'bundle' | 'html') => {
    const file = prepared.files.find((f) => f.kind === kind);
    if (!file) return;
    const answer = await bridge().saveExport(prepared.export, kind, file.name);
    if (answer.ok && answer.value.saved) setSaved((names) => [...names, answer.value.name ?? file.name]);
  };

  return (
    <div className="after-action" data-testid="after-action">
      <button
        type="button"
        onClick={() => {
          setSaved([]);
          exporting.reset();
          setAsking(true);
        }}
        disabled={disabled || running}
        data-testid="after-action-export"
      >
        Export after-action…
      </button>
      {asking && (
        <PassphraseDialog
          title={`Export ${what} as an after-action bundle and report`}
          detail="The mesh authority signs the bundle, so an auditor can verify it offline with `entente provenance verify`."
          onSubmit={(passphrase) => {
            // The dialog closes at once: the export's progress and its cancel are on the page.
            void exporting.start({ criteria, passphrase });
            return Promise.resolve(null);
          }}
          onClose={() => setAsking(false)}
        />
      )}
      <OperationProgress state={exporting.state} label="After-action export progress" testId="after-action-progress" onCancel={() => void exporting.cancel()} cancelledText="No file was written." />
      {prepared && (
        <div className="small" role="status" data-testid="after-action-done">
          <p>
            Prepared: {plural(prepared.selected, 'observation')} with their chains ({plural(prepared.observations, 'record')},{' '}
            {plural(prepared.entries, 'log entry', 'log entries')} proven in the signed checkpoint
            {prepared.unresolved > 0 ? `, ${plural(prepared.unresolved, 'unresolved source')}` : ''}).
          </p>
          <div className="toolbar">
            <button type="button" onClick={() => void save(prepared, 'bundle')} data-testid="after-action-save-bundle">
              Save the bundle…
            </button>
            <button type="button" onClick={() => void save(prepared, 'html')} data-testid="after-action-save-html">
              Save the report…
            </button>
          </div>
          {saved.length > 0 && <p data-testid="after-action-saved">Saved {saved.join(', ')}.</p>}
        </div>
      )}
    </div>
  );
}
