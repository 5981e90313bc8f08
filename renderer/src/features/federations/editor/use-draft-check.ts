/**
 * The core's word on a draft, asked again a moment after the officer stops typing: every issue
 * by field, the digest to be signed, the crossing preview. The check runs the core's own schema
 * (core/federation/declaration.ts) through the contract; the console keeps no copy of its rules.
 */
import { useEffect, useState } from 'react';
import type { ContractError, MethodResult } from '../../../../../core/api/index.js';
import { callCore } from '../../../shared/call.js';

export const CHECK_AFTER_MS = 250;

export type DraftCheck = MethodResult<'checkFederationDraft'>;

export function useDraftCheck(draft: unknown): { check: DraftCheck | null; error: ContractError | null; checking: boolean } {
  // The answer and the draft it is about: an answer for an earlier draft still shows, marked as being checked again.
  const [state, setState] = useState<{ key: string | null; check: DraftCheck | null; error: ContractError | null }>({ key: null, check: null, error: null });
  const key = JSON.stringify(draft);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void callCore('checkFederationDraft', { draft: JSON.parse(key) as never }).then((answer) => {
        if (!current) return;
        setState(answer.ok ? { key, check: answer.value, error: null } : { key, check: null, error: answer.error });
      });
    }, CHECK_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);
  return { check: state.check, error: state.error, checking: state.key !== key };
}
