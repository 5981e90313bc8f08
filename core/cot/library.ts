/**
 * The TAK ecosystem's own CoT library (`@tak-ps/node-cot`), loaded on first use. It is an ES
 * module with a top-level await (it loads its protobuf schema), so a static import would make
 * every CommonJS bundle that reaches the app's services (dist/core/core-worker.cjs,
 * dist/electron/main.cjs) fail at `require` time; `import()` stays an import in those bundles.
 */
import type * as NodeCotModule from '@tak-ps/node-cot';

export type NodeCot = typeof NodeCotModule;

let loading: Promise<NodeCot> | undefined;

export function cotLibrary(): Promise<NodeCot> {
  loading ??= import('@tak-ps/node-cot');
  return loading;
}
