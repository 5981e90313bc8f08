/**
 * The core's side of the contract: one handler per method, over an open workspace. The
 * mapped type makes the compiler refuse a contract method without a handler.
 */
import type { z } from 'zod';
import { appInfo } from '../app/identity.js';
import type { Workspace } from '../workspace/workspace.js';
import type { MethodName, MethodResult, methods } from './contract.js';

export type CoreHandlers = {
  readonly [M in MethodName]: (args: z.output<(typeof methods)[M]['args']>) => MethodResult<M> | Promise<MethodResult<M>>;
};

export function createCoreHandlers(workspace: Workspace): CoreHandlers {
  return {
    getAppInfo: () => appInfo(),
    // No national authority yet: `entente mesh init` (observations issue) fills this in.
    getMeshIdentity: () => ({ mesh: null }),
    getWorkspaceInfo: () => workspace.info(),
  };
}
