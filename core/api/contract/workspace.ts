/** The contract's workspace part: where the workspace lives and its own facts (id, schema version). */
import { z } from 'zod';
import { isoTime, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const WorkspaceInfo = z.strictObject({
  home: text(4096),
  databasePath: text(4096),
  workspaceId: sha256Hex,
  createdAt: isoTime,
  schemaVersion: z.number().int().nonnegative(),
});

export const workspaceMethods = {
  getWorkspaceInfo: { args: noArguments, result: WorkspaceInfo },
} as const satisfies MethodTable;

export const workspaceEvents = {
  /** The workspace's own facts changed (its schema was migrated); the payload is the new info. */
  workspaceChanged: WorkspaceInfo,
} as const satisfies EventTable;
