/**
 * "Export the log…" (`entente audit export` from the console): the signed bundle, the readable
 * HTML report or JSON, under the timeline's filter (its entry type aside: an export is filtered by
 * subject, federation and time). Prepared by the core with a progress bar and a cancel — a
 * cancelled export writes nothing — then handed out by the shell; a bundle's statement is signed
 * by the authority, so its passphrase is asked for this export only.
 */
import { useState } from 'react';
import { bridge } from '../../shared/entente.js';
import { useLongOperation } from '../../shared/long-operation.js';
import { OperationProgress } from '../../shared/OperationProgress.js';
import { PassphraseDialog } from '../federations/PassphraseDialog.js';
import type { AuditFilter } from './audit-filter.js';

type Format = 'bundle' | 'html' | 'json';
const FORMATS: Record<Format, string> = { bundle: 'verifiable bundle', html: 'HTML report', json: 'JSON' };

export function AuditExport({ filter }: { filter: AuditFilter }) {
  const exporting = useLongOperation('exportAuditLog');
  const [format, setFormat] = useState<Format>('bundle');
  const [asking, setAsking] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { type: _type, ...exportFilter } = filter;
  const prepared = exporting.state.phase === 'done' ? exporting.state.result : null;
  const start = (passphrase: string | null) => void exporting.start({ format, ...exportFilter, passphrase });

  return (
    <div className="toolbar audit-export" data-testid="audit-export">
      <label className="inline-field">
        Export as
        <select value={format} onChange={(e) => setFormat(e.target.value as Format)} data-testid="audit-export-format">
          {(Object.keys(FORMATS) as Format[]).map((f) => (
            <option key={f} value={f}>{FORMATS[f]}</option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={exporting.state.phase === 'running'}
        onClick={() => {
          setSaved(null);
          exporting.reset();
          if (format === 'bundle') setAsking(true);
          else start(null);
        }}
        data-testid="audit-export-start"
      >
        Export the log…
      </button>
      {asking && (
        <PassphraseDialog
          title="Sign the export statement of the log"
          detail="The statement says what the bundle holds and what it leaves out; the mesh authority signs it."
          onSubmit={(passphrase) => {
            start(passphrase);
            return Promise.resolve(null);
          }}
          onClose={() => setAsking(false)}
        />
      )}
      <OperationProgress state={exporting.state} label="Export progress" testId="audit-export-progress" onCancel={() => void exporting.cancel()} cancelledText="No file was written." />
      {prepared && (
        <span className="small" role="status" data-testid="audit-export-done">
          Prepared ({prepared.files[0]!.bytes.toLocaleString('en')} bytes).{' '}
          <button
            type="button"
            onClick={() =>
              void bridge()
                .saveExport(prepared.export, prepared.files[0]!.kind, prepared.files[0]!.name)
                .then((answer) => answer.ok && answer.value.saved && setSaved(answer.value.name ?? prepared.files[0]!.name))
            }
            data-testid="audit-export-save"
          >
            Save…
          </button>
          {saved && ` Saved ${saved}.`}
        </span>
      )}
    </div>
  );
}
