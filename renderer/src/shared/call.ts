/**
 * One action the officer takes (sign, withdraw, import…): a contract call made once, its envelope
 * returned whole. Queries that are kept and refreshed go through useContract instead.
 */
import type { Envelope, MethodArgs, MethodName, MethodResult } from '../../../core/api/index.js';
import { bridge } from './entente.js';

export async function callCore<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<Envelope<MethodResult<M>>> {
  try {
    const entente = bridge();
    // The bridge's mapped type holds this member; TypeScript cannot tie it to a generic M.
    const call = entente[method] as unknown as (args: MethodArgs<M>) => Promise<Envelope<MethodResult<M>>>;
    return await call.call(entente, args);
  } catch (failure) {
    return { ok: false, error: { code: 'unavailable', message: failure instanceof Error ? failure.message : String(failure) } };
  }
}
