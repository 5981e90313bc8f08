/**
 * A long operation the officer started (verifying the log, exporting it, the after-action
 * export), followed as a staged bundle's import is (features/bundles/bundle-import.ts): the
 * console names it with an id of its own, hears `operationProgress` for that id, and may cancel
 * it (`cancelOperation`); a cancelled one has written nothing, and says so.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError, EventPayload, MethodArgs, MethodResult } from '../../../core/api/index.js';
import { callCore } from './call.js';
import { bridge } from './entente.js';

type Progress = EventPayload<'operationProgress'>;
export type OperationMethod = 'verifyAuditLog' | 'exportAuditLog' | 'exportAfterAction';

export type OperationState<M extends OperationMethod> =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly operation: string; readonly progress: Progress | null; readonly cancelling: boolean }
  | { readonly phase: 'done'; readonly result: MethodResult<M> }
  | { readonly phase: 'cancelled' }
  | { readonly phase: 'failed'; readonly error: ContractError };

/** 128 random bits in hex: the id the core reports this operation under. */
export function newOperationId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function useLongOperation<M extends OperationMethod>(method: M) {
  const [state, setState] = useState<OperationState<M>>({ phase: 'idle' });
  const current = useRef<string | null>(null);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);

  const start = useCallback(
    async (args: Omit<MethodArgs<M>, 'operation'>): Promise<MethodResult<M> | null> => {
      if (current.current) return null;
      const operation = newOperationId();
      current.current = operation;
      setState({ phase: 'running', operation, progress: null, cancelling: false });
      stop.current = bridge().on('operationProgress', (progress) => {
        if (progress.operation === operation) setState((s) => (s.phase === 'running' && s.operation === operation ? { ...s, progress } : s));
      });
      const answer = await callCore(method, { ...args, operation } as MethodArgs<M>);
      stop.current?.();
      stop.current = null;
      current.current = null;
      if (answer.ok) {
        setState({ phase: 'done', result: answer.value });
        return answer.value;
      }
      setState(answer.error.reason === 'cancelled' ? { phase: 'cancelled' } : { phase: 'failed', error: answer.error });
      return null;
    },
    [method],
  );

  const cancel = useCallback(async () => {
    const operation = current.current;
    if (!operation) return;
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s));
    await callCore('cancelOperation', { operation });
  }, []);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, start, cancel, reset };
}

/** How far along, 0…1, or null while it cannot be told. */
export function fractionDone(progress: Progress | null): number | null {
  if (!progress || progress.total === null || progress.total === 0) return null;
  return Math.min(1, progress.done / progress.total);
}
