/**
 * Import by drag and drop: a file dropped anywhere on the console, or chosen with the button
 * (reachable by keyboard), is handed to the shell and imported, with a progress bar, a cancel,
 * and the outcome per item — admitted, duplicate, rejected, quarantined, tainted — once done.
 */
import { useEffect, useState, useSyncExternalStore, type ChangeEvent } from 'react';
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { PassphraseDialog } from '../federations/PassphraseDialog.js';
import { formatCount, plural } from '../../shared/format.js';
import { bundleImport, fractionOf, type ImportState } from './bundle-import.js';

/** Listens on the whole window for a dropped file; shows the drop target while one is dragged over. */
export function useBundleDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const carriesFile = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const enter = (event: DragEvent) => {
      if (!carriesFile(event)) return;
      depth += 1;
      setOver(true);
    };
    const leave = (event: DragEvent) => {
      if (!carriesFile(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (event: DragEvent) => {
      // Without preventDefault the browser would open the file itself, leaving the console.
      if (carriesFile(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!carriesFile(event)) return;
      event.preventDefault();
      depth = 0;
      setOver(false);
      const file = event.dataTransfer?.files[0];
      if (file) void bundleImport.start(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function BundleImportButton() {
  const state = useSyncExternalStore(bundleImport.subscribe, bundleImport.get);
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void bundleImport.start(file);
  };
  return (
    <label className="button-like header-import" title="Or drop a bundle file anywhere on the console">
      Import bundle…
      <input type="file" className="visually-hidden" accept=".bundle,application/octet-stream" onChange={choose} disabled={state.phase === 'staging' || state.phase === 'importing'} data-testid="bundle-file" />
    </label>
  );
}

export function DropTarget({ over }: { over: boolean }) {
  if (!over) return null;
  return (
    <div className="drop-target" aria-hidden="true" data-testid="drop-target">
      <p>Drop a partner’s bundle to import it</p>
    </div>
  );
}

export function BundleImportPanel() {
  const state = useSyncExternalStore(bundleImport.subscribe, bundleImport.get);
  if (state.phase === 'idle') return null;
  return (
    <section className="card import-panel" aria-labelledby="import-heading" data-testid="bundle-import" data-phase={state.phase}>
      <div className="card-title-row">
        <h2 id="import-heading">Bundle import · <span className="case-kept mono">{state.name}</span></h2>
        {(state.phase === 'done' || state.phase === 'failed') && (
          <button type="button" className="link" onClick={() => bundleImport.dismiss()}>Dismiss</button>
        )}
      </div>
      <ImportBody state={state} />
    </section>
  );
}

function ImportBody({ state }: { state: Exclude<ImportState, { phase: 'idle' }> }) {
  const fraction = fractionOf(state);
  if (state.phase === 'failed') return <RefusalBanner error={state.error} />;
  if (state.phase === 'passphrase') {
    return (
      <>
        <p className="muted">Staged. The import is signed into the log with this mesh’s authority key.</p>
        {state.error && <RefusalBanner error={state.error} />}
        <PassphraseDialog
          title={`Import ${state.name}`}
          detail="The authority key signs the import’s log entries and the receipt for the sender."
          onSubmit={(passphrase) => {
            void bundleImport.run(passphrase);
            return Promise.resolve(null);
          }}
          onClose={() => {
            if (bundleImport.get().phase === 'passphrase') bundleImport.dismiss();
          }}
        />
      </>
    );
  }
  if (state.phase === 'done') {
    const { counts, refusals, alreadyImported, resumed } = state.result;
    return (
      <div data-testid="bundle-import-result">
        <p>
          From {state.result.from}: {alreadyImported ? 'imported before, nothing changed.' : `${resumed ? 'resumed and finished' : 'finished'}.`}
        </p>
        <ul className="counts" aria-label="Outcome per item">
          <li data-testid="count-admitted">{plural(counts.admitted, 'admitted', 'admitted')}</li>
          <li>{formatCount(counts.duplicate)} duplicate</li>
          <li>{formatCount(counts.rejected)} rejected</li>
          <li data-testid="count-quarantined">{formatCount(counts.quarantined)} quarantined</li>
          <li>{formatCount(counts.tainted)} tainted</li>
        </ul>
        {refusals.length > 0 && (
          <details>
            <summary>{plural(refusals.length, 'refusal')}</summary>
            <ul className="small">
              {refusals.map((r) => (
                <li key={`${r.line}-${r.reason}`}>line {r.line}: <span className="mono reason">{r.reason}</span> {r.message}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
    );
  }
  const label =
    state.phase === 'staging'
      ? `Handing the file to the core: ${formatCount(state.sent)} of ${formatCount(state.total)} bytes`
      : state.progress
        ? `${state.progress.phase === 'verifying' ? 'Verifying' : 'Admitting'}: ${formatCount(state.progress.lines)}${state.progress.totalLines ? ` of ${formatCount(state.progress.totalLines)}` : ''} lines`
        : 'Starting…';
  return (
    <div className="import-progress">
      <progress max={1} {...(fraction === null ? {} : { value: fraction })} aria-label="Import progress" data-testid="bundle-import-progress" />
      <span className="small" aria-live="polite">{label}</span>
      {state.phase === 'importing' && (
        <button type="button" onClick={() => void bundleImport.cancel()} disabled={state.cancelling} data-testid="bundle-import-cancel">
          {state.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
    </div>
  );
}
