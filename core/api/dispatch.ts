/**
 * The one door into the core for both shells: checks the method name, that the argument
 * is plain bounded data, and that it matches the method's schema; then calls the handler
 * and answers an envelope. Nothing thrown escapes, so a hostile caller cannot take the
 * host process down.
 */
import type { z } from 'zod';
import { isMethodName, methods, type MethodName, type MethodResult } from './contract/index.js';
import { Refused } from '../common/refused.js';
import { fail, ok, refusal, type Envelope } from './envelope.js';
import type { CoreHandlers } from './handlers.js';
import { findNonPlainData } from './plain-data.js';

export async function dispatch(handlers: CoreHandlers, method: unknown, rawArgs: unknown): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return fail('unknown-method', `"${describeName(method)}" is not a method of the Entente contract.`);
  }
  const args = rawArgs === undefined ? {} : rawArgs;
  let parsed: ReturnType<(typeof methods)[MethodName]['args']['safeParse']>;
  try {
    // The schema reads the arguments only once they are known to be plain data.
    const notPlain = findNonPlainData(args);
    if (notPlain) return fail('invalid-arguments', `Arguments to ${method} refused: ${notPlain}.`);
    parsed = methods[method].args.safeParse(args);
  } catch {
    // Only an in-process caller can get here (a revoked Proxy, a trap that throws): JSON and
    // structured clone cannot carry one. Refused like any other argument, never thrown.
    return fail('invalid-arguments', `Arguments to ${method} refused: they could not be read as plain data.`);
  }
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    const first = issues[0]!;
    return fail('invalid-arguments', `Arguments to ${method} refused: ${first.path} ${first.reason}.`, issues);
  }
  try {
    const value = await callHandler(handlers, method, parsed.data);
    // The core's own answer is checked too: a shell never forwards a shape the contract does not promise.
    const checked = methods[method].result.safeParse(value);
    if (!checked.success) return fail('internal', `The core answered ${method} with a malformed result.`);
    return ok(checked.data);
  } catch (error) {
    if (error instanceof Refused) return refusal(error);
    return fail('internal', `${method} failed: ${error instanceof Error ? error.message : 'unknown error'}.`);
  }
}

function callHandler<M extends MethodName>(handlers: CoreHandlers, method: M, args: unknown): Promise<MethodResult<M>> | MethodResult<M> {
  const handler = handlers[method] as (args: unknown) => Promise<MethodResult<M>> | MethodResult<M>;
  return handler(args);
}

function describeName(name: unknown): string {
  return typeof name === 'string' ? name.slice(0, 64) : typeof name;
}

function describeIssues(error: z.ZodError): { path: string; reason: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: ['$', ...issue.path.map(String)].join('.'),
    reason: issue.message.slice(0, 200),
  }));
}
