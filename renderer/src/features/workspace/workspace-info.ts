/** The workspace's own facts (home, store, schema), asked again when the core says they changed. */
import type { EventName } from '../../../../core/api/index.js';
import { useContract } from '../../shared/use-contract.js';

export const WORKSPACE_EVENTS = ['workspaceChanged'] as const satisfies readonly EventName[];

export function useWorkspaceInfo() {
  return useContract('getWorkspaceInfo', {}, { refreshOn: WORKSPACE_EVENTS });
}
