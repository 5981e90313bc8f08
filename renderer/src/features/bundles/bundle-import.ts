/**
 * A bundle import the officer started by dropping a file (or choosing one): the shell stages
 * the file (`window.entente.stageBundle` — the renderer never opens it), the core imports the
 * staged id, telling `bundleImportProgress`; the officer may cancel, and the import, resumable
 * block by block, keeps what it admitted. One import at a time; a small external store.
 */
import type { ContractError, EventPayload, MethodResult } from '../../../../core/api/index.js';
import { callCore } from '../../shared/call.js';
import { bridge } from '../../shared/entente.js';

export type ImportState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'staging'; readonly name: string; readonly sent: number; readonly total: number }
  /** Staged; the authority's key signs the import's log entries and receipt, so the passphrase is asked for this import. */
  | { readonly phase: 'passphrase'; readonly name: string; readonly staged: string; readonly error: ContractError | null }
  | { readonly phase: 'importing'; readonly name: string; readonly staged: string; readonly progress: EventPayload<'bundleImportProgress'> | null; readonly cancelling: boolean }
  | { readonly phase: 'done'; readonly name: string; readonly result: MethodResult<'importStagedBundle'> }
  | { readonly phase: 'failed'; readonly name: string; readonly error: ContractError };

let state: ImportState = { phase: 'idle' };
const listeners = new Set<() => void>();
const set = (next: ImportState) => {
  state = next;
  for (const listener of listeners) listener();
};

export const bundleImport = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: (): ImportState => state,
  busy: () => state.phase === 'staging' || state.phase === 'importing' || state.phase === 'passphrase',

  async start(file: File): Promise<void> {
    if (bundleImport.busy()) return;
    const name = file.name.slice(0, 200);
    set({ phase: 'staging', name, sent: 0, total: file.size });
    let staged;
    try {
      staged = await bridge().stageBundle(file, (sent, total) => {
        if (state.phase === 'staging') set({ phase: 'staging', name, sent, total });
      });
    } catch (failure) {
      staged = { ok: false as const, error: { code: 'unavailable' as const, message: failure instanceof Error ? failure.message : String(failure) } };
    }
    if (!staged.ok) return set({ phase: 'failed', name, error: staged.error });
    set({ phase: 'passphrase', name, staged: staged.value.staged, error: null });
  },

  /** Imports the staged file; a refused passphrase asks again, anything else ends the import. */
  async run(passphrase: string | null): Promise<void> {
    if (state.phase !== 'passphrase') return;
    const { name, staged: id } = state;
    set({ phase: 'importing', name, staged: id, progress: null, cancelling: false });
    const stop = bridge().on('bundleImportProgress', (progress) => {
      if (progress.staged === id && state.phase === 'importing') set({ ...state, progress });
    });
    const answer = await callCore('importStagedBundle', { staged: id, passphrase });
    stop();
    if (!answer.ok && (answer.error.reason === 'passphrase-required' || answer.error.reason === 'wrong-passphrase')) return set({ phase: 'passphrase', name, staged: id, error: answer.error });
    set(answer.ok ? { phase: 'done', name, result: answer.value } : { phase: 'failed', name, error: answer.error });
  },

  async cancel(): Promise<void> {
    if (state.phase !== 'importing' || state.cancelling) return;
    set({ ...state, cancelling: true });
    await callCore('cancelBundleImport', { staged: state.staged });
  },

  dismiss(): void {
    if (state.phase === 'passphrase' || !bundleImport.busy()) set({ phase: 'idle' });
  },

};

/** How far along, 0…1, or null while it cannot be told. */
export function fractionOf(s: ImportState): number | null {
  if (s.phase === 'staging') return s.total > 0 ? s.sent / s.total : null;
  if (s.phase === 'importing' && s.progress) {
    if (s.progress.totalLines) return Math.min(1, s.progress.lines / s.progress.totalLines);
    return s.progress.bytes > 0 ? s.progress.bytesRead / s.progress.bytes : null;
  }
  return s.phase === 'done' ? 1 : null;
}
