/** The contract's app part: what the core is (name, version, contract version). It pushes no events. */
import { z } from 'zod';
import { noArguments, text, type EventTable, type MethodTable } from './atoms.js';

export const AppInfo = z.strictObject({
  name: text(64),
  version: text(64),
  /** Bumped when a method or event changes shape; a shell refuses a mismatched renderer. */
  contractVersion: z.number().int().nonnegative(),
});

export const appMethods = {
  getAppInfo: { args: noArguments, result: AppInfo },
} as const satisfies MethodTable;

export const appEvents = {} as const satisfies EventTable;
