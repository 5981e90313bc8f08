/**
 * The shape of `window.entente` as the renderer sees it, whichever shell provides it:
 * one function per contract method answering an envelope, and `on` for pushed events.
 * Types only; the renderer imports this with `import type`.
 */
import type { Envelope } from './envelope.js';
import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from './contract/index.js';

export interface StagedFile {
  readonly staged: string;
  readonly bytes: number;
}

export type EntenteBridge = {
  readonly [M in MethodName]: (args?: MethodArgs<M>) => Promise<Envelope<MethodResult<M>>>;
} & {
  /**
   * The shell's one addition to the contract: stages a bundle file the officer dropped (the shell
   * reads it — main process or loopback host — never the renderer), answering the staged id to
   * pass to `importStagedBundle`. `onProgress` hears the bytes handed over so far.
   */
  readonly stageBundle: (file: File, onProgress?: (sent: number, total: number) => void) => Promise<Envelope<StagedFile>>;
  /**
   * The shell hands a prepared export (`exportAfterAction`, `exportAuditLog`) to the officer: a
   * save dialog (Electron), a download (loopback host). `saved` is false when the officer closed
   * the dialog; `name` is the file name it was saved under, when the shell knows it.
   */
  readonly saveExport: (exportId: string, kind: 'bundle' | 'html' | 'json', name: string) => Promise<Envelope<{ saved: boolean; name: string | null }>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};
