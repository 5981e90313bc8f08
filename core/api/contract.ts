/**
 * The contract: every method the console may call on the core and every event the core
 * pushes, each with runtime schemas. Both shells (Electron IPC, loopback WebSocket) bind
 * exactly this table, so adding a method is one entry here plus its handler in
 * `core/api/handlers.ts` (the compiler insists on the handler).
 */
import { z } from 'zod';

/** Every string that crosses the boundary is bounded; huge strings are refused, not parsed. */
const text = (max = 512) => z.string().max(max);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected lowercase hex SHA-256');
const isoTime = z.iso.datetime({ offset: true });

/** Methods without parameters still take an (empty) argument object, and nothing else. */
const noArguments = z.strictObject({});

export const AppInfo = z.strictObject({
  name: text(64),
  version: text(64),
  /** Bumped when a method or event changes shape; a shell refuses a mismatched renderer. */
  contractVersion: z.number().int().nonnegative(),
});

export const MeshIdentity = z.strictObject({
  /** Null until `entente mesh init` has given this workspace a national authority. */
  mesh: z
    .strictObject({
      code: text(16),
      displayName: text(128),
      trustAnchorSha256: sha256Hex,
    })
    .nullable(),
});

export const WorkspaceInfo = z.strictObject({
  home: text(4096),
  databasePath: text(4096),
  workspaceId: sha256Hex,
  createdAt: isoTime,
  schemaVersion: z.number().int().nonnegative(),
});

export const methods = {
  getAppInfo: { args: noArguments, result: AppInfo },
  getMeshIdentity: { args: noArguments, result: MeshIdentity },
  getWorkspaceInfo: { args: noArguments, result: WorkspaceInfo },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export const events = {
  /** The workspace's identity or contents changed; the console refreshes what it shows. */
  workspaceChanged: WorkspaceInfo,
} as const satisfies Record<string, z.ZodType>;

export const CONTRACT_VERSION = 1;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
